import { DomainError } from '@platform/contracts';
import { quoteIdent, uuidv7, withTransaction, type DbExecutor, type EventStore } from '@platform/event-store';
import type { Pool } from 'pg';
import type { JurisdictionTree } from '../domain/jurisdiction.js';
import { assertPasswordAcceptable } from '../domain/password-policy.js';
import type { Role } from '../domain/roles.js';
import {
  assertAdminMayManage,
  assertAssignmentAllowed,
  DEFAULT_DEPARTMENT_OF_ROLE,
  knownJurisdiction,
} from '../domain/user-rules.js';
import type { Assignment, ExistingUser, UserCommand, UserOrigin } from '../domain/user.decider.js';
import { eventMetadata } from '../event-metadata.js';
import { projectUserEvents, readUserRow, type UserRow } from '../identity/user-rows.js';
import { userStore, type UserStore } from '../identity/user-store.js';
import { hashPassword, verifyPassword } from '../passwords.js';
import type { AuthenticatedActor } from '../tokens.js';

export interface UserAdministrationOptions {
  /** The service role's pool. */
  pool: Pool;
  /** The identity schema's event store (always PostgreSQL: its events and `users` share a transaction). */
  store: EventStore;
  /** The identity schema, unquoted. */
  schema: string;
  tree: () => JurisdictionTree;
  now: () => Date;
  /** After a committed change of a user: the token check forgets what it cached about them. */
  onChanged?: (userId: string) => void;
}

export interface CreateUserRequest {
  username: string;
  name: string;
  role: Role;
  jurisdiction: string;
  /** Defaults to the role's department. */
  department?: string;
  organisation?: string | null;
  /** The initial password, chosen by whoever creates the account. */
  password: string;
  /** Work email for overdue reminders. */
  email?: string | null;
}

export interface AssignmentRequest {
  role: Role;
  jurisdiction: string;
  department?: string;
  organisation?: string | null;
  reason?: string | null;
}

export interface CreateOptions {
  origin: Extract<UserOrigin, 'admin' | 'cli'>;
  /** The user must choose their own password at first login (true for accounts made by an administrator). */
  mustChangePassword: boolean;
  /** Extra metadata on the event (e.g. which command-line tool, on which host). */
  metadata?: Record<string, unknown>;
  /** The request field a password problem names (default `password`). */
  passwordField?: string;
}

const USER_ID = /^[A-Za-z0-9._:-]{1,100}$/;

const notFound = () => new DomainError('USER_NOT_FOUND', '用户不存在', 404);

/**
 * The users' command path, shared by the admin API's command handlers and `npm run admin:create`: checks
 * that need the database (jurisdiction scope, the other active city administrators, the old password),
 * then `DeciderStore.handle` inside a transaction that also writes `users` (the inline projection), so
 * the change and its event commit together and the very next request sees it.
 */
export class UserAdministration {
  private readonly users: UserStore;
  private readonly s: string;

  constructor(private readonly o: UserAdministrationOptions) {
    this.users = userStore(o.store);
    this.s = quoteIdent(o.schema);
  }

  async create(actor: AuthenticatedActor, req: CreateUserRequest, options: CreateOptions): Promise<UserRow> {
    const tree = this.o.tree();
    const node = knownJurisdiction(tree, req.jurisdiction);
    assertAdminMayManage(tree, actor, node.code, 'admin:users:create');
    const assignment: Assignment = {
      role: req.role,
      department: req.department ?? DEFAULT_DEPARTMENT_OF_ROLE[req.role],
      jurisdiction: node.code,
      jurisdictionLevel: node.level,
      organisation: req.organisation ?? null,
    };
    // Checked again by the decider; here first, so that a refused request costs no password hash.
    assertAssignmentAllowed(assignment.role, assignment.department, assignment.jurisdictionLevel);
    assertPasswordAcceptable(req.password, req.username, options.passwordField ?? 'password');
    const passwordHash = await hashPassword(req.password);
    const userId = uuidv7();
    const now = this.o.now();
    return withTransaction(this.o.pool, async (tx) => {
      const { events } = await this.users.handle(
        userId,
        {
          type: 'CreateUser',
          userId,
          username: req.username,
          name: req.name,
          assignment,
          mustChangePassword: options.mustChangePassword,
          origin: options.origin,
          email: normaliseEmail(req.email),
          by: { id: actor.id, role: actor.role },
          now: now.toISOString(),
        },
        { metadata: this.metadata(actor, now, options.metadata), transaction: tx, isNew: true },
      );
      await projectUserEvents(tx, this.s, events, { passwordHash });
      return (await readUserRow(tx, this.s, userId))!;
    });
  }

