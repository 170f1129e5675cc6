import { openEventData, quoteIdent, withSnapshot } from '@platform/event-store';
import type { Pool } from 'pg';
import type { LedgerEntry } from '../domain/case-replay.js';

export interface TimelineFilter {
  department?: string;
  actorId?: string;
  type?: string;
  from?: Date;
  to?: Date;
  page: number;
  pageSize: number;
}

interface Row {
  global_position: string;
  event_id: string;
  event_type: string;
  data: Record<string, unknown>;
  metadata: {
    actor: LedgerEntry['actor'];
    occurredAt: string;
    correlationId: string;
    causationId: string | null;
    source: {
      department: string;
      recordedAt: string;
      topic: string;
      partition: number | null;
      offset: string | null;
      stream: string;
      position: string;
    };
  };
  recorded_at: Date;
}

export function toEntry(r: Row): LedgerEntry & { source: Row['metadata']['source']; ingestedAt: string } {
  return {
    position: Number(r.global_position),
    eventId: r.event_id,
    type: r.event_type,
    department: r.metadata.source.department,
    caseId: String(r.data.caseId ?? ''),
    data: r.data,
    actor: r.metadata.actor,
    occurredAt: r.metadata.occurredAt,
    sourceRecordedAt: r.metadata.source.recordedAt,
    correlationId: r.metadata.correlationId,
    causationId: r.metadata.causationId,
    source: r.metadata.source,
    ingestedAt: r.recorded_at.toISOString(),
  };
}

/** Reads of the ledger (oversight's event store): one stream per case. */
export class LedgerQuery {
  private readonly t: string;

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {
    this.t = `${quoteIdent(schema)}.events`;
  }

  /** Every event of the case across departments, in the order things happened (source time, then arrival). */
  async timeline(caseId: string, f: TimelineFilter) {
    const where = ['stream_id = $1'];
    const values: unknown[] = [`ledger-${caseId}`];
    const add = (sql: string, v: unknown) => {
      values.push(v);
      where.push(sql.replace('?', `$${values.length}`));
    };
    if (f.department) add(`metadata->'source'->>'department' = ?`, f.department);
    if (f.actorId) add(`metadata->'actor'->>'id' = ?`, f.actorId);
    if (f.type) add(`event_type = ?`, f.type);
    if (f.from) add(`(metadata->'source'->>'recordedAt')::timestamptz >= ?`, f.from);
    if (f.to) add(`(metadata->'source'->>'recordedAt')::timestamptz <= ?`, f.to);
    const w = where.join(' AND ');
    // The total and the page from one snapshot: an entry recorded between them would make them disagree.
    const [total, rows] = await withSnapshot(this.pool, async (tx) => {
      const n = Number((await tx.query(`SELECT count(*) AS n FROM ${this.t} WHERE ${w}`, values)).rows[0].n);
      const page = await tx.query<Row>(
        `SELECT global_position, event_id, event_type, data, metadata, recorded_at FROM ${this.t} WHERE ${w}
            ORDER BY (metadata->'source'->>'recordedAt')::timestamptz, global_position
            LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
        [...values, f.pageSize, (f.page - 1) * f.pageSize],
      );
      return [n, page.rows] as const;
    });
    return { items: (await this.opened(rows)).map(toEntry), total, page: f.page, pageSize: f.pageSize };
  }

  /** The case's entries up to an instant (source time) or a ledger position, in order. */
  async entries(caseId: string, until: { at?: Date; position?: number }): Promise<LedgerEntry[]> {
    const { rows } = await this.pool.query<Row>(
      `SELECT global_position, event_id, event_type, data, metadata, recorded_at FROM ${this.t}
        WHERE stream_id = $1
          AND ($2::timestamptz IS NULL OR (metadata->'source'->>'recordedAt')::timestamptz <= $2)
          AND ($3::bigint IS NULL OR global_position <= $3)
        ORDER BY (metadata->'source'->>'recordedAt')::timestamptz, global_position`,
      [`ledger-${caseId}`, until.at ?? null, until.position ?? null],
    );
    return (await this.opened(rows)).map(toEntry);
  }

  async referralEntries(referralId: string) {
    const { rows } = await this.pool.query<Row>(
      `SELECT global_position, event_id, event_type, data, metadata, recorded_at FROM ${this.t}
        WHERE data->>'referralId' = $1 ORDER BY (metadata->'source'->>'recordedAt')::timestamptz, global_position`,
      [referralId],
    );
    return (await this.opened(rows)).map(toEntry);
  }

  /** The rows with their personal values opened (they are stored sealed). */
  private async opened(rows: Row[]): Promise<Row[]> {
    const data = await openEventData(this.schema, rows);
    return rows.map((r, n) => ({ ...r, data: data[n] as Row['data'] }));
  }

  /** Cases by id or number, as registered (number, village, county): no personal data. */
  async caseLabels(ids: string[], numbers: string[]) {
    const { rows } = await this.pool.query<{ data: Record<string, unknown>; recorded_at: Date }>(
      `SELECT data, recorded_at FROM ${this.t}
        WHERE event_type = 'intake.CaseOpened' AND (data->>'caseId' = ANY($1::text[]) OR data->>'caseNumber' = ANY($2::text[]))
        ORDER BY global_position`,
      [ids, numbers],
    );
    return rows.map((r) => ({
      caseId: String(r.data.caseId),
      caseNumber: (r.data.caseNumber as string | undefined) ?? null,
      villageCode: (r.data.villageCode as string | undefined) ?? null,
      countyCode: (r.data.countyCode as string | undefined) ?? null,
      openedAt: (r.data.at as string | undefined) ?? r.recorded_at.toISOString(),
    }));
  }
}
