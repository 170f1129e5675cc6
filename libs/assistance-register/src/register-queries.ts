import type { AccessLog, AuthenticatedActor, Authorizer } from '@platform/auth';
import type { RegisterScope } from '@platform/assistance-read-model';
import { DomainError } from '@platform/contracts';

/**
 * The skeleton of a department's register queries (救助台账: the assistance it has given, per person and
 * household): who may see which part of it, the list of a jurisdiction and the lookup by a household's
 * members. What a register entry says stays in the department: it hands in its rows and how an item reads.
 */

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** The actor's node as a register scope; null for auditors (everything). */
export function registerScopeOf(
  authz: Authorizer,
  actor: AuthenticatedActor,
  permission: string,
): RegisterScope | null {
  if (actor.role === 'auditor') return null;
  const own = authz.tree.get(actor.jurisdiction);
  if (!own) {
    throw new DomainError('OUT_OF_JURISDICTION', `无权执行此操作（${permission}）：账号的辖区未登记`, 403, {
      permission,
    });
  }
  return { code: own.code, level: own.level };
}

/** What a list request filters on besides the department's own fields. */
export interface RegisterListFilter {
  jurisdictionCode?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

/**
 * 台账 of the officer's jurisdiction, newest first, ID numbers masked by `itemOf`: the chosen node must be
 * a registered one within the officer's reach, the dates in order; the department's query does the rest.
 */
export async function listRegister<F extends RegisterListFilter, Row, Item>(
  authz: Authorizer,
  actor: AuthenticatedActor,
  permission: string,
  filter: F,
  list: (
    f: F & { scope: RegisterScope | null; jurisdiction?: RegisterScope },
  ) => Promise<{ rows: Row[]; total: number; page: number; pageSize: number }>,
  itemOf: (row: Row) => Item,
): Promise<Page<Item>> {
  const scope = registerScopeOf(authz, actor, permission);
  let jurisdiction: RegisterScope | undefined;
  if (filter.jurisdictionCode) {
    const code = filter.jurisdictionCode;
    const node = authz.tree.get(code);
    if (!node) {
      throw new DomainError('UNKNOWN_JURISDICTION', `jurisdictionCode：${code} 不是已登记的行政区划`, 422, {
        field: 'jurisdictionCode',
      });
    }
    if (scope) authz.assertWithin(actor, node.code, permission);
    jurisdiction = { code: node.code, level: node.level };
  }
  if (filter.from && filter.to && filter.from > filter.to) {
    throw new DomainError('DATE_OUT_OF_ORDER', 'from：起始日期不能晚于截止日期', 422, { field: 'from' });
  }
  const r = await list({ scope, jurisdiction, ...filter });
  return { items: r.rows.map(itemOf), total: r.total, page: r.page, pageSize: r.pageSize };
}

/** How a department's register is looked up by its members and recorded in the access log. */
export interface RegisterLookupSpec<Row, Item> {
  authz: Authorizer;
  accessLog: AccessLog;
  /** `<department>-register:lookup`. */
  permission: string;
  /** The access log's resource type, `<department>-register`. */
  resourceType: string;
  /** The fields shown in full, as the access log records them. */
  fields: string[];
  /** A person's key in the access log (a digest: no stream name carries the ID number). */
  personKeyOf: (idNumber: string) => string;
  rowsOf: (idNumbers: string[], scope: RegisterScope | null) => Promise<Row[]>;
  /** An entry with ID numbers in full. */
  itemOf: (row: Row) => Item;
}

/**
 * 台账查询 by a household's members: every entry of any of them in the officer's jurisdiction, ID numbers
 * in full; one access record per person asked about, under their key, so an auditor finds every lookup.
 */
export async function lookupRegister<Row, Item>(
  spec: RegisterLookupSpec<Row, Item>,
  actor: AuthenticatedActor,
  idNumbers: string[],
  purpose: string | null,
): Promise<{ idNumbers: string[]; items: Item[] }> {
  const scope = registerScopeOf(spec.authz, actor, spec.permission);
  const ids = [...new Set(idNumbers.map((id) => id.trim().toUpperCase()))];
  const rows = await spec.rowsOf(ids, scope);
  for (const id of ids) {
    await spec.accessLog.record(actor, {
      resourceType: spec.resourceType,
      resourceId: spec.personKeyOf(id),
      caseId: null,
      fields: spec.fields,
      purpose,
    });
  }
  return { idNumbers: ids, items: rows.map(spec.itemOf) };
}
