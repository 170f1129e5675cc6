import type pg from 'pg';

/**
 * Writes `total` events (streams of 100) through the store's own append function from SQL, so a
 * million-event fixture takes seconds rather than minutes of client round trips. Documents are in
 * canonical JSON, so hash chains verify exactly as for events appended from the service.
 */
export async function writeOursFixture(
  pool: pg.Pool,
  schema: string,
  total: number,
  onProgress?: (n: number) => void,
): Promise<void> {
  const streams = Math.ceil(total / 100);
  const chunk = 200;
  for (let from = 0; from < streams; from += chunk) {
    const to = Math.min(streams, from + chunk) - 1;
    await pool.query(
      `SELECT "${schema}".append_events('case-' || s, 0, ARRAY(
         SELECT format('{"data":{"amount":%s,"caseId":"c-%s","category":"medical","referralId":"r-%s-%s"},"eventId":"%s","metadata":{"actor":{"department":"health","id":"bench","jurisdiction":"150802000000","role":"health_officer"},"causationId":null,"correlationId":"c-%s","occurredAt":"2026-11-27T00:00:00.000Z"},"schemaVersion":1,"type":"%s"}',
                       1000 + k, s, s, k % 10, gen_random_uuid(), s,
                       (ARRAY['health.ReferralReceived','health.ReferralAcknowledged','health.ReferralAccepted','health.ReferralCompleted'])[1 + k % 4])
           FROM generate_series(1, 100) k ORDER BY k))
         FROM generate_series($1::int, $2::int) s`,
      [from, to],
    );
    onProgress?.(Math.min(total, (to + 1) * 100));
  }
}

/** The same events in Emmett's messages table (written in bulk; the read path is what is compared). */
export async function writeEmmettFixture(pool: pg.Pool, total: number): Promise<void> {
  const streams = Math.ceil(total / 100);
  const chunk = 500;
  for (let from = 0; from < streams; from += chunk) {
    const to = Math.min(streams, from + chunk) - 1;
    await pool.query(
      `INSERT INTO emt_messages (stream_position, transaction_id, stream_id, message_schema_version, message_id, message_type, message_data, message_metadata)
       SELECT k, pg_current_xact_id(), 'case-' || s, '1', gen_random_uuid()::text,
              (ARRAY['health.ReferralReceived','health.ReferralAcknowledged','health.ReferralAccepted','health.ReferralCompleted'])[1 + k % 4],
              jsonb_build_object('amount', 1000 + k, 'caseId', 'c-' || s, 'category', 'medical', 'referralId', 'r-' || s || '-' || (k % 10)),
              jsonb_build_object('actor', jsonb_build_object('id', 'bench', 'role', 'health_officer'), 'correlationId', 'c-' || s)
         FROM generate_series($1::int, $2::int) s, generate_series(1, 100) k
        ORDER BY s, k`,
      [from, to],
    );
  }
}
