import { currentCorrelationId } from '@platform/config';
import type { Pool } from 'pg';
import { quoteIdent, uuidv7, withSnapshot, type EventStore } from '@platform/event-store';
import type { AuthenticatedActor } from '../tokens.js';

export const ACCESS_RECORDED = 'audit.AccessRecorded';

export interface AccessRecord {
  /** What was looked at, e.g. 'case', 'referral'. */
  resourceType: string;
  resourceId: string;
  caseId: string | null;
  /** Which personal details were shown. */
  fields: string[];
  purpose: string | null;
}

/**
 * Reads of personal data are events too: who looked at what, when and why, in the service's own
 * tamper-evident log (stream `access-<type>-<id>`), for auditors to query.
 */
export class AccessLog {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
    private readonly pool?: Pool,
  ) {}

  /** For auditors: who viewed personal data, newest first, optionally for one case or one actor. */
  async list(filter: { caseId?: string; actorId?: string; page: number; pageSize: number }) {
    if (!this.pool) throw new Error('AccessLog.list needs a database pool');
    const t = `${quoteIdent(this.store.schema)}.events`;
    const where = [`event_type = '${ACCESS_RECORDED}'`];
    const values: unknown[] = [];
    if (filter.caseId) {
      values.push(filter.caseId);
      where.push(`data->>'caseId' = $${values.length}`);
    }
    if (filter.actorId) {
      values.push(filter.actorId);
      where.push(`metadata->'actor'->>'id' = $${values.length}`);
    }
    const w = where.join(' AND ');
    // The total and the page from one snapshot: a view logged between them would make them disagree.
    const [total, rows] = await withSnapshot(this.pool, async (tx) => {
      const n = Number(
        (await tx.query<{ n: string }>(`SELECT count(*) AS n FROM ${t} WHERE ${w}`, values)).rows[0]!.n,
      );
      const page = await tx.query<{
        data: AccessRecord & { viewedAt: string };
        metadata: { actor: unknown };
        recorded_at: Date;
        event_id: string;
      }>(
        `SELECT event_id, data, metadata, recorded_at FROM ${t} WHERE ${w} ORDER BY global_position DESC LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
        [...values, filter.pageSize, (filter.page - 1) * filter.pageSize],
      );
      return [n, page.rows] as const;
    });
    return {
      items: rows.map((r) => ({
        eventId: r.event_id,
        ...r.data,
        actor: r.metadata.actor,
        recordedAt: r.recorded_at.toISOString(),
      })),
      total,
      page: filter.page,
      pageSize: filter.pageSize,
    };
  }

  async record(actor: AuthenticatedActor, record: AccessRecord, correlationId?: string): Promise<void> {
    await this.store.appendToStream(
      `access-${record.resourceType}-${record.resourceId}`,
      [
        {
          type: ACCESS_RECORDED,
          data: { ...record, viewedAt: this.now().toISOString() },
          metadata: {
            actor: {
              id: actor.id,
              role: actor.role,
              department: actor.department,
              jurisdiction: actor.jurisdiction,
              ...(actor.organisation ? { organisation: actor.organisation } : {}),
            },
            correlationId: correlationId ?? currentCorrelationId() ?? uuidv7(),
            causationId: null,
            occurredAt: this.now().toISOString(),
          },
        },
      ],
      { expectedVersion: 'any' },
    );
  }
}
