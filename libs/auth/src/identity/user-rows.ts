import { DomainError } from '@platform/contracts';
import type { DbExecutor } from '@platform/event-store';
import type { Role } from '../domain/roles.js';
import type { UserEvent } from '../domain/user.decider.js';

/** A row of `users`: what login, the token check and the admin lists read. */
export interface UserRow {
  id: string;
  username: string;
  name: string;
  role: Role;
  department: string;
  jurisdiction: string;
  organisation: string | null;
  /** Where overdue reminders reach the officer; null when none was given. */
  email: string | null;
  active: boolean;
  mustChangePassword: boolean;
  tokenVersion: number;
  disabledReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const USER_COLUMNS =
  'id, username, name, role, department, jurisdiction, organisation, email, active, must_change_password, token_version, disabled_reason, created_at, updated_at';

/** A `users` row as PostgreSQL returns it (without the password hash). */
export type UserRecord = {
  id: string;
  username: string;
  name: string;
  role: Role;
  department: string;
  jurisdiction: string;
  organisation: string | null;
  email: string | null;
  active: boolean;
  must_change_password: boolean;
  token_version: number;
  disabled_reason: string | null;
  created_at: Date;
  updated_at: Date;
};

export function toUserRow(r: UserRecord): UserRow {
  return {
    id: r.id,
    username: r.username,
    name: r.name,
    role: r.role,
    department: r.department,
    jurisdiction: r.jurisdiction,
    organisation: r.organisation,
    email: r.email,
    active: r.active,
    mustChangePassword: r.must_change_password,
    tokenVersion: r.token_version,
    disabledReason: r.disabled_reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function readUserRow(
  db: DbExecutor,
  s: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<UserRow | null> {
  const { rows } = await db.query<UserRecord>(
    `SELECT ${USER_COLUMNS} FROM ${s}.users WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ? toUserRow(rows[0]) : null;
}

/**
 * The inline projection of users' events onto `users`, run on the transaction that appended them, so
 * that login and the token check see a change with the very next request. Passwords are never in the
 * events: the hash of a new password comes beside them. A disable, a role or jurisdiction change and a
 * password reset or change bump `token_version`, which ends every token issued before.
 */
export async function projectUserEvents(
  tx: DbExecutor,
  s: string,
  events: UserEvent[],
  extras: { passwordHash?: string } = {},
): Promise<void> {
  for (const e of events) {
    switch (e.type) {
      case 'identity.UserCreated': {
        if (!extras.passwordHash) throw new Error('identity.UserCreated needs the password hash beside it');
        const d = e.data;
        try {
          await tx.query(
            `INSERT INTO ${s}.users (id, username, name, role, department, jurisdiction, organisation, password_hash,
                                     active, must_change_password, token_version, created_at, updated_at, email)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, true, $9, 0, $10, $10, $11)`,
            [
              d.userId,
              d.username,
              d.name,
              d.role,
              d.department,
              d.jurisdiction,
              d.organisation,
              extras.passwordHash,
              d.mustChangePassword,
              d.at,
              d.email ?? null,
            ],
          );
        } catch (err) {
          if ((err as { code?: string }).code === '23505') {
            throw new DomainError('USERNAME_TAKEN', `username：用户名 ${d.username} 已被使用`, 409, {
              field: 'username',
            });
          }
          throw err;
        }
        break;
      }
      case 'identity.UserDisabled':
        await tx.query(
          `UPDATE ${s}.users SET active = false, disabled_reason = $2, token_version = token_version + 1,
                  updated_at = $3 WHERE id = $1`,
          [e.data.userId, e.data.reason, e.data.at],
        );
        break;
      case 'identity.UserEnabled':
        await tx.query(
          `UPDATE ${s}.users SET active = true, disabled_reason = NULL, updated_at = $2 WHERE id = $1`,
          [e.data.userId, e.data.at],
        );
        break;
      case 'identity.PasswordReset':
      case 'identity.PasswordChanged':
        if (!extras.passwordHash) throw new Error(`${e.type} needs the password hash beside it`);
        await tx.query(
          `UPDATE ${s}.users SET password_hash = $2, must_change_password = $3, token_version = token_version + 1,
                  updated_at = $4 WHERE id = $1`,
          [e.data.userId, extras.passwordHash, e.type === 'identity.PasswordReset', e.data.at],
        );
        break;
      case 'identity.UserRoleChanged': {
        const to = e.data.to;
        await tx.query(
          `UPDATE ${s}.users SET role = $2, department = $3, jurisdiction = $4, organisation = $5,
                  token_version = token_version + 1, updated_at = $6 WHERE id = $1`,
          [e.data.userId, to.role, to.department, to.jurisdiction, to.organisation, e.data.at],
        );
        break;
      }
      case 'identity.UserEmailChanged':
        // An address is not a credential: tokens stay valid.
        await tx.query(`UPDATE ${s}.users SET email = $2, updated_at = $3 WHERE id = $1`, [
          e.data.userId,
          e.data.to,
          e.data.at,
        ]);
        break;
      default: {
        const unknown: never = e;
        throw new Error(`unknown event ${(unknown as { type: string }).type}`);
      }
    }
  }
}
