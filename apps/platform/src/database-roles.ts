import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

export interface PlatformRoles {
  /** DATABASE_URL of the platform: the service role, which owns nothing. */
  serviceUrl: string;
  /** DATABASE_AUDITOR_URL: a read-only role for `npm run audit:verify`. */
  auditorUrl: string;
}

/** Read from the file, or generated once and kept there, readable by the file's owner only. */
export function secret(file: string): string {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${randomBytes(24).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  const value = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{32,}$/.test(value)) throw new Error(`${file}: expected the password of a database role`);
  return value;
}

function quoteName(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Invalid role name "${name}"`);
  return `"${name}"`;
}

/**
 * Creates (or brings up to date) the platform's login roles on a database where `adminUrl` is a
 * superuser, which stays the owner of every table (DATABASE_OWNER_URL):
 *
 * - `serviceRole` (DATABASE_URL) holds nothing of its own: the migrations, run as the owner, grant it
 *   each department schema. In the single process it is the service role of every department, so it
 *   also gets SELECT on the other departments' `events` tables, which the event-log transport reads
 *   across schemas (and INSERT there: one process, one role).
 * - `auditorRole` (DATABASE_AUDITOR_URL) reads every schema, present and future (`pg_read_all_data`),
 *   and writes nothing.
 *
 * Passwords are generated once per data folder and kept in `<secretsDir>/<role>.password` (mode 0600).
 */
export async function provisionPlatformRoles(options: {
  adminUrl: string;
  secretsDir: string;
  serviceRole?: string;
  auditorRole?: string;
}): Promise<PlatformRoles> {
  const serviceRole = options.serviceRole ?? 'platform_service';
  const auditorRole = options.auditorRole ?? 'platform_auditor';
  const admin = new pg.Client({ connectionString: options.adminUrl });
  await admin.connect();
  const urls: string[] = [];
  try {
    for (const role of [serviceRole, auditorRole]) {
      const password = secret(path.join(options.secretsDir, `${role}.password`));
      const r = quoteName(role);
      const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      // Whatever the role was given before, it is an ordinary login role with this folder's password.
      await admin.query(
        `${exists.rowCount ? 'ALTER' : 'CREATE'} ROLE ${r} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE ` +
          `NOREPLICATION NOBYPASSRLS PASSWORD ${admin.escapeLiteral(password)}`,
      );
      const url = new URL(options.adminUrl);
      url.username = role;
      url.password = password;
      urls.push(url.toString());
    }
    const a = quoteName(auditorRole);
    await admin.query(`GRANT pg_read_all_data TO ${a}`);
    await admin.query(`ALTER ROLE ${a} SET default_transaction_read_only = on`);
  } finally {
    await admin.end();
  }
  return { serviceUrl: urls[0]!, auditorUrl: urls[1]! };
}
