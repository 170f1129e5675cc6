import type { Migration } from './migrations.js';

/** Version numbers: 0 means "no stream"; a stream's version is the number of its events. */
export const eventStoreMigrations: Migration[] = [
  {
    id: 'event-store/001-events',
    sql: (s) => `
CREATE TABLE ${s}.events (
  global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
  stream_id       text        NOT NULL,
  stream_version  bigint      NOT NULL,
  event_id        uuid        NOT NULL UNIQUE,
  event_type      text        NOT NULL,
  schema_version  integer     NOT NULL,
  data            jsonb       NOT NULL,
  metadata        jsonb       NOT NULL,
  recorded_at     timestamptz NOT NULL,
  hash            bytea       NOT NULL,
  UNIQUE (stream_id, stream_version)
);
-- Readers of the global log order by (transaction_id, global_position): see readAll.
CREATE INDEX events_commit_order ON ${s}.events (transaction_id, global_position);

CREATE TABLE ${s}.streams (
  stream_id  text        PRIMARY KEY,
  version    bigint      NOT NULL,
  last_hash  bytea       NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Append-only: history is never edited or removed, whoever asks.
CREATE FUNCTION ${s}.reject_event_mutation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are append-only: % on %.events is not allowed', TG_OP, TG_TABLE_SCHEMA
    USING ERRCODE = 'EV001';
END $$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON ${s}.events
  FOR EACH ROW EXECUTE FUNCTION ${s}.reject_event_mutation();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON ${s}.events
  FOR EACH STATEMENT EXECUTE FUNCTION ${s}.reject_event_mutation();

-- One round trip per append. p_expected: -1 any, 0 no stream, n exact version.
-- p_events are canonical JSON documents {data, eventId, metadata, schemaVersion, type};
-- the hash chain runs over exactly that text, the stream id, the version and the recorded instant.
CREATE FUNCTION ${s}.append_events(p_stream text, p_expected bigint, p_events text[])
RETURNS TABLE (out_position bigint, out_version bigint, out_transaction_id xid8, out_recorded_at timestamptz, out_hash bytea)
LANGUAGE plpgsql AS $$
DECLARE
  v_version bigint;
  v_hash    bytea;
  v_now     timestamptz := date_trunc('milliseconds', clock_timestamp());
  v_ms      text;
  v_n       integer := coalesce(cardinality(p_events), 0);
  v_hashes  bytea[]  := ARRAY[]::bytea[];
  v_versions bigint[] := ARRAY[]::bigint[];
  i integer;
BEGIN
  v_ms := (extract(epoch FROM v_now) * 1000)::bigint::text;
  IF v_n = 0 THEN
    RAISE EXCEPTION 'append_events: no events' USING ERRCODE = '22023';
  END IF;
  SELECT st.version, st.last_hash INTO v_version, v_hash FROM ${s}.streams st WHERE st.stream_id = p_stream FOR UPDATE;
  IF NOT FOUND THEN
    IF p_expected > 0 THEN
      RAISE EXCEPTION 'stream % is at version 0', p_stream USING ERRCODE = 'EV409', DETAIL = '0';
    END IF;
    INSERT INTO ${s}.streams (stream_id, version, last_hash)
      VALUES (p_stream, 0, decode(repeat('00', 32), 'hex')) ON CONFLICT DO NOTHING;
    IF FOUND THEN
      v_version := 0;
      v_hash := decode(repeat('00', 32), 'hex');
    ELSE
      -- Created by a concurrent append that committed while we waited.
      SELECT st.version, st.last_hash INTO v_version, v_hash FROM ${s}.streams st WHERE st.stream_id = p_stream FOR UPDATE;
      IF p_expected = 0 THEN
        RAISE EXCEPTION 'stream % already exists', p_stream USING ERRCODE = 'EV409', DETAIL = v_version::text;
      END IF;
    END IF;
  ELSIF p_expected = 0 OR (p_expected > 0 AND v_version <> p_expected) THEN
    RAISE EXCEPTION 'stream % is at version %', p_stream, v_version USING ERRCODE = 'EV409', DETAIL = v_version::text;
  END IF;
  FOR i IN 1..v_n LOOP
    v_version := v_version + 1;
    v_hash := sha256(v_hash || convert_to(p_events[i] || '|' || p_stream || '|' || v_version::text || '|' || v_ms, 'UTF8'));
    v_hashes := v_hashes || v_hash;
    v_versions := v_versions || v_version;
  END LOOP;
  UPDATE ${s}.streams SET version = v_version, last_hash = v_hash, updated_at = v_now WHERE stream_id = p_stream;
  RETURN QUERY
    INSERT INTO ${s}.events AS e (stream_id, stream_version, event_id, event_type, schema_version, data, metadata, recorded_at, hash)
    SELECT p_stream, u.ver, (u.doc->>'eventId')::uuid, u.doc->>'type', (u.doc->>'schemaVersion')::integer,
           u.doc->'data', u.doc->'metadata', v_now, u.h
      FROM (SELECT d::jsonb AS doc, ver, h, ord
              FROM unnest(p_events, v_versions, v_hashes) WITH ORDINALITY AS x(d, ver, h, ord)) u
     ORDER BY u.ord
    RETURNING e.global_position, e.stream_version, e.transaction_id, e.recorded_at, e.hash;
END $$;
`,
  },
];

