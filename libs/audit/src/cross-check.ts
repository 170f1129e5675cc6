import { quoteIdent } from '@platform/event-store';
import type { Pool } from 'pg';
import { rowToSeal, sealJson } from './log-sealer.js';

/** A finding that needs more than one department's store: named by department, stream and versions. */
export interface CrossProblem {
  department: string;
  problem: string;
  stream?: string;
  versions?: Array<{ from: number; to: number }>;
  eventIds?: string[];
}

export interface SchemaOf {
  department: string;
  schema: string;
}

async function tableExists(pool: Pool, schema: string, table: string): Promise<boolean> {
  const { rowCount } = await pool.query(
    `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2`,
    [schema, table],
  );
  return rowCount === 1;
}

/** Consecutive versions as ranges: 3,4,5,9 → 3–5, 9–9. */
export function versionRanges(versions: number[]): Array<{ from: number; to: number }> {
  const sorted = [...new Set(versions)].sort((a, b) => a - b);
  const out: Array<{ from: number; to: number }> = [];
  for (const v of sorted) {
    const last = out[out.length - 1];
    if (last && v === last.to + 1) last.to = v;
    else out.push({ from: v, to: v });
  }
  return out;
}

export const rangesText = (ranges: Array<{ from: number; to: number }>) =>
  ranges.map((r) => (r.from === r.to ? `第 ${r.from} 版` : `第 ${r.from}–${r.to} 版`)).join('、');

function byStream<T extends { stream: string; version: number; event_id: string }>(
  rows: T[],
): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) m.set(r.stream, [...(m.get(r.stream) ?? []), r]);
  return m;
}

/**
 * Every seal a department published is compared with the copies the other departments (and oversight)
 * witnessed: a seal that differs from its copies, or that the department no longer has, is named.
 */
export async function comparePeerSeals(pool: Pool, departments: SchemaOf[]): Promise<CrossProblem[]> {
  const problems: CrossProblem[] = [];
  const own = new Map<string, Map<number, string>>();
  for (const d of departments) {
    const table = d.department === 'oversight' ? 'ledger_seals' : 'log_seals';
    if (!(await tableExists(pool, d.schema, table))) continue;
    const { rows } = await pool.query<{ seal_no: string; seal_hash: string }>(
      `SELECT seal_no, seal_hash FROM ${quoteIdent(d.schema)}.${table}`,
    );
    own.set(d.department, new Map(rows.map((r) => [Number(r.seal_no), r.seal_hash])));
  }
  const copies = new Map<string, Map<string, string[]>>();
  for (const holder of departments) {
    if (!(await tableExists(pool, holder.schema, 'peer_seals'))) continue;
    const { rows } = await pool.query<{ department: string; seal_no: string; seal_hash: string }>(
      `SELECT department, seal_no, seal_hash FROM ${quoteIdent(holder.schema)}.peer_seals ORDER BY department, seal_no`,
    );
    for (const r of rows) {
      const key = `${r.department}\u0000${r.seal_no}\u0000${r.seal_hash}`;
      const m = copies.get(key) ?? new Map<string, string[]>();
      m.set(holder.department, []);
      copies.set(key, m);
    }
  }
  for (const [key, holders] of copies) {
    const [department, sealNoText, hash] = key.split('\u0000') as [string, string, string];
    const sealNo = Number(sealNoText);
    const mine = own.get(department);
    if (!mine) continue;
    const names = [...holders.keys()].join('、');
    const stored = mine.get(sealNo);
    if (stored === undefined) {
      problems.push({
        department,
        problem: `${department} 的第 ${sealNo} 号封印已不在其库中，而 ${names} 保存着它的副本：封印被删除`,
      });
    } else if (stored !== hash) {
      problems.push({
        department,
        problem: `${department} 的第 ${sealNo} 号封印与 ${names} 保存的副本不一致：封印被改写或重新签名`,
      });
    }
  }
  return problems;
}

/**
 * Oversight's ledger against its sources: every public event in a department's store must be in the
 * ledger with the same event id and hash, and every ledger entry from that department must still be in
 * its store. Events oversight has not received yet (not in its inbox) are not counted as missing.
 */
