import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  categoryAfterCivilFact,
  householdCategoryOn,
  type CivilAffairsCategory,
} from '../../domain/category-facts.js';
import { categoryOf } from '../../domain/public-rental.decider.js';
import {
  HOUSING_ASSISTANCE,
  systemMetadata,
  type HousingContext,
  type MessageCause,
} from '../housing-context.js';

/** What civil affairs said (`civil-affairs.RecipientCategoryChanged`), as this command needs it. */
export interface RecipientCategoryChange {
  /** The message's id: each fact is recorded once, whatever the redeliveries. */
  messageId: string;
  householdId: string;
  countyCode: string;
  memberIdNumbers: string[];
  removedIdNumbers: string[];
  category: CivilAffairsCategory | null;
  effectiveFrom: string;
  reason: string;
}

const REASON_NAMES: Record<string, string> = { granted: '批准', changed: '变更', suspended: '停止' };

/**
 * Civil affairs granted, changed or stopped a household's dibao or special-hardship category: a dated
 * fact for each member (removed members lose it), and each household waiting for public rental housing
 * in the county that any of them belongs to takes its new category from that day (its place in line).
 * Runs in the inbox transaction.
 */
export class RecordRecipientCategoryCommand extends Command<void> {
  constructor(
    readonly change: RecipientCategoryChange,
    readonly cause: MessageCause,
  ) {
    super();
  }
}

@CommandHandler(RecordRecipientCategoryCommand)
export class RecordRecipientCategoryHandler implements ICommandHandler<RecordRecipientCategoryCommand> {
  constructor(@Inject(HOUSING_ASSISTANCE) private readonly ctx: HousingContext) {}

  async execute({ change, cause }: RecordRecipientCategoryCommand): Promise<void> {
    const now = this.ctx.now();
    const metadata = systemMetadata(now, cause);
    const { transaction } = cause;
    // Members in the household keep the category; removed ones lose it (a member listed both ways stays).
    const byPerson = new Map<string, CivilAffairsCategory | null>();
    for (const id of change.removedIdNumbers) byPerson.set(id, null);
    for (const id of change.memberIdNumbers) byPerson.set(id, change.category);
    const facts = [...byPerson].map(([idNumber, category]) => ({ idNumber, category }));
    const known = await this.ctx.categories.loadMany(
      facts.map((f) => f.idNumber),
      transaction,
    );
    for (const f of facts) {
      await this.ctx.categories.handle(
        f.idNumber,
        {
          type: 'RecordCategoryFact',
          factId: change.messageId,
          idNumber: f.idNumber,
          category: f.category,
          effectiveFrom: change.effectiveFrom,
          civilAffairsHouseholdId: change.householdId,
          reason: change.reason,
          now: now.toISOString(),
        },
        { metadata, transaction, known: known.get(f.idNumber) },
      );
    }

    // Waiting households of the county with any of these people. A household that moved to another
    // county's list learns its category when it is next decided on (appraisal, grant, review).
    const touched = new Set(facts.map((f) => f.idNumber));
    const { state: line } = await this.ctx.waitingLists.load(change.countyCode, { transaction });
    const waiting = line.applications.filter(
      (a) => a.status === 'waiting' && a.household.memberIdNumbers.some((m) => touched.has(m)),
    );
    for (const a of waiting) {
      const members = await this.ctx.categories.loadMany(a.household.memberIdNumbers, transaction);
      const civil = householdCategoryOn(
        [...members.values()].map((m) => m.state),
        change.effectiveFrom,
      );
      const declared = a.categories[0]?.category ?? 'other';
      const category = categoryAfterCivilFact(civil, declared);
      if (category === categoryOf(a, change.effectiveFrom)) continue;
      await this.ctx.waitingLists.handle(
        change.countyCode,
        {
          type: 'ChangeCategory',
          factId: change.messageId,
          applicationId: a.applicationId,
          category,
          effectiveFrom: change.effectiveFrom,
          source: `民政部门${REASON_NAMES[change.reason] ?? change.reason}低保、特困认定`,
          now: now.toISOString(),
        },
        { metadata, transaction },
      );
    }
  }
}