eventStoreMigrations.push({
  id: 'event-store/002-projection-checkpoints',
  sql: (s) => `
CREATE TABLE ${s}.projection_checkpoints (
  projection      text   PRIMARY KEY,
  transaction_id  xid8   NOT NULL,
  global_position bigint NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);`,
});

/**
 * Appends without a write to `streams` per append: a transaction-scoped advisory lock on the stream
 * serialises its writers, the head (version, hash) is read from the events' own index, and the
 * (stream_id, stream_version) unique key stays the last line of defence. `streams` only registers a
 * stream when its first event is written. Per append this writes what a plain INSERT writes.
 */
eventStoreMigrations.push({
  id: 'event-store/003-append-without-stream-row-updates',
  sql: (s) => `
ALTER TABLE ${s}.streams DROP COLUMN version, DROP COLUMN last_hash, DROP COLUMN updated_at;

CREATE OR REPLACE FUNCTION ${s}.append_events(p_stream text, p_expected bigint, p_events text[])
RETURNS TABLE (out_position bigint, out_version bigint, out_transaction_id xid8, out_recorded_at timestamptz, out_hash bytea)
LANGUAGE plpgsql AS $$
DECLARE
  v_version bigint;
  v_hash    bytea;
  v_now     timestamptz := date_trunc('milliseconds', clock_timestamp());
  v_ms      text;
  v_n       integer := coalesce(cardinality(p_events), 0);
  v_hashes  bytea[]  := ARRAY[]::bytea[];
  v_versions bigint[] := ARRAY[]::bigint[];
  i integer;
BEGIN
  v_ms := (extract(epoch FROM v_now) * 1000)::bigint::text;
  IF v_n = 0 THEN
    RAISE EXCEPTION 'append_events: no events' USING ERRCODE = '22023';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('${s}.' || p_stream, 0));
  SELECT e.stream_version, e.hash INTO v_version, v_hash
    FROM ${s}.events e WHERE e.stream_id = p_stream ORDER BY e.stream_version DESC LIMIT 1;
  IF NOT FOUND THEN
    v_version := 0;
    v_hash := decode(repeat('00', 32), 'hex');
  END IF;
  IF (p_expected = 0 AND v_version > 0) OR (p_expected > 0 AND v_version <> p_expected) THEN
    RAISE EXCEPTION 'stream % is at version %', p_stream, v_version USING ERRCODE = 'EV409', DETAIL = v_version::text;
  END IF;
  IF v_version = 0 THEN
    INSERT INTO ${s}.streams (stream_id, created_at) VALUES (p_stream, v_now) ON CONFLICT DO NOTHING;
  END IF;
  FOR i IN 1..v_n LOOP
    v_version := v_version + 1;
    v_hash := sha256(v_hash || convert_to(p_events[i] || '|' || p_stream || '|' || v_version::text || '|' || v_ms, 'UTF8'));
    v_hashes[i] := v_hash;
    v_versions[i] := v_version;
  END LOOP;
  RETURN QUERY
    INSERT INTO ${s}.events AS e (stream_id, stream_version, event_id, event_type, schema_version, data, metadata, recorded_at, hash)
    SELECT p_stream, u.ver, (u.doc->>'eventId')::uuid, u.doc->>'type', (u.doc->>'schemaVersion')::integer,
           u.doc->'data', u.doc->'metadata', v_now, u.h
      FROM (SELECT d::jsonb AS doc, ver, h, ord
              FROM unnest(p_events, v_versions, v_hashes) WITH ORDINALITY AS x(d, ver, h, ord)) u
     ORDER BY u.ord
    RETURNING e.global_position, e.stream_version, e.transaction_id, e.recorded_at, e.hash;
END $$;`,
});

