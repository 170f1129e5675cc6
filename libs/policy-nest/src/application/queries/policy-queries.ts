import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  beijingDay,
  POLICY_TABLE_NAMES,
  POLICY_TABLES,
  versionInForce,
  type PolicyTableName,
  type PolicyVersion,
} from '@platform/policy';
import { POLICY, type PolicyContext } from '../policy-context.js';

export interface PolicyTableSummary {
  table: PolicyTableName;
  name: string;
  inForce: { version: number; effectiveFrom: string; reason: string } | null;
  /** Versions recorded with an effective date still to come. */
  scheduled: Array<{ version: number; effectiveFrom: string; reason: string }>;
  versions: number;
}

/** Every table: the version in force today and what is scheduled. */
export class ListPolicyTablesQuery extends Query<{
  items: PolicyTableSummary[];
  missingCalendarYears: string[];
}> {}

@QueryHandler(ListPolicyTablesQuery)
export class ListPolicyTablesHandler implements IQueryHandler<ListPolicyTablesQuery> {
  constructor(@Inject(POLICY) private readonly policy: PolicyContext) {}

  async execute() {
    const today = beijingDay(this.policy.now());
    const brief = (v: PolicyVersion) => ({
      version: v.version,
      effectiveFrom: v.effectiveFrom,
      reason: v.reason,
    });
    return {
      items: POLICY_TABLE_NAMES.map((table) => {
        const history = this.policy.tables.history(table);
        const inForce = versionInForce(history, today);
        return {
          table,
          name: POLICY_TABLES[table].name,
          inForce: inForce ? brief(inForce) : null,
          scheduled: history.filter((v) => v.effectiveFrom > today).map(brief),
          versions: history.length,
        };
      }),
      missingCalendarYears: this.policy.tables.missingCalendarYears(),
    };
  }
}

/** A table as it stood (or will stand) on a day. */
export class PolicyTableAsOfQuery extends Query<PolicyVersion> {
  constructor(
    readonly table: PolicyTableName,
    readonly day: string | undefined,
  ) {
    super();
  }
}

@QueryHandler(PolicyTableAsOfQuery)
export class PolicyTableAsOfHandler implements IQueryHandler<PolicyTableAsOfQuery> {
  constructor(@Inject(POLICY) private readonly policy: PolicyContext) {}

  async execute({ table, day }: PolicyTableAsOfQuery) {
    return this.policy.tables.asOf(table, day ?? this.policy.now());
  }
}

/** Every version of a table, newest first, paged. */
export class PolicyTableHistoryQuery extends Query<{
  items: PolicyVersion[];
  total: number;
  page: number;
  pageSize: number;
}> {
  constructor(
    readonly table: PolicyTableName,
    readonly page: number,
    readonly pageSize: number,
  ) {
    super();
  }
}

@QueryHandler(PolicyTableHistoryQuery)
export class PolicyTableHistoryHandler implements IQueryHandler<PolicyTableHistoryQuery> {
  constructor(@Inject(POLICY) private readonly policy: PolicyContext) {}

  async execute({ table, page, pageSize }: PolicyTableHistoryQuery) {
    const all = [...this.policy.tables.history(table)].sort((a, b) => b.version - a.version);
    return { items: all.slice((page - 1) * pageSize, page * pageSize), total: all.length, page, pageSize };
  }
}
