import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata, SYSTEM_ACTOR } from '@platform/auth';
import type { DbExecutor } from '@platform/event-store';
import {
  CATEGORY_NAMES,
  FACT_NAMES,
  type CategoryFactKind,
  type GrantedCategory,
} from '../../domain/medical-assistance.decider.js';
import { HEALTH_ASSISTANCE, personKeyOf, type HealthAssistance } from '../health-assistance.js';

/** Civil affairs' `RecipientCategoryChanged` (contract `recipientCategoryChangedV1`), as consumed. */
export interface RecipientCategoryChange {
  householdId: string;
  countyCode: string;
  memberIdNumbers: string[];
  removedIdNumbers: string[];
  category: 'dibao' | 'special_hardship' | null;
  effectiveFrom: string;
  reason: 'granted' | 'changed' | 'suspended';
}

/** Where a consumer's command runs: in its inbox transaction, caused by one message. */
export interface MessageCause {
  transaction: DbExecutor;
  messageId: string;
  correlationId: string;
}

/**
 * A household's dibao or special-hardship category from civil affairs becomes a dated category fact
 * on each member's medical-assistance record: the members in the household from the date take the
 * category (or lose it, when it is null), the members removed lose it. One fact per member and message,
 * its id made of the message's, so a redelivery adds nothing.
 */
export class ApplyRecipientCategoryCommand extends Command<number> {
  constructor(
    readonly change: RecipientCategoryChange,
    readonly cause: MessageCause,
  ) {
    super();
  }
}

@CommandHandler(ApplyRecipientCategoryCommand)
export class ApplyRecipientCategoryHandler implements ICommandHandler<ApplyRecipientCategoryCommand> {
  constructor(@Inject(HEALTH_ASSISTANCE) private readonly ctx: HealthAssistance) {}

  async execute({ change: c, cause }: ApplyRecipientCategoryCommand): Promise<number> {
    const { ctx } = this;
    const now = ctx.now();
    const metadata = eventMetadata(
      { ...SYSTEM_ACTOR, department: 'health' },
      { now, correlationId: cause.correlationId, causationId: cause.messageId },
    );
    const county = ctx.authz.tree.get(c.countyCode)?.name ?? c.countyCode;
    const kind: CategoryFactKind =
      c.category === null ? 'suspended' : c.reason === 'suspended' ? 'changed' : c.reason;
    const facts: Array<{ idNumber: string; kind: CategoryFactKind; category: GrantedCategory | null }> = [
      ...c.memberIdNumbers.map((idNumber) => ({ idNumber, kind, category: c.category })),
      ...c.removedIdNumbers.map((idNumber) => ({ idNumber, kind: 'suspended' as const, category: null })),
    ];
    let recorded = 0;
    for (const f of facts) {
      const what = f.category ? `${CATEGORY_NAMES[f.category]}${FACT_NAMES[f.kind]}` : '救助对象类别停止';
      const reason = f.kind === 'suspended' && c.category !== null ? '（已不在保障家庭中）' : '';
      const { events } = await ctx.medical.handle(
        personKeyOf(f.idNumber),
        {
          type: 'RecordCategory',
          factId: `${cause.messageId}:${f.idNumber}`,
          // Civil affairs' household id is its application's, not intake's household: not recorded as one.
          person: { idNumber: f.idNumber, name: '', householdId: null },
          kind: f.kind,
          category: f.category,
          effectiveFrom: c.effectiveFrom,
          source: `${county}民政部门 ${what}${reason}`,
          now: now.toISOString(),
        },
        { metadata, transaction: cause.transaction },
      );
      recorded += events.length;
    }
    return recorded;
  }
}