/**
 * The same append with a path for the common single event: a plain INSERT of one row instead of
 * arrays, unnest and a sort, which was a measurable share of PostgreSQL's CPU per append
 * (`perf`: plan set-up of the multi-row INSERT). Hashes and versions are computed exactly as before.
 */
eventStoreMigrations.push({
  id: 'event-store/004-single-event-append-path',
  sql: (s) => `
CREATE OR REPLACE FUNCTION ${s}.append_events(p_stream text, p_expected bigint, p_events text[])
RETURNS TABLE (out_position bigint, out_version bigint, out_transaction_id xid8, out_recorded_at timestamptz, out_hash bytea)
LANGUAGE plpgsql AS $$
DECLARE
  v_version bigint;
  v_hash    bytea;
  v_now     timestamptz := date_trunc('milliseconds', clock_timestamp());
  v_ms      text;
  v_n       integer := coalesce(cardinality(p_events), 0);
  v_hashes  bytea[];
  v_versions bigint[];
  v_doc     jsonb;
  i integer;
BEGIN
  IF v_n = 0 THEN
    RAISE EXCEPTION 'append_events: no events' USING ERRCODE = '22023';
  END IF;
  v_ms := (extract(epoch FROM v_now) * 1000)::bigint::text;
  PERFORM pg_advisory_xact_lock(hashtextextended('${s}.' || p_stream, 0));
  SELECT e.stream_version, e.hash INTO v_version, v_hash
    FROM ${s}.events e WHERE e.stream_id = p_stream ORDER BY e.stream_version DESC LIMIT 1;
  IF NOT FOUND THEN
    v_version := 0;
    v_hash := decode(repeat('00', 32), 'hex');
  END IF;
  IF (p_expected = 0 AND v_version > 0) OR (p_expected > 0 AND v_version <> p_expected) THEN
    RAISE EXCEPTION 'stream % is at version %', p_stream, v_version USING ERRCODE = 'EV409', DETAIL = v_version::text;
  END IF;
  IF v_version = 0 THEN
    INSERT INTO ${s}.streams (stream_id, created_at) VALUES (p_stream, v_now) ON CONFLICT DO NOTHING;
  END IF;
  IF v_n = 1 THEN
    v_version := v_version + 1;
    v_hash := sha256(v_hash || convert_to(p_events[1] || '|' || p_stream || '|' || v_version::text || '|' || v_ms, 'UTF8'));
    v_doc := p_events[1]::jsonb;
    RETURN QUERY
      INSERT INTO ${s}.events AS e (stream_id, stream_version, event_id, event_type, schema_version, data, metadata, recorded_at, hash)
      VALUES (p_stream, v_version, (v_doc->>'eventId')::uuid, v_doc->>'type', (v_doc->>'schemaVersion')::integer,
              v_doc->'data', v_doc->'metadata', v_now, v_hash)
      RETURNING e.global_position, e.stream_version, e.transaction_id, e.recorded_at, e.hash;
    RETURN;
  END IF;
  v_hashes := ARRAY[]::bytea[];
  v_versions := ARRAY[]::bigint[];
  FOR i IN 1..v_n LOOP
    v_version := v_version + 1;
    v_hash := sha256(v_hash || convert_to(p_events[i] || '|' || p_stream || '|' || v_version::text || '|' || v_ms, 'UTF8'));
    v_hashes[i] := v_hash;
    v_versions[i] := v_version;
  END LOOP;
  RETURN QUERY
    INSERT INTO ${s}.events AS e (stream_id, stream_version, event_id, event_type, schema_version, data, metadata, recorded_at, hash)
    SELECT p_stream, u.ver, (u.doc->>'eventId')::uuid, u.doc->>'type', (u.doc->>'schemaVersion')::integer,
           u.doc->'data', u.doc->'metadata', v_now, u.h
      FROM (SELECT d::jsonb AS doc, ver, h, ord
              FROM unnest(p_events, v_versions, v_hashes) WITH ORDINALITY AS x(d, ver, h, ord)) u
     ORDER BY u.ord
    RETURNING e.global_position, e.stream_version, e.transaction_id, e.recorded_at, e.hash;
END $$;`,
});