  disable(actor: AuthenticatedActor, userId: string, reason: string): Promise<UserRow> {
    return this.change(
      actor,
      userId,
      'admin:users:disable',
      { adminsLock: true },
      async (_user, tx, now) => ({
        type: 'DisableUser',
        reason,
        by: { id: actor.id, role: actor.role },
        now,
        otherActiveCityAdmins: await this.otherActiveCityAdmins(tx, userId),
      }),
    );
  }

  enable(actor: AuthenticatedActor, userId: string, reason: string | null): Promise<UserRow> {
    return this.change(actor, userId, 'admin:users:enable', {}, async (_user, _tx, now) => ({
      type: 'EnableUser',
      reason,
      by: { id: actor.id, role: actor.role },
      now,
    }));
  }

  /** The work email overdue reminders go to; null removes it. Tokens stay valid. */
  changeEmail(actor: AuthenticatedActor, userId: string, email: string | null): Promise<UserRow> {
    return this.change(actor, userId, 'admin:users:change-email', {}, async (_user, _tx, now) => ({
      type: 'ChangeEmail',
      email: normaliseEmail(email),
      by: { id: actor.id, role: actor.role },
      now,
    }));
  }

  /** A temporary password chosen by the administrator; the user must change it at the next login. */
  async resetPassword(
    actor: AuthenticatedActor,
    userId: string,
    temporaryPassword: string,
  ): Promise<UserRow> {
    const current = await this.scoped(actor, userId, 'admin:users:reset-password');
    assertPasswordAcceptable(temporaryPassword, current.username, 'temporaryPassword');
    const passwordHash = await hashPassword(temporaryPassword);
    return this.change(
      actor,
      userId,
      'admin:users:reset-password',
      { passwordHash },
      async (_user, _tx, now) => ({ type: 'ResetPassword', by: { id: actor.id, role: actor.role }, now }),
    );
  }

  async changeRole(actor: AuthenticatedActor, userId: string, req: AssignmentRequest): Promise<UserRow> {
    const tree = this.o.tree();
    const node = knownJurisdiction(tree, req.jurisdiction);
    // The new place must be the administrator's too: a county administrator cannot move anyone out of
    // their county, nor up to the city.
    assertAdminMayManage(tree, actor, node.code, 'admin:users:change-role');
    return this.change(
      actor,
      userId,
      'admin:users:change-role',
      { adminsLock: true },
      async (user, tx, now) => ({
        type: 'ChangeRole',
        assignment: {
          role: req.role,
          department: req.department ?? DEFAULT_DEPARTMENT_OF_ROLE[req.role],
          jurisdiction: node.code,
          jurisdictionLevel: node.level,
          organisation: req.organisation === undefined ? user.assignment.organisation : req.organisation,
        },
        reason: req.reason ?? null,
        by: { id: actor.id, role: actor.role },
        now,
        otherActiveCityAdmins: await this.otherActiveCityAdmins(tx, userId),
      }),
    );
  }

