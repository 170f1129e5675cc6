import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DomainError } from '@platform/contracts';
import { quoteIdent, withSnapshot } from '@platform/event-store';
import type { JurisdictionLevel, JurisdictionNode, JurisdictionTree } from '../../domain/jurisdiction.js';
import type { Role } from '../../domain/roles.js';
import { assertAdminMayManage, knownJurisdiction, LEVEL_NAMES_ZH } from '../../domain/user-rules.js';
import { USER_COLUMNS, toUserRow, type UserRecord } from '../../identity/user-rows.js';
import { USER_STREAM_PREFIX } from '../../identity/user-store.js';
import type { AuthenticatedActor } from '../../tokens.js';
import { IDENTITY_ADMIN, type IdentityAdmin } from '../identity-admin.js';
import {
  historySummary,
  roleNameOf,
  userView,
  type Page,
  type UserHistoryItem,
  type UserView,
} from '../user-views.js';

export interface UserListFilter {
  role?: Role;
  /** Users placed at this division or below it. */
  jurisdiction?: string;
  active?: boolean;
  /** Part of the username or the name. */
  q?: string;
  page: number;
  pageSize: number;
}

/** The codes of `root` and everything below it; null when that is the whole tree. */
function subtree(tree: JurisdictionTree, root: string): string[] | null {
  if (tree.get(root)?.parentCode === null && tree.list().every((n) => tree.contains(root, n.code)))
    return null;
  return tree
    .list()
    .filter((n) => tree.contains(root, n.code))
    .map((n) => n.code);
}

/** The users an administrator manages (a county administrator: their county's), filtered and paginated. */
export class ListUsersQuery extends Query<Page<UserView>> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly filter: UserListFilter,
  ) {
    super();
  }
}

@QueryHandler(ListUsersQuery)
export class ListUsersHandler implements IQueryHandler<ListUsersQuery> {
  constructor(@Inject(IDENTITY_ADMIN) private readonly identity: IdentityAdmin) {}

  async execute({ actor, filter }: ListUsersQuery): Promise<Page<UserView>> {
    const tree = this.identity.tree();
    if (filter.jurisdiction) {
      knownJurisdiction(tree, filter.jurisdiction);
      assertAdminMayManage(tree, actor, filter.jurisdiction, 'admin:users:list');
    } else {
      assertAdminMayManage(tree, actor, actor.jurisdiction, 'admin:users:list');
    }
    const codes = subtree(tree, filter.jurisdiction ?? actor.jurisdiction);
    const where: string[] = [];
    const values: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      values.push(value);
      where.push(sql(`$${values.length}`));
    };
    if (codes) add((p) => `jurisdiction = ANY(${p}::text[])`, codes);
    if (filter.role) add((p) => `role = ${p}`, filter.role);
    if (filter.active !== undefined) add((p) => `active = ${p}`, filter.active);
    if (filter.q) {
      const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      add((p) => `(username ILIKE ${p} OR name ILIKE ${p})`, pattern);
    }
    const s = quoteIdent(this.identity.schema);
    const w = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    // The total and the page from one snapshot: a user added between them would make them disagree.
    const [total, rows] = await withSnapshot(this.identity.pool, async (tx) => {
      const n = (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${s}.users ${w}`, values))
        .rows[0]!.n;
      const page = await tx.query<UserRecord>(
        `SELECT ${USER_COLUMNS} FROM ${s}.users ${w} ORDER BY username LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
        [...values, filter.pageSize, (filter.page - 1) * filter.pageSize],
      );
      return [n, page.rows] as const;
    });
    return {
      items: rows.map((r) => userView(toUserRow(r), tree)),
      total,
      page: filter.page,
      pageSize: filter.pageSize,
    };
  }
}

export interface UserDetail extends UserView {
  /** Every change of the account, oldest first, with who made it. */
  history: UserHistoryItem[];
}

/** One user with the history of their account (from the user's event stream). */
export class ViewUserQuery extends Query<UserDetail> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly userId: string,
  ) {
    super();
  }
}

const TOOL_NAMES: Record<string, string> = { system: '系统', 'cli:admin-create': '命令行 admin:create' };

@QueryHandler(ViewUserQuery)
export class ViewUserHandler implements IQueryHandler<ViewUserQuery> {
  constructor(@Inject(IDENTITY_ADMIN) private readonly identity: IdentityAdmin) {}

  async execute({ actor, userId }: ViewUserQuery): Promise<UserDetail> {
    const row = await this.identity.administration.scoped(actor, userId, 'admin:users:view');
    const tree = this.identity.tree();
    const events = await this.identity.store.readStream(`${USER_STREAM_PREFIX}${userId}`);
    const actorIds = [...new Set(events.map((e) => e.metadata.actor.id))];
    const { rows } = await this.identity.pool.query<{ id: string; name: string }>(
      `SELECT id, name FROM ${quoteIdent(this.identity.schema)}.users WHERE id = ANY($1::text[])`,
      [actorIds],
    );
    const names = new Map(rows.map((r) => [r.id, r.name]));
    return {
      ...userView(row, tree),
      history: events.map((e) => {
        const { summary, reason } = historySummary(e.type, e.data as Record<string, unknown>, tree);
        const by = e.metadata.actor;
        return {
          type: e.type,
          summary,
          reason,
          at: e.recordedAt.toISOString(),
          by: {
            id: by.id,
            name: names.get(by.id) ?? TOOL_NAMES[by.id] ?? by.id,
            role: by.role,
            roleName: roleNameOf(by.role),
          },
        };
      }),
    };
  }
}

