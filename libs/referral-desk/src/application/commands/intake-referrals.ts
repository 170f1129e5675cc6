import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata, SYSTEM_ACTOR } from '@platform/auth';
import { CLOCK, type Clock } from '@platform/config';
import type { DbExecutor, RecordedEvent } from '@platform/event-store';
import type {
  ReferralCommand,
  ReferralDetails,
  ReferralState,
  ReferralStatus,
} from '../../domain/referral.decider.js';
import { workingDaysDeadline } from '@platform/policy';
import { ReferralDesks, type ReferralDesk } from '../referral-desks.js';

/** The years either deadline was counted in without a calendar, once each. */
function yearsOf(...deadlines: Array<{ provisionalYears: string[] }>): string[] {
  return [...new Set(deadlines.flatMap((d) => d.provisionalYears))].sort();
}

/** Where a consumer's command runs: in its inbox transaction, caused by one message. */
export interface MessageCause {
  transaction: DbExecutor;
  correlationId: string;
  causationId: string;
  /** The referral's stream as read for the whole batch in this transaction, when it was. */
  stream?: RecordedEvent[];
}

/** Intake referred a need to this department: it lands on the desk with working-day deadlines. */
export class ReceiveReferralCommand extends Command<ReferralStatus> {
  constructor(
    readonly department: string,
    readonly details: ReferralDetails,
    readonly cause: MessageCause,
  ) {
    super();
  }
}