  /** A user changes their own password (old and new); every token issued before stops working. */
  async changeOwnPassword(
    actor: AuthenticatedActor,
    oldPassword: string,
    newPassword: string,
  ): Promise<UserRow> {
    const { rows } = await this.o.pool.query<{ username: string; password_hash: string }>(
      `SELECT username, password_hash FROM ${this.s}.users WHERE id = $1`,
      [actor.id],
    );
    const row = rows[0];
    if (!row) {
      throw new DomainError(
        'NO_LOCAL_ACCOUNT',
        '本平台没有您的本地账号：通过政务身份认证登录的用户请在身份认证平台修改密码',
        409,
      );
    }
    if (!(await verifyPassword(oldPassword, row.password_hash))) {
      throw new DomainError('WRONG_PASSWORD', 'oldPassword：原密码不正确', 422, { field: 'oldPassword' });
    }
    if (oldPassword === newPassword) {
      throw new DomainError('PASSWORD_UNCHANGED', 'newPassword：新密码不能与原密码相同', 422, {
        field: 'newPassword',
      });
    }
    assertPasswordAcceptable(newPassword, row.username, 'newPassword');
    const passwordHash = await hashPassword(newPassword);
    const now = this.o.now();
    const result = await withTransaction(this.o.pool, async (tx) => {
      const { rows: locked } = await tx.query<{ password_hash: string }>(
        `SELECT password_hash FROM ${this.s}.users WHERE id = $1 FOR UPDATE`,
        [actor.id],
      );
      if (locked[0]?.password_hash !== row.password_hash) {
        throw new DomainError('PASSWORD_CHANGED_MEANWHILE', '密码刚被修改或重置，请重新登录后再试', 409);
      }
      const { events } = await this.users.handle(
        actor.id,
        { type: 'ChangePassword', by: { id: actor.id, role: actor.role }, now: now.toISOString() },
        { metadata: this.metadata(actor, now), transaction: tx },
      );
      await projectUserEvents(tx, this.s, events, { passwordHash });
      return (await readUserRow(tx, this.s, actor.id))!;
    });
    this.o.onChanged?.(actor.id);
    return result;
  }

  /** The user's row, once the actor may manage them (404, 403 otherwise): reads, and checks before hashing. */
  async scoped(actor: AuthenticatedActor, userId: string, permission: string): Promise<UserRow> {
    if (!USER_ID.test(userId)) throw notFound();
    const row = await readUserRow(this.o.pool, this.s, userId);
    if (!row) throw notFound();
    assertAdminMayManage(this.o.tree(), actor, row.jurisdiction, permission);
    return row;
  }

  private async change(
    actor: AuthenticatedActor,
    userId: string,
    permission: string,
    options: { adminsLock?: boolean; passwordHash?: string },
    build: (user: ExistingUser, tx: DbExecutor, now: string) => Promise<UserCommand>,
  ): Promise<UserRow> {
    if (!USER_ID.test(userId)) throw notFound();
    const now = this.o.now();
    const row = await withTransaction(this.o.pool, async (tx) => {
      // Changes that may take away a city administrator take turns, so that two administrators cannot
      // disable each other at the same moment and leave none.
      if (options.adminsLock) {
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`admins:${this.s}`]);
      }
      const current = await readUserRow(tx, this.s, userId, { forUpdate: true });
      const loaded = await this.users.load(userId, { transaction: tx });
      if (!current || loaded.state.status === 'none') throw notFound();
      assertAdminMayManage(this.o.tree(), actor, loaded.state.assignment.jurisdiction, permission);
      const command = await build(loaded.state, tx, now.toISOString());
      const { events } = await this.users.handle(userId, command, {
        metadata: this.metadata(actor, now),
        transaction: tx,
        known: loaded,
      });
      await projectUserEvents(tx, this.s, events, { passwordHash: options.passwordHash });
      return (await readUserRow(tx, this.s, userId))!;
    });
    this.o.onChanged?.(userId);
    return row;
  }

  private async otherActiveCityAdmins(tx: DbExecutor, userId: string): Promise<number> {
    const { rows } = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${this.s}.users u JOIN ${this.s}.jurisdictions j ON j.code = u.jurisdiction
        WHERE u.role = 'admin' AND u.active AND j.level = 'city' AND u.id <> $1`,
      [userId],
    );
    return rows[0]!.n;
  }

  private metadata(actor: AuthenticatedActor, now: Date, extra?: Record<string, unknown>) {
    return { ...eventMetadata(actor, { now }), ...(extra ?? {}) };
  }
}

/** Addresses compare without case or surrounding spaces: one officer, one address. */
function normaliseEmail(email: string | null | undefined): string | null {
  const e = email?.trim().toLowerCase();
  return e ? e : null;
}
