import type { CommandBus } from '@nestjs/cqrs';
import { recipientCategoryChangedV1 } from '@platform/contracts';
import { MessageRefusedError, type IntegrationMessage, type MessageContext } from '@platform/messaging';
import { RecordRecipientCategoryCommand } from './commands/recipient-category.js';

export const RECIPIENT_CATEGORY_CHANGED = 'civil-affairs.RecipientCategoryChanged';

/**
 * Civil affairs' category facts (`civil-affairs.recipients`, group `housing.housing-assistance.recipients`)
 * turned into commands inside the housing inbox transaction: a redelivered message changes nothing.
 */
export class RecipientCategoryConsumer {
  constructor(private readonly commands: CommandBus) {}

  accepts(message: IntegrationMessage): boolean {
    return message.type === RECIPIENT_CATEGORY_CHANGED;
  }

  async handle(message: IntegrationMessage, { transaction }: MessageContext): Promise<void> {
    if (!this.accepts(message)) return;
    const parsed = recipientCategoryChangedV1.safeParse(message.data);
    // A message its own contract refuses cannot become a fact: refused, not retried.
    if (!parsed.success) throw new MessageRefusedError(`类别变更消息不符合约定：${parsed.error.message}`);
    const d = parsed.data;
    await this.commands.execute(
      new RecordRecipientCategoryCommand(
        {
          messageId: message.id,
          householdId: d.householdId,
          countyCode: d.countyCode,
          memberIdNumbers: d.memberIdNumbers,
          removedIdNumbers: d.removedIdNumbers,
          category: d.category,
          effectiveFrom: d.effectiveFrom,
          reason: d.reason,
        },
        { transaction, correlationId: message.correlationId, causationId: message.id },
      ),
    );
  }
}
