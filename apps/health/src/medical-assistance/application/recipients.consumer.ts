import type { CommandBus } from '@nestjs/cqrs';
import type { IntegrationMessage, MessageContext } from '@platform/messaging';
import {
  ApplyRecipientCategoryCommand,
  type RecipientCategoryChange,
} from './commands/recipient-categories.js';

export const RECIPIENT_CATEGORY_CHANGED = 'civil-affairs.RecipientCategoryChanged';

/**
 * Civil affairs' recipient categories (topic `civil-affairs.recipients`, group
 * `health.medical-assistance.recipients`) into category facts, inside the health inbox transaction.
 */
export class RecipientCategoryConsumer {
  constructor(private readonly commands: CommandBus) {}

  accepts(message: IntegrationMessage): boolean {
    return message.type === RECIPIENT_CATEGORY_CHANGED;
  }

  async handle(message: IntegrationMessage, { transaction }: MessageContext): Promise<void> {
    if (!this.accepts(message)) return;
    await this.commands.execute(
      new ApplyRecipientCategoryCommand(message.data as RecipientCategoryChange, {
        transaction,
        messageId: message.id,
        correlationId: message.correlationId,
      }),
    );
  }
}
