import type { Migration } from '@platform/event-store';

/** Tables every consuming or publishing service keeps in its own schema. */
export const messagingMigrations: Migration[] = [
  {
    id: 'messaging/001-inbox-checkpoints',
    sql: (s) => `
-- A handled message: written in the same transaction as the handler's effects.
CREATE TABLE ${s}.inbox (
  consumer_group text        NOT NULL,
  message_id     text        NOT NULL,
  message_type   text        NOT NULL,
  topic          text        NOT NULL,
  source_position text,
  kafka_partition integer,
  kafka_offset   bigint,
  handled_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (consumer_group, message_id)
);
-- Where the outbox relay has published up to.
CREATE TABLE ${s}.relay_checkpoints (
  relay           text   PRIMARY KEY,
  transaction_id  xid8   NOT NULL,
  global_position bigint NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);
-- Per consumer group and topic, for the embedded event-log transport.
CREATE TABLE ${s}.event_log_checkpoints (
  consumer_group  text   NOT NULL,
  topic           text   NOT NULL,
  transaction_id  xid8   NOT NULL,
  global_position bigint NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (consumer_group, topic)
);
-- Messages the event-log transport gave up on (Kafka uses <topic>.dlq instead).
CREATE TABLE ${s}.dead_letters (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  consumer_group text        NOT NULL,
  topic          text        NOT NULL,
  message_id     text,
  message_type   text,
  reason         text        NOT NULL,
  error          text        NOT NULL,
  payload        jsonb,
  failed_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);
`,
  },
  {
    id: 'messaging/002-inbox-outcome-chain-heads',
    sql: (s) => `
-- What became of a seen message: handled, ignored (no use for it, or an unknown type) or dead (dead-lettered).
ALTER TABLE ${s}.inbox ADD COLUMN outcome text NOT NULL DEFAULT 'handled';
-- Per consumer group and source stream, the last published event accepted (Kafka): a fresh message
-- must name it as its previous published event, so replays and gaps are refused.
CREATE TABLE ${s}.inbox_chain_heads (
  consumer_group   text        NOT NULL,
  source           text        NOT NULL,
  source_stream    text        NOT NULL,
  version          bigint      NOT NULL,
  hash             text        NOT NULL,
  event_id         text        NOT NULL,
  previous_version bigint      NOT NULL,
  accepted_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (consumer_group, source, source_stream)
);
`,
  },
  {
    id: 'messaging/003-relay-leases',
    sql: (s) => `
-- The publishing relay renews its lease every second; a standby that finds it stale ends the
-- holder's database session (a frozen process keeps its lock connection open).
CREATE TABLE ${s}.relay_leases (
  relay       text        PRIMARY KEY,
  backend_pid integer     NOT NULL,
  renewed_at  timestamptz NOT NULL
);
`,
  },
];
