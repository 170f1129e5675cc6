import { DomainError } from '@platform/contracts';
import {
  DeciderStore,
  StreamVersionConflict,
  withTransaction,
  type EventMetadata,
  type EventStore,
  type RecordedEvent,
  type Subscription,
} from '@platform/event-store';
import type { Pool } from 'pg';
import { SHIPPED_CALENDAR } from '../data/calendar.data.js';
import {
  INITIAL_ALLOWANCE_STANDARDS,
  INITIAL_DEADLINES,
  INITIAL_DIBAO_PROCEDURE,
  INITIAL_DISEASE_EMERGENCY,
  INITIAL_EDUCATION_ASSISTANCE,
  INITIAL_HOUSEHOLD_VERIFICATION,
  INITIAL_HOUSING_ASSISTANCE,
  INITIAL_MATERIALS,
  INITIAL_MEDICAL_ASSISTANCE,
  INITIAL_ROUTING,
  INITIAL_TEMPORARY_ASSISTANCE_LIMITS,
  INITIAL_URGENT_ASSISTANCE,
  INITIAL_ESCALATION,
  INITIAL_ON_CALL,
} from '../data/defaults.data.js';
import {
  policyTableDecider,
  type PolicyTableCommand,
  type PolicyTableEvent,
  type PolicyTableState,
} from '../domain/policy-table.decider.js';
import {
  beijingDay,
  POLICY_TABLE_NAMES,
  POLICY_TABLES,
  versionInForce,
  type CalendarTable,
  type PolicyContent,
  type PolicyTableName,
  type PolicyVersion,
} from '../domain/policy-tables.js';
import { workingDaysDeadline, type WorkingDaysDeadline } from '../domain/working-days.js';

export const policyStream = (table: PolicyTableName) => `policy-${table}`;

/** The policy tables every service reads (the Nest token of a `PolicyTables`). */
export const POLICY_TABLES_SERVICE = Symbol('POLICY_TABLES_SERVICE');

/** Policy lives in its own schema, shared by the services like the identity schema. */
export function policySchemaOf(config: { DATABASE_SCHEMA_PREFIX?: string }): string {
  return config.DATABASE_SCHEMA_PREFIX ? `${config.DATABASE_SCHEMA_PREFIX}_policy` : 'policy';
}

const SYSTEM = { id: 'system', role: 'admin', department: 'platform', jurisdiction: '000000000000' };

function systemMetadata(now: Date): EventMetadata {
  return {
    actor: SYSTEM,
    correlationId: `policy-seed-${now.getTime()}`,
    causationId: null,
    occurredAt: now.toISOString(),
  };
}

/** The version numbers a decision applied, recorded in its event: `{ deadlines: 3, calendar: 7 }`. */
export type AppliedPolicy = Partial<Record<PolicyTableName, number>>;

/**
 * Every policy table, in memory and kept current from the policy log (schema `policy`, shared by the
 * services like the identity schema). Reads are synchronous and as of a date; changes are events.
 */
export class PolicyTables {
  private readonly versions = new Map<PolicyTableName, PolicyVersion[]>();
  private subscription: Subscription | null = null;
  readonly tables: DeciderStore<PolicyTableCommand, PolicyTableEvent, PolicyTableState>;

  constructor(
    private readonly o: {
      store: EventStore;
      pool: Pool;
      now: () => Date;
      pollIntervalMs?: number;
      onError?: (e: Error) => void;
    },
  ) {
    this.tables = new DeciderStore({
      store: o.store,
      decider: policyTableDecider,
      streamOf: (table) => policyStream(table as PolicyTableName),
      toStored: (e) => e,
      fromStored: (e: RecordedEvent) =>
        ({ type: 'policy.PolicyTableChanged', data: e.data }) as PolicyTableEvent,
    });
  }