@CommandHandler(ReceiveReferralCommand)
export class ReceiveReferralHandler implements ICommandHandler<ReceiveReferralCommand> {
  constructor(
    @Inject(ReferralDesks) private readonly desks: ReferralDesks,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(c: ReceiveReferralCommand): Promise<ReferralStatus> {
    const desk = this.desks.get(c.department);
    const now = this.clock.now();
    const { category, urgency } = c.details;
    const acknowledge = desk.policy.deadline(category, urgency, 'acknowledge', now);
    const decide = desk.policy.deadline(category, urgency, 'decide', now);
    const { state } = await desk.referrals.handle(
      c.details.referralId,
      {
        type: 'ReceiveReferral',
        details: c.details,
        acknowledgeBy: acknowledge.due.toISOString(),
        decideBy: decide.due.toISOString(),
        policy: { ...acknowledge.applied, ...decide.applied },
        provisionalYears: yearsOf(acknowledge, decide),
        now: now.toISOString(),
      },
      {
        metadata: eventMetadata({ ...SYSTEM_ACTOR, department: c.department }, { now, ...c.cause }),
        transaction: c.cause.transaction,
        known: c.cause.stream ? desk.referrals.fold(c.cause.stream) : undefined,
      },
    );
    return state.status;
  }
}

/** Intake revoked its referral: an open referral on the desk is revoked; a finished one stays. */
export class RevokeReferralCommand extends Command<ReferralStatus> {
  constructor(
    readonly department: string,
    readonly referralId: string,
    readonly reason: string,
    readonly cause: MessageCause,
  ) {
    super();
  }
}

@CommandHandler(RevokeReferralCommand)
export class RevokeReferralHandler implements ICommandHandler<RevokeReferralCommand> {
  constructor(
    @Inject(ReferralDesks) private readonly desks: ReferralDesks,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(c: RevokeReferralCommand): Promise<ReferralStatus> {
    const desk = this.desks.get(c.department);
    const now = this.clock.now();
    const known = c.cause.stream
      ? desk.referrals.fold(c.cause.stream)
      : await desk.referrals.load(c.referralId, { transaction: c.cause.transaction });
    if (known.state.status === 'none' || known.state.status === 'completed') return known.state.status;
    const { state } = await desk.referrals.handle(
      c.referralId,
      { type: 'RevokeReferral', reason: c.reason, now: now.toISOString() },
      {
        metadata: eventMetadata({ ...SYSTEM_ACTOR, department: c.department }, { now, ...c.cause }),
        transaction: c.cause.transaction,
        known,
      },
    );
    return state.status;
  }
}

/** The deadline watch: one ReferralOverdue per missed deadline, whoever runs it (the decider decides once). */
export class MarkOverdueReferralsCommand extends Command<number> {
  constructor(readonly department: string) {
    super();
  }
}

@CommandHandler(MarkOverdueReferralsCommand)
export class MarkOverdueReferralsHandler implements ICommandHandler<MarkOverdueReferralsCommand> {
  constructor(
    @Inject(ReferralDesks) private readonly desks: ReferralDesks,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(c: MarkOverdueReferralsCommand): Promise<number> {
    const desk = this.desks.get(c.department);
    const now = this.clock.now();
    const ids = await desk.inbox.dueForOverdue(now);
    for (const id of ids) {
      await desk.referrals.handle(
        id,
        { type: 'MarkOverdue', now: now.toISOString() },
        { metadata: eventMetadata({ ...SYSTEM_ACTOR, department: c.department }, { now }) },
      );
    }
    return ids.length;
  }
}

/**
 * Deadlines counted without a calendar (its year was not loaded) are counted again from the day the
 * referral arrived, under the deadlines version applied then and the calendar known now: one event per
 * referral whose deadlines change, the old values kept in it. Run by the desk's deadline watch.
 */
export class RecomputeProvisionalDeadlinesCommand extends Command<number> {
  constructor(readonly department: string) {
    super();
  }
}

@CommandHandler(RecomputeProvisionalDeadlinesCommand)
export class RecomputeProvisionalDeadlinesHandler implements ICommandHandler<RecomputeProvisionalDeadlinesCommand> {
  constructor(
    @Inject(ReferralDesks) private readonly desks: ReferralDesks,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(c: RecomputeProvisionalDeadlinesCommand): Promise<number> {
    const desk = this.desks.get(c.department);
    const now = this.clock.now();
    const loaded = new Set(Object.keys(desk.policy.asOf('calendar', now).content.years));
    let changed = 0;
    for (const id of await desk.inbox.provisionalDeadlines()) {
      const { state } = await desk.referrals.load(id);
      const years = state.deadlinesProvisional.filter((y) => loaded.has(y));
      if (years.length === 0) continue;
      const command = recountDeadlines(
        desk,
        state,
        now,
        (calendarVersion) =>
          `已载入 ${years.join('、')} 年工作日历（第 ${calendarVersion} 版），按实际节假日重新计算期限`,
      );
      if (!command) continue;
      const { events } = await desk.referrals.handle(id, command, {
        metadata: eventMetadata({ ...SYSTEM_ACTOR, department: c.department }, { now }),
      });
      if (events.length > 0) changed++;
    }
    return changed;
  }
}

/**
 * A referral's deadlines counted again from the day it arrived: under the deadlines version applied then
 * (a later change of the rules never moves a running deadline) and the calendar known now.
 */
export function recountDeadlines(
  desk: ReferralDesk,
  state: ReferralState,
  now: Date,
  reason: (calendarVersion: number) => string,
): Extract<ReferralCommand, { type: 'RecomputeDeadlines' }> | null {
  if (!state.details || !state.receivedAt) return null;
  const from = new Date(state.receivedAt);
  const calendar = desk.policy.asOf('calendar', now);
  const version = state.policy.deadlines;
  const rules =
    (version && desk.policy.history('deadlines').find((v) => v.version === version)) ||
    desk.policy.asOf('deadlines', from);
  const rule = rules.content[state.details.category] ?? rules.content['*']!;
  const days = rule[state.details.urgency];
  const acknowledge = workingDaysDeadline(from, days.acknowledgeDays, calendar.content);
  const decide = workingDaysDeadline(from, days.decideDays, calendar.content);
  return {
    type: 'RecomputeDeadlines',
    acknowledgeBy: acknowledge.due.toISOString(),
    decideBy: decide.due.toISOString(),
    policy: { deadlines: rules.version, calendar: calendar.version },
    provisionalYears: yearsOf(acknowledge, decide),
    reason: reason(calendar.version),
    now: now.toISOString(),
  };
}
