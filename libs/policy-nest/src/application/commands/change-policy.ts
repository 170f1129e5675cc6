import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Authorizer, eventMetadata, type AuthenticatedActor } from '@platform/auth';
import { DomainError } from '@platform/contracts';
import {
  canonicalPolicyJson,
  type CalendarTable,
  type PolicyTableName,
  type PolicyVersion,
} from '@platform/policy';
import { POLICY, type PolicyContext } from '../policy-context.js';

/** A new version of a policy table, effective from a date (past, today or future), with a reason. */
export class ChangePolicyTableCommand extends Command<PolicyVersion> {
  constructor(
    readonly table: PolicyTableName,
    readonly change: { content: unknown; effectiveFrom: string; reason: string },
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

/**
 * City administrators change every table. A county administrator changes only their own county's
 * allowance standards: every other entry must stay as it is in force today.
 */
function assertMayChange(authz: Authorizer, policy: PolicyContext, c: ChangePolicyTableCommand): void {
  const level = authz.tree.get(c.actor.jurisdiction)?.level;
  if (level === 'city') return;
  const county = c.actor.jurisdiction;
  if (
    level === 'county' &&
    c.table === 'allowance-standards' &&
    c.change.content &&
    typeof c.change.content === 'object'
  ) {
    const current = policy.tables.asOf('allowance-standards', policy.now()).content as Record<
      string,
      unknown
    >;
    const proposed = c.change.content as Record<string, unknown>;
    const others = (t: Record<string, unknown>) =>
      canonicalPolicyJson(Object.fromEntries(Object.entries(t).filter(([k]) => k !== county)));
    if (others(current) === others(proposed)) return;
    throw new DomainError(
      'OUT_OF_JURISDICTION',
      `无权执行此操作（policy:change）：旗县区管理员只能调整本旗县区（${authz.tree.fullName(county)}）的保障标准`,
      403,
      { permission: 'policy:change' },
    );
  }
  throw new DomainError(
    'OUT_OF_JURISDICTION',
    '无权执行此操作（policy:change）：政策参数由市级管理员调整',
    403,
    {
      permission: 'policy:change',
    },
  );
}

@CommandHandler(ChangePolicyTableCommand)
export class ChangePolicyTableHandler implements ICommandHandler<ChangePolicyTableCommand> {
  constructor(
    @Inject(POLICY) private readonly policy: PolicyContext,
    @Inject(Authorizer) private readonly authz: Authorizer,
  ) {}

  execute(command: ChangePolicyTableCommand): Promise<PolicyVersion> {
    assertMayChange(this.authz, this.policy, command);
    const { table, change, actor } = command;
    return this.policy.tables.change(table, change, eventMetadata(actor, { now: this.policy.now() }));
  }
}

/**
 * The State Council's holiday schedule for a year, added to the working-day calendar (a new version of the
 * calendar table, effective today): deadlines counted without it are then recomputed by each desk.
 */
export class LoadCalendarYearCommand extends Command<PolicyVersion> {
  constructor(
    readonly year: string,
    readonly days: CalendarTable['years'][string],
    readonly reason: string,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(LoadCalendarYearCommand)
export class LoadCalendarYearHandler implements ICommandHandler<LoadCalendarYearCommand> {
  constructor(
    @Inject(POLICY) private readonly policy: PolicyContext,
    @Inject(Authorizer) private readonly authz: Authorizer,
  ) {}

  execute({ year, days, reason, actor }: LoadCalendarYearCommand): Promise<PolicyVersion> {
    if (this.authz.tree.get(actor.jurisdiction)?.level !== 'city') {
      throw new DomainError(
        'OUT_OF_JURISDICTION',
        '无权执行此操作（policy:change）：工作日历由市级管理员载入',
        403,
        {
          permission: 'policy:change',
        },
      );
    }
    for (const day of [...Object.keys(days.holidays), ...Object.keys(days.workingWeekends)]) {
      if (!day.startsWith(`${year}-`)) {
        throw new DomainError('POLICY_INVALID', `日期 ${day} 不属于 ${year} 年`, 422, { field: 'holidays' });
      }
    }
    const now = this.policy.now();
    const current = this.policy.tables.asOf('calendar', now).content;
    return this.policy.tables.change(
      'calendar',
      {
        content: { years: { ...current.years, [year]: days } },
        effectiveFrom: new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10),
        reason,
      },
      eventMetadata(actor, { now }),
    );
  }
}