export async function compareLedgerWithSources(
  pool: Pool,
  ledger: SchemaOf,
  sources: SchemaOf[],
  publicTypes: (department: string) => string[],
): Promise<CrossProblem[]> {
  const problems: CrossProblem[] = [];
  const l = quoteIdent(ledger.schema);
  for (const src of sources) {
    if (!(await tableExists(pool, src.schema, 'events'))) continue;
    const s = quoteIdent(src.schema);
    const types = publicTypes(src.department).filter((t) => !t.endsWith('.LogSealed'));
    const { rows: missing } = await pool.query<{
      stream: string;
      version: number;
      event_id: string;
      hash: string;
      ledger_hash: string | null;
      in_ledger: boolean;
    }>(
      `SELECT e.stream_id AS stream, e.stream_version::int AS version, e.event_id::text AS event_id,
              encode(e.hash, 'hex') AS hash, le.metadata->'source'->>'hash' AS ledger_hash,
              le.event_id IS NOT NULL AS in_ledger
         FROM ${s}.events e
         -- Only what oversight has received (its inbox): events still on their way are not missing.
         JOIN ${l}.inbox i ON i.consumer_group = 'oversight.ledger' AND i.message_id = e.event_id::text
         LEFT JOIN ${l}.events le ON le.event_id = e.event_id
        WHERE e.event_type = ANY($1::text[])
          AND (le.event_id IS NULL OR (le.metadata->'source'->>'hash' IS NOT NULL
                                       AND le.metadata->'source'->>'hash' <> encode(e.hash, 'hex')))
        ORDER BY e.stream_id, e.stream_version`,
      [types],
    );
    for (const [stream, rows] of byStream(missing.filter((r) => !r.in_ledger))) {
      const versions = versionRanges(rows.map((r) => r.version));
      problems.push({
        department: src.department,
        problem: `${src.department} 的 ${stream} ${rangesText(versions)}已发布，但监督台账中没有记录`,
        stream,
        versions,
        eventIds: rows.map((r) => r.event_id),
      });
    }
    for (const [stream, rows] of byStream(missing.filter((r) => r.in_ledger))) {
      const versions = versionRanges(rows.map((r) => r.version));
      problems.push({
        department: src.department,
        problem: `${src.department} 的 ${stream} ${rangesText(versions)}与监督台账记录的哈希不同：部门库中的事件被改写`,
        stream,
        versions,
        eventIds: rows.map((r) => r.event_id),
      });
    }
    const { rows: extra } = await pool.query<{ stream: string; version: number; event_id: string }>(
      `SELECT le.metadata->'source'->>'stream' AS stream,
              coalesce((le.metadata->'source'->>'version')::int, 0) AS version, le.event_id::text AS event_id
         FROM ${l}.events le
         LEFT JOIN ${s}.events e ON e.event_id = le.event_id
        WHERE le.metadata->'source'->>'department' = $1 AND e.event_id IS NULL
          AND le.event_type NOT LIKE '%.LogSealed'
        ORDER BY 1, 2`,
      [src.department],
    );
    for (const [stream, rows] of byStream(extra)) {
      const known = rows.filter((r) => r.version > 0).map((r) => r.version);
      const versions = versionRanges(known);
      problems.push({
        department: src.department,
        problem:
          `监督台账记录了 ${src.department} 的 ${stream} ${known.length ? rangesText(versions) : `${rows.length} 个事件`}，` +
          `但部门库中已不存在：部门库中的事件被删除，或台账收到了伪造的消息`,
        stream,
        versions,
        eventIds: rows.map((r) => r.event_id),
      });
    }
  }
  return problems;
}

/** Every department's seals as lines for the auditors' file. */
export async function sealsForExport(
  pool: Pool,
  departments: SchemaOf[],
): Promise<Array<ReturnType<typeof sealJson> & { department: string }>> {
  const out: Array<ReturnType<typeof sealJson> & { department: string }> = [];
  for (const d of departments) {
    const table = d.department === 'oversight' ? 'ledger_seals' : 'log_seals';
    if (!(await tableExists(pool, d.schema, table))) continue;
    const { rows } = await pool.query(`SELECT * FROM ${quoteIdent(d.schema)}.${table} ORDER BY seal_no`);
    for (const r of rows) {
      const seal = rowToSeal(r);
      out.push({ ...sealJson(seal), department: d.department });
    }
  }
  return out;
}

/** The auditors' exported file against the database: each exported seal must still be there, unchanged. */
export function compareWithExport(
  exported: Array<{ department: string; sealNo: number; sealHash: string }>,
  current: Array<{ department: string; sealNo: number; sealHash: string }>,
): CrossProblem[] {
  const now = new Map(current.map((s) => [`${s.department}\u0000${s.sealNo}`, s.sealHash]));
  const problems: CrossProblem[] = [];
  for (const e of exported) {
    const hash = now.get(`${e.department}\u0000${e.sealNo}`);
    if (hash === undefined) {
      problems.push({
        department: e.department,
        problem: `审计文件中 ${e.department} 的第 ${e.sealNo} 号封印在数据库中已不存在`,
      });
    } else if (hash !== e.sealHash) {
      problems.push({
        department: e.department,
        problem: `审计文件中 ${e.department} 的第 ${e.sealNo} 号封印与数据库中的不一致`,
      });
    }
  }
  return problems;
}