export interface JurisdictionView {
  code: string;
  name: string;
  officialName: string | null;
  level: JurisdictionLevel;
  levelName: string;
  parentCode: string | null;
  fullName: string;
  children: number;
}

export interface JurisdictionFilter {
  level?: JurisdictionLevel;
  /** Only the divisions directly below this one. */
  parent?: string;
  /** Part of the name, or the beginning of the code. */
  q?: string;
  page: number;
  pageSize: number;
}

/** The jurisdiction tree (a county administrator: their county's part), filtered and paginated. */
export class ListJurisdictionsQuery extends Query<Page<JurisdictionView>> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly filter: JurisdictionFilter,
  ) {
    super();
  }
}

function jurisdictionView(tree: JurisdictionTree, n: JurisdictionNode, children: Map<string, number>) {
  return {
    code: n.code,
    name: n.name,
    officialName: n.officialName ?? null,
    level: n.level,
    levelName: LEVEL_NAMES_ZH[n.level],
    parentCode: n.parentCode,
    fullName: tree.fullName(n.code),
    children: children.get(n.code) ?? 0,
  };
}

function childCounts(tree: JurisdictionTree): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of tree.list())
    if (n.parentCode) counts.set(n.parentCode, (counts.get(n.parentCode) ?? 0) + 1);
  return counts;
}

@QueryHandler(ListJurisdictionsQuery)
export class ListJurisdictionsHandler implements IQueryHandler<ListJurisdictionsQuery> {
  constructor(@Inject(IDENTITY_ADMIN) private readonly identity: IdentityAdmin) {}

  async execute({ actor, filter }: ListJurisdictionsQuery): Promise<Page<JurisdictionView>> {
    const tree = this.identity.tree();
    if (filter.parent) {
      knownJurisdiction(tree, filter.parent, 'parent');
      assertAdminMayManage(tree, actor, filter.parent, 'admin:jurisdictions:list');
    }
    const q = filter.q?.trim();
    const matches = tree
      .list()
      .filter((n) => tree.contains(actor.jurisdiction, n.code))
      .filter((n) => !filter.level || n.level === filter.level)
      .filter((n) => !filter.parent || n.parentCode === filter.parent)
      .filter((n) => !q || n.name.includes(q) || (n.officialName ?? '').includes(q) || n.code.startsWith(q))
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    const counts = childCounts(tree);
    return {
      items: matches
        .slice((filter.page - 1) * filter.pageSize, filter.page * filter.pageSize)
        .map((n) => jurisdictionView(tree, n, counts)),
      total: matches.length,
      page: filter.page,
      pageSize: filter.pageSize,
    };
  }
}

/** One division with the path up to the city. */
export class ViewJurisdictionQuery extends Query<JurisdictionView & { path: JurisdictionView[] }> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly code: string,
  ) {
    super();
  }
}

@QueryHandler(ViewJurisdictionQuery)
export class ViewJurisdictionHandler implements IQueryHandler<ViewJurisdictionQuery> {
  constructor(@Inject(IDENTITY_ADMIN) private readonly identity: IdentityAdmin) {}

  async execute({ actor, code }: ViewJurisdictionQuery) {
    const tree = this.identity.tree();
    const node = tree.get(code);
    if (!node) throw new DomainError('JURISDICTION_NOT_FOUND', `区划代码 ${code} 不存在`, 404);
    assertAdminMayManage(tree, actor, code, 'admin:jurisdictions:view');
    const counts = childCounts(tree);
    return {
      ...jurisdictionView(tree, node, counts),
      path: tree
        .path(code)
        .reverse()
        .map((n) => jurisdictionView(tree, n, counts)),
    };
  }
}

/** Names beside the ids and codes the audit records carry: officers' names, roles and places; no contact data. */
export class UserNamesQuery extends Query<{
  users: Array<{ id: string; name: string; roleName: string; jurisdictionName: string }>;
  jurisdictions: Array<{ code: string; name: string; fullName: string }>;
}> {
  constructor(
    readonly ids: string[],
    readonly codes: string[],
  ) {
    super();
  }
}

@QueryHandler(UserNamesQuery)
export class UserNamesHandler implements IQueryHandler<UserNamesQuery> {
  constructor(@Inject(IDENTITY_ADMIN) private readonly identity: IdentityAdmin) {}

  async execute({ ids, codes }: UserNamesQuery) {
    const tree = this.identity.tree();
    const { rows } = ids.length
      ? await this.identity.pool.query<UserRecord>(
          `SELECT ${USER_COLUMNS} FROM ${quoteIdent(this.identity.schema)}.users WHERE id = ANY($1::text[])`,
          [ids],
        )
      : { rows: [] };
    return {
      users: rows.map((r) => {
        const u = toUserRow(r);
        return {
          id: u.id,
          name: u.name,
          roleName: roleNameOf(u.role),
          jurisdictionName: tree.get(u.jurisdiction) ? tree.fullName(u.jurisdiction) : u.jurisdiction,
        };
      }),
      jurisdictions: codes
        .filter((c) => tree.get(c))
        .map((c) => ({ code: c, name: tree.get(c)!.name, fullName: tree.fullName(c) })),
    };
  }
}
