import { migrationSchema } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Medical-assistance claims, disease-emergency reports and the register of assistance given. */
export class HealthAssistanceReadModel1765238400000 implements MigrationInterface {
  name = 'HealthAssistanceReadModel1765238400000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
CREATE TABLE ${s}.medical_assistance_claims (
  claim_id                    text        PRIMARY KEY,
  person_key                  text        NOT NULL,
  person_id_number            text        NOT NULL,
  person_name                 text        NOT NULL,
  household_id                text,
  county_code                 text        NOT NULL,
  service_date                date        NOT NULL,
  year                        text        NOT NULL,
  hospital                    text        NOT NULL,
  serious_illness             boolean     NOT NULL,
  total_cost_fen              bigint      NOT NULL,
  in_policy_out_of_pocket_fen bigint      NOT NULL,
  category                    text        NOT NULL,
  ratio_percent               int         NOT NULL,
  assistance_fen              bigint      NOT NULL,
  personal_payment_fen        bigint      NOT NULL,
  cap_reached                 boolean     NOT NULL,
  status                      text        NOT NULL,
  assessed_by_name            text        NOT NULL,
  assessed_at                 timestamptz NOT NULL
);
CREATE INDEX medical_assistance_claims_county ON ${s}.medical_assistance_claims (county_code, assessed_at);
CREATE INDEX medical_assistance_claims_person ON ${s}.medical_assistance_claims (person_id_number, service_date);

CREATE TABLE ${s}.disease_emergency_reports (
  report_id          uuid        PRIMARY KEY,
  status             text        NOT NULL,
  county_code        text        NOT NULL,
  hospital_code      text        NOT NULL,
  hospital_name      text        NOT NULL,
  reason             text        NOT NULL,
  patient_identified boolean     NOT NULL,
  patient_id_number  text,
  patient_name       text,
  admitted_on        date        NOT NULL,
  emergency_cost_fen bigint      NOT NULL,
  unpaid_fen         bigint      NOT NULL,
  approved_fen       bigint,
  paid_fen           bigint,
  reported_at        timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL
);
CREATE INDEX disease_emergency_reports_county ON ${s}.disease_emergency_reports (county_code, reported_at);

CREATE TABLE ${s}.health_assistance_register (
  programme            text    NOT NULL,
  decision_reference   text    NOT NULL,
  person_id_number     text,
  person_name          text,
  household_id         text,
  amount_fen           bigint  NOT NULL,
  date                 date    NOT NULL,
  medical_cost_fen     bigint  NOT NULL,
  personal_payment_fen bigint  NOT NULL,
  serious_illness      boolean NOT NULL,
  county_code          text    NOT NULL,
  hospital             text    NOT NULL,
  PRIMARY KEY (programme, decision_reference)
);
-- Verification asks by member ID number and a twelve-month period: one index range per member, and the
-- answer's columns from the index alone (an index-only scan), whatever the size of the register.
CREATE INDEX health_register_person ON ${s}.health_assistance_register (person_id_number, date)
  INCLUDE (amount_fen, medical_cost_fen, personal_payment_fen, serious_illness)
  WHERE person_id_number IS NOT NULL;
CREATE INDEX health_register_county ON ${s}.health_assistance_register (county_code, date);`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`DROP TABLE ${s}.health_assistance_register;
DROP TABLE ${s}.disease_emergency_reports;
DROP TABLE ${s}.medical_assistance_claims`);
  }
}