  /**
   * On a new database, the first version of each table; and any calendar year the release ships that
   * the calendar does not hold yet (a release that brings the State Council's next schedule loads it).
   * Under an advisory lock, so services starting together seed once.
   */
  async seed(): Promise<string[]> {
    const now = this.o.now();
    const initial: { [T in PolicyTableName]: PolicyContent[T] } = {
      routing: INITIAL_ROUTING,
      materials: INITIAL_MATERIALS,
      deadlines: INITIAL_DEADLINES,
      calendar: SHIPPED_CALENDAR,
      'allowance-standards': INITIAL_ALLOWANCE_STANDARDS,
      'temporary-assistance-limits': INITIAL_TEMPORARY_ASSISTANCE_LIMITS,
      'dibao-procedure': INITIAL_DIBAO_PROCEDURE,
      'medical-assistance': INITIAL_MEDICAL_ASSISTANCE,
      'disease-emergency': INITIAL_DISEASE_EMERGENCY,
      'housing-assistance': INITIAL_HOUSING_ASSISTANCE,
      'education-assistance': INITIAL_EDUCATION_ASSISTANCE,
      'household-verification': INITIAL_HOUSEHOLD_VERIFICATION,
      'urgent-assistance': INITIAL_URGENT_ASSISTANCE,
      escalation: INITIAL_ESCALATION,
      'on-call': INITIAL_ON_CALL,
    };
    const seeded: string[] = [];
    await withTransaction(this.o.pool, async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`policy-seed:${this.o.store.schema}`]);
      const current = await this.tables.loadMany(POLICY_TABLE_NAMES, tx);
      for (const table of POLICY_TABLE_NAMES) {
        const loaded = current.get(table)!;
        let content: unknown;
        let reason = '平台初始数据';
        let effectiveFrom = '2020-01-01';
        if (loaded.version === 0) {
          content = initial[table];
        } else if (table === 'calendar') {
          const latest = loaded.state.versions.at(-1)!.content as CalendarTable;
          const missing = Object.keys(SHIPPED_CALENDAR.years).filter((y) => !latest.years[y]);
          if (missing.length === 0) continue;
          content = { years: { ...SHIPPED_CALENDAR.years, ...latest.years } };
          reason = `随版本发布的国务院节假日安排：${missing.join('、')} 年`;
          effectiveFrom = beijingDay(now);
        } else {
          continue;
        }
        await this.tables.handle(
          table,
          {
            type: 'ChangePolicyTable',
            table,
            content,
            effectiveFrom,
            reason,
            actor: SYSTEM,
            now: now.toISOString(),
          },
          { metadata: systemMetadata(now), transaction: tx, known: loaded },
        );
        seeded.push(table);
      }
    });
    return seeded;
  }

  /** Reads every table and follows the policy log from then on; resolves once it has caught up. */
  async start(): Promise<void> {
    this.subscription = this.o.store.subscribeToAll({
      pollIntervalMs: this.o.pollIntervalMs ?? 2000,
      onError: (e) => this.o.onError?.(e),
      handler: async (events) => {
        for (const e of events) {
          if (e.type === 'policy.PolicyTableChanged') this.remember(e.data as PolicyVersion);
        }
      },
    });
    await this.subscription.caughtUp;
    // Catching up stops at the log's read horizon: a transaction open anywhere on the server holds it
    // back, and versions committed after it (the seed a moment ago, another service's change) would be
    // missing until it ends. The tables' own streams are read to their end.
    const tables = await this.tables.loadMany(POLICY_TABLE_NAMES);
    for (const { state } of tables.values()) for (const v of state.versions) this.remember(v);
  }

  /** Adds a version once, keeping each table's versions in order whichever way they arrived. */
  private remember(v: PolicyVersion): void {
    const list = this.versions.get(v.table) ?? [];
    if (list.some((x) => x.version === v.version)) return;
    list.push(v);
    list.sort((a, b) => a.version - b.version);
    this.versions.set(v.table, list);
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
  }

  history<T extends PolicyTableName>(table: T): PolicyVersion<T>[] {
    return (this.versions.get(table) ?? []) as PolicyVersion<T>[];
  }

  /** The version in force on a day (Beijing) or at an instant; a refusal in Chinese when there is none. */
  asOf<T extends PolicyTableName>(table: T, at: Date | string): PolicyVersion<T> {
    const day = typeof at === 'string' ? at : beijingDay(at);
    const v = versionInForce(this.history(table), day);
    if (!v) {
      throw new DomainError('POLICY_MISSING', `${POLICY_TABLES[table].name}：${day} 没有生效的版本`, 422, {
        table,
      });
    }
    return v;
  }

  /**
   * A referral's deadline from the deadlines in force on the day it arrived and the calendar as the
   * platform knows it now (a calendar year loaded later applies to every date in that year).
   */
  deadline(
    category: string,
    urgency: 'normal' | 'urgent',
    step: 'acknowledge' | 'decide',
    from: Date,
  ): WorkingDaysDeadline & { applied: AppliedPolicy } {
    const deadlines = this.asOf('deadlines', from);
    const calendar = this.asOf('calendar', this.o.now());
    const rule = deadlines.content[category] ?? deadlines.content['*']!;
    const days = rule[urgency][step === 'acknowledge' ? 'acknowledgeDays' : 'decideDays'];
    const counted = workingDaysDeadline(from, days, calendar.content);
    const applied = { deadlines: deadlines.version, calendar: calendar.version };
    if (urgency === 'urgent' && step === 'acknowledge') {
      // 救急难: an urgent need is answered within the hours in force, weekends and holidays included,
      // when that comes before the end of its working day.
      const urgent = this.asOf('urgent-assistance', from);
      const byHours = new Date(from.getTime() + urgent.content.responseHours * 3600_000);
      if (byHours < counted.due)
        return {
          due: byHours,
          provisionalYears: [],
          applied: { ...applied, 'urgent-assistance': urgent.version },
        };
    }
    return { ...counted, applied };
  }

  /** Years a deadline due within the next `horizonDays` could fall in that have no calendar. */
  missingCalendarYears(horizonDays = 60): string[] {
    const now = this.o.now();
    const years = new Set([
      beijingDay(now).slice(0, 4),
      beijingDay(new Date(now.getTime() + horizonDays * 86_400_000)).slice(0, 4),
    ]);
    const calendar = versionInForce(this.history('calendar'), beijingDay(now));
    return [...years].filter((y) => !calendar?.content.years[y]).sort();
  }

  /** Changes a table: a new version with its effective date and reason (an event with the actor). */
  async change<T extends PolicyTableName>(
    table: T,
    change: { content: unknown; effectiveFrom: string; reason: string },
    metadata: EventMetadata,
  ): Promise<PolicyVersion<T>> {
    const now = this.o.now();
    try {
      const { state } = await this.tables.handle(
        table,
        {
          type: 'ChangePolicyTable',
          table,
          ...change,
          actor: { id: metadata.actor.id, role: metadata.actor.role },
          now: now.toISOString(),
        },
        { metadata },
      );
      const v = state.versions.at(-1)! as PolicyVersion<T>;
      // Visible to this process at once; other processes follow the log.
      const list = this.versions.get(table) ?? [];
      if (!list.some((x) => x.version === v.version)) list.push(v);
      this.versions.set(table, list);
      return v;
    } catch (e) {
      if (e instanceof StreamVersionConflict) {
        throw new DomainError(
          'POLICY_CONFLICT',
          `${POLICY_TABLES[table].name}：同时有其他调整，请刷新后重试`,
          409,
        );
      }
      throw e;
    }
  }
}
