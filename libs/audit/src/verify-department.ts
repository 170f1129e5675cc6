import { PostgresEventStore, quoteIdent, verificationJson, verifyAllStreams } from '@platform/event-store';
import type { Pool } from 'pg';
import { LogSealer, type SealVerification } from './log-sealer.js';
import type { SealKeys } from './seal-keys.js';

export interface DepartmentVerification {
  department: string;
  schema: string;
  ok: boolean;
  streams: number;
  broken: ReturnType<typeof verificationJson>[];
  seals: SealVerification;
}

/** The seal table of a department's schema: oversight seals its ledger in `ledger_seals`. */
export function sealTableOf(department: string): 'ledger_seals' | 'log_seals' {
  return department === 'oversight' ? 'ledger_seals' : 'log_seals';
}

/**
 * What one department's own store can prove about itself: every stream's hash chain and every seal over
 * its log. The HTTP endpoint and `npm run audit:verify` both run exactly this, so they agree; the CLI adds
 * the checks that need several departments (copies of seals, ledger against sources).
 */
export async function verifyDepartment(options: {
  pool: Pool;
  schema: string;
  department: string;
  keys: SealKeys;
  onStream?: (n: number) => void;
  onSeal?: (done: number, total: number) => void;
}): Promise<DepartmentVerification> {
  const { pool, schema, department, keys } = options;
  const store = new PostgresEventStore({ pool, schema });
  const { streams, broken } = await verifyAllStreams(store, options.onStream);
  const table = sealTableOf(department);
  const hasSeals =
    (
      await pool.query(
        `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2`,
        [schema, table],
      )
    ).rowCount === 1;
  const seals: SealVerification = hasSeals
    ? await new LogSealer({ pool, schema, department, table, keys, now: () => new Date() }).verify(
        options.onSeal,
      )
    : { department, seals: 0, problems: [], superseded: [], unsealed: await countEvents(pool, schema) };
  return {
    department,
    schema,
    ok: broken.length === 0 && seals.problems.length === 0,
    streams,
    broken: broken.map(verificationJson),
    seals,
  };
}

async function countEvents(pool: Pool, schema: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteIdent(schema)}.events`);
  return Number(rows[0]!.n);
}
