import { ledgerSealV2Migration } from '@platform/audit';
import type { Migration } from '@platform/event-store';

/**
 * The storage engine's part of oversight's schema (plain SQL): an index on the ledger's own events and
 * the ledger's seals. The read models (referral and case facts) are TypeORM's: see facts.read-model.ts.
 * `001` once also created the fact tables; databases migrated then keep them, and the TypeORM migration
 * adopts them.
 */
export const oversightMigrations: Migration[] = [
  {
    id: 'oversight/001-seals-facts',
    sql: (s) => `
CREATE INDEX ledger_referral ON ${s}.events ((data->>'referralId'));
CREATE TABLE ${s}.ledger_seals (
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
  sealed_at           timestamptz NOT NULL
);
CREATE TRIGGER ledger_seals_append_only BEFORE UPDATE OR DELETE ON ${s}.ledger_seals
  FOR EACH ROW EXECUTE FUNCTION ${s}.reject_event_mutation();
`,
  },
  ledgerSealV2Migration,
];
