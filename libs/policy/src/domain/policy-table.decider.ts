import { DomainError } from '@platform/contracts';
import {
  POLICY_TABLES,
  type PolicyContent,
  type PolicyTableName,
  type PolicyVersion,
} from './policy-tables.js';

/**
 * A policy table's history (stream `policy-<table>`): every change is a new version with an effective
 * date (past, today or future), a reason and its author. Versions are never edited or removed; a
 * correction is a new version, so a decision made under version n can always be explained by version n.
 */
export type PolicyTableCommand = {
  type: 'ChangePolicyTable';
  table: PolicyTableName;
  content: unknown;
  effectiveFrom: string;
  reason: string;
  actor: { id: string; role: string };
  now: string;
};

export type PolicyTableEvent = {
  type: 'policy.PolicyTableChanged';
  data: Omit<PolicyVersion, 'recordedBy'> & { recordedBy: { id: string; role: string } };
};

export interface PolicyTableState {
  table: PolicyTableName | null;
  versions: PolicyVersion[];
}

export const initialPolicyTableState = (): PolicyTableState => ({ table: null, versions: [] });

/** JSON with object keys sorted: stored tables come back from JSONB with their keys reordered. */
export function canonicalPolicyJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalPolicyJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalPolicyJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

const invalid = (field: string, message: string): never => {
  throw new DomainError('POLICY_INVALID', `${field}：${message}`, 422, { field });
};

export function decidePolicyTable(command: PolicyTableCommand, state: PolicyTableState): PolicyTableEvent[] {
  const { table } = command;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(command.effectiveFrom) || Number.isNaN(Date.parse(command.effectiveFrom))) {
    invalid('effectiveFrom', '生效日期格式应为 YYYY-MM-DD');
  }
  const reason = command.reason.trim();
  if (reason.length < 4) invalid('reason', '请说明调整理由（至少 4 个字）');
  const parsed = POLICY_TABLES[table].schema.safeParse(command.content);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    invalid(['content', ...issue.path.map(String)].join('.'), issue.message);
  }
  const content = parsed.data as PolicyContent[typeof table];
  const latest = state.versions.at(-1);
  if (
    latest &&
    latest.effectiveFrom === command.effectiveFrom &&
    canonicalPolicyJson(latest.content) === canonicalPolicyJson(content)
  ) {
    throw new DomainError(
      'POLICY_UNCHANGED',
      `${POLICY_TABLES[table].name}：与第 ${latest.version} 版内容和生效日期相同，未作调整`,
      409,
    );
  }
  return [
    {
      type: 'policy.PolicyTableChanged',
      data: {
        table,
        version: (latest?.version ?? 0) + 1,
        effectiveFrom: command.effectiveFrom,
        content,
        reason,
        recordedAt: command.now,
        recordedBy: { id: command.actor.id, role: command.actor.role },
      },
    },
  ];
}

export function evolvePolicyTable(state: PolicyTableState, event: PolicyTableEvent): PolicyTableState {
  return { table: event.data.table, versions: [...state.versions, event.data] };
}

export const policyTableDecider = {
  decide: decidePolicyTable,
  evolve: evolvePolicyTable,
  initialState: initialPolicyTableState,
};
