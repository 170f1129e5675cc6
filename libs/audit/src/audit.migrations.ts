import type { Migration } from '@platform/event-store';

const SEAL_COLUMNS_V2 = `
  version             integer NOT NULL DEFAULT 2,
  department          text,
  key_id              text,
  heads_digest        text,
  heads               jsonb,
  kind                text    NOT NULL DEFAULT 'regular',
  supersedes_from     bigint,
  supersedes_to       bigint,
  reason              text`;

/** A department's seals over its own log, and the copies of other departments' seals it witnessed. */
export const departmentSealMigrations: Migration[] = [
  {
    id: 'audit/001-log-seals',
    sql: (s) => `
CREATE TABLE ${s}.log_seals (
  seal_no             bigint PRIMARY KEY,
  from_transaction_id text   NOT NULL,
  from_position       bigint NOT NULL,
  to_transaction_id   text   NOT NULL,
  to_position         bigint NOT NULL,
  entry_count         integer NOT NULL,
  merkle_root         text   NOT NULL,
  previous_seal_hash  text   NOT NULL,
  seal_hash           text   NOT NULL,
  signature           text   NOT NULL,
  public_key          text   NOT NULL,
  sealed_at           timestamptz NOT NULL,${SEAL_COLUMNS_V2}
);
CREATE TRIGGER log_seals_append_only BEFORE UPDATE OR DELETE ON ${s}.log_seals
  FOR EACH ROW EXECUTE FUNCTION ${s}.reject_event_mutation();
CREATE TRIGGER log_seals_no_truncate BEFORE TRUNCATE ON ${s}.log_seals
  FOR EACH STATEMENT EXECUTE FUNCTION ${s}.reject_event_mutation();`,
  },
];

/** Every schema that witnesses other departments' seals keeps them here; a conflicting copy is kept too. */
export const peerSealMigrations: Migration[] = [
  {
    id: 'audit/002-peer-seals',
    sql: (s) => `
CREATE TABLE ${s}.peer_seals (
  department  text   NOT NULL,
  seal_no     bigint NOT NULL,
  seal_hash   text   NOT NULL,
  seal        jsonb  NOT NULL,
  message_id  text,
  received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (department, seal_no, seal_hash)
);
CREATE TRIGGER peer_seals_append_only BEFORE UPDATE OR DELETE ON ${s}.peer_seals
  FOR EACH ROW EXECUTE FUNCTION ${s}.reject_event_mutation();
CREATE TRIGGER peer_seals_no_truncate BEFORE TRUNCATE ON ${s}.peer_seals
  FOR EACH STATEMENT EXECUTE FUNCTION ${s}.reject_event_mutation();`,
  },
];

/** Oversight's ledger seals gain what version 2 seals carry; the rows already there stay version 1. */
export const ledgerSealV2Migration: Migration = {
  id: 'oversight/003-ledger-seals-v2',
  sql: (s) => `
ALTER TABLE ${s}.ledger_seals
  ADD COLUMN version         integer NOT NULL DEFAULT 1,
  ADD COLUMN department      text,
  ADD COLUMN key_id          text,
  ADD COLUMN heads_digest    text,
  ADD COLUMN heads           jsonb,
  ADD COLUMN kind            text    NOT NULL DEFAULT 'regular',
  ADD COLUMN supersedes_from bigint,
  ADD COLUMN supersedes_to   bigint,
  ADD COLUMN reason          text;
ALTER TABLE ${s}.ledger_seals ALTER COLUMN version SET DEFAULT 2;
CREATE TRIGGER ledger_seals_no_truncate BEFORE TRUNCATE ON ${s}.ledger_seals
  FOR EACH STATEMENT EXECUTE FUNCTION ${s}.reject_event_mutation();`,
};
