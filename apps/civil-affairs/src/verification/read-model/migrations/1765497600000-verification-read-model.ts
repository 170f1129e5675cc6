import { migrationSchema } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Household economic verifications (家庭经济状况核对): the list and the deadline watch. */
export class VerificationReadModel1765497600000 implements MigrationInterface {
  name = 'VerificationReadModel1765497600000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
CREATE TABLE ${s}.verifications (
  verification_id uuid        PRIMARY KEY,
  application_id  uuid,
  case_id         uuid,
  village_code    text        NOT NULL,
  township_code   text        NOT NULL,
  county_code     text        NOT NULL,
  member_count    int         NOT NULL,
  requested_by    text        NOT NULL,
  requested_at    timestamptz NOT NULL,
  due_at          timestamptz NOT NULL,
  pending         text[]      NOT NULL,
  answered        text[]      NOT NULL,
  overdue         text[]      NOT NULL,
  updated_at      timestamptz NOT NULL
);
CREATE INDEX verifications_county ON ${s}.verifications (county_code, requested_at);
CREATE INDEX verifications_application ON ${s}.verifications (application_id);
CREATE INDEX verifications_due ON ${s}.verifications (due_at) WHERE cardinality(pending) > 0;`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${migrationSchema(q)}.verifications`);
  }
}