/**
 * The read horizon of this database: readers of the log stop below the oldest transaction still running
 * that may write here. `pg_snapshot_xmin` is server-wide, so a transaction left open in another database
 * on the same server froze every reader; this minimum skips the running xids positively identified as
 * another database's (a backend's `backend_xid`, a prepared transaction), and keeps every xid it cannot
 * place — one that ended meanwhile is merely conservative, one skipped wrongly would lose events.
 * Both sources are readable by any role (`backend_xid` and `datid` are shown for every session), so this
 * runs as the caller: no SECURITY DEFINER needed. STABLE, so it sees the calling statement's snapshot,
 * the one the rows are read with. plpgsql keeps its plans per connection.
 */
eventStoreMigrations.push({
  id: 'event-store/005-read-horizon',
  sql: (s) => `
CREATE FUNCTION ${s}.read_horizon() RETURNS xid8
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED AS $$
DECLARE
  v_snap pg_catalog.pg_snapshot := pg_catalog.pg_current_snapshot();
BEGIN
  -- Nothing running, or a standby, whose snapshots list running xids outside xip: xmin is exact there.
  IF pg_catalog.pg_snapshot_xmin(v_snap) = pg_catalog.pg_snapshot_xmax(v_snap) OR pg_catalog.pg_is_in_recovery() THEN
    RETURN pg_catalog.pg_snapshot_xmin(v_snap);
  END IF;
  RETURN coalesce(
    (SELECT min(x.xid)
       FROM pg_catalog.pg_snapshot_xip(v_snap) AS x(xid)
      WHERE NOT EXISTS (
              SELECT 1 FROM pg_catalog.pg_stat_get_activity(NULL) AS a
               WHERE a.backend_xid = x.xid::xid
                 AND a.datid <> (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()))
        AND NOT EXISTS (
              SELECT 1 FROM pg_catalog.pg_prepared_xact() AS p
               WHERE p.transaction = x.xid::xid
                 AND p.dbid <> (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()))),
    pg_catalog.pg_snapshot_xmax(v_snap));
END $$;`,
});

/**
 * The same horizon without reading the backends' status on every read: that read (pg_stat_activity,
 * about 0.1–0.3 ms, growing with the number of connections) is only needed once the oldest running
 * transaction stays the oldest. A connection that sees a new oldest transaction answers with it, as
 * pg_snapshot_xmin would (always safe: it only waits longer), and looks it up once it has seen the same
 * one for 200 ms — so a transaction of another database delays this one's readers by about that much.
 * The last oldest xid and when it was first seen are kept in a session setting.
 * `read_horizon_exact()` always looks (005's function): for the readiness check, which runs seldom.
 */
eventStoreMigrations.push({
  id: 'event-store/006-read-horizon-looks-up-only-when-held',
  sql: (s) => `
ALTER FUNCTION ${s}.read_horizon() RENAME TO read_horizon_exact;

CREATE FUNCTION ${s}.read_horizon() RETURNS xid8
LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_snap pg_catalog.pg_snapshot := pg_catalog.pg_current_snapshot();
  v_xmin xid8 := pg_catalog.pg_snapshot_xmin(v_snap);
  v_now  float8;
  v_seen text[];
BEGIN
  IF v_xmin = pg_catalog.pg_snapshot_xmax(v_snap) OR pg_catalog.pg_is_in_recovery() THEN
    RETURN v_xmin;
  END IF;
  v_now := extract(epoch FROM pg_catalog.clock_timestamp()) * 1000;
  v_seen := pg_catalog.string_to_array(pg_catalog.current_setting('event_store.read_horizon_seen', true), ' ');
  IF v_seen[1] IS DISTINCT FROM v_xmin::text THEN
    PERFORM pg_catalog.set_config('event_store.read_horizon_seen', v_xmin::text || ' ' || v_now::text, false);
    RETURN v_xmin;
  END IF;
  IF v_now - v_seen[2]::float8 < 200 THEN
    RETURN v_xmin;
  END IF;
  RETURN ${s}.read_horizon_exact();
END $$;`,
});
