import { quoteIdent, withTransaction, type EventMetadata, type EventStore } from '@platform/event-store';
import type { Pool } from 'pg';
import type { JurisdictionNode } from '../domain/jurisdiction.js';
import {
  parseDivisionsCsv,
  planJurisdictionImport,
  type JurisdictionChange,
} from '../domain/jurisdiction-import.js';
import { JURISDICTIONS_STREAM, readTree } from './identity-database.js';

export interface ImportResult {
  problems: string[];
  changes: JurisdictionChange[];
  /** Rows of the file already in the tree as they are. */
  unchanged: number;
}

/**
 * Imports a divisions file (format: domain/jurisdiction-import.ts) into the identity schema's tree: all
 * or nothing, under the same lock as the seed, each change an event on the `jurisdictions` stream
 * (`identity.JurisdictionAdded`, `identity.JurisdictionChanged`, with the importing actor) written in the
 * same transaction as the rows. The demo tree takes no imports.
 */
export async function importJurisdictions(options: {
  pool: Pool;
  schema: string;
  store: EventStore;
  text: string;
  metadata: EventMetadata;
  /** Only check and report, change nothing. */
  dryRun?: boolean;
}): Promise<ImportResult> {
  const parsed = parseDivisionsCsv(options.text);
  if (parsed.problems.length > 0) return { problems: parsed.problems, changes: [], unchanged: 0 };
  const s = quoteIdent(options.schema);
  return withTransaction(options.pool, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`seed:${s}`]);
    const marker = await tx.query<{ value: string }>(
      `SELECT value FROM ${s}.directory_settings WHERE key = 'tree'`,
    );
    if (marker.rows[0]?.value === 'demo') {
      return {
        problems: ['该数据库装的是演示区划（AUTH_DEMO_USERS=true），不能导入真实区划；请在正式数据库上导入'],
        changes: [],
        unchanged: 0,
      };
    }
    const existing: JurisdictionNode[] = (await readTree(tx, s)).list();
    const plan = planJurisdictionImport(existing, parsed.rows);
    const result = {
      problems: plan.problems,
      changes: plan.changes,
      unchanged: plan.problems.length > 0 ? 0 : parsed.rows.length - plan.changes.length,
    };
    if (plan.problems.length > 0 || plan.changes.length === 0 || options.dryRun) return result;
    for (const c of plan.changes) {
      if (c.kind === 'added') {
        await tx.query(
          `INSERT INTO ${s}.jurisdictions (code, name, level, parent_code, official_name) VALUES ($1, $2, $3, $4, NULL)`,
          [c.node.code, c.node.name, c.node.level, c.node.parentCode],
        );
      } else {
        // A renamed division's published (2023) name no longer applies.
        await tx.query(
          `UPDATE ${s}.jurisdictions SET name = $2, parent_code = $3, official_name = NULL WHERE code = $1`,
          [c.code, c.to.name, c.to.parentCode],
        );
      }
    }
    await options.store.appendToStream(
      JURISDICTIONS_STREAM,
      plan.changes.map((c) =>
        c.kind === 'added'
          ? { type: 'identity.JurisdictionAdded', data: { ...c.node }, metadata: options.metadata }
          : {
              type: 'identity.JurisdictionChanged',
              data: { code: c.code, from: c.from, to: c.to },
              metadata: options.metadata,
            },
      ),
      { expectedVersion: 'any', transaction: tx },
    );
    return result;
  });
}
