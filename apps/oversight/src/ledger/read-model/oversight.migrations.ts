import { ledgerSealV2Migration } from '@platform/audit';
import type { Migration } from '@platform/event-store';

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

CREATE TABLE ${s}.referral_facts (
  referral_id     uuid PRIMARY KEY,
  case_id         uuid NOT NULL,
  department      text NOT NULL,
  jurisdiction    text NOT NULL,
  county_code     text,
  category        text NOT NULL,
  issued_at       timestamptz NOT NULL,
  received_at     timestamptz,
  acknowledged_at timestamptz,
  decided_at      timestamptz,
  completed_at    timestamptz,
  status          text NOT NULL,
  declined        boolean NOT NULL DEFAULT false,
  overdue_acknowledge boolean NOT NULL DEFAULT false,
  overdue_decide  boolean NOT NULL DEFAULT false,
  overdue_held_by text,
  outcome         text,
  amount          numeric,
  reason          text,
  acknowledged_by text,
  decided_by      text,
  completed_by    text,
  revoked         boolean NOT NULL DEFAULT false,
  reopened        integer NOT NULL DEFAULT 0,
  rerouted        boolean NOT NULL DEFAULT false
);
CREATE INDEX referral_facts_period ON ${s}.referral_facts (issued_at, department, county_code);
CREATE TABLE ${s}.case_facts (
  case_id     uuid PRIMARY KEY,
  case_number text,
  county_code text,
  opened_at   timestamptz,
  accepted_at timestamptz,
  reported_to_government integer NOT NULL DEFAULT 0,
  first_reported_at timestamptz
);`,
  },
  {
    id: 'oversight/002-reported-index',
    sql: (s) =>
      `CREATE INDEX case_facts_reported ON ${s}.case_facts (first_reported_at) WHERE reported_to_government > 0;`,
  },
  ledgerSealV2Migration,
];
