import { migrationSchema, replayProjection } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The members of each application's household (civil affairs' answer to a household verification), and
 * the years a running deadline was counted in without a calendar (the deadline watch recounts them). Both
 * come from the events: the dibao projection replays the log once (its checkpoint is removed).
 */
export class DibaoMembersAndProvisional1765324800000 implements MigrationInterface {
  name = 'DibaoMembersAndProvisional1765324800000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
ALTER TABLE ${s}.dibao_applications ADD COLUMN deadline_provisional text[] NOT NULL DEFAULT '{}';
CREATE INDEX dibao_applications_provisional ON ${s}.dibao_applications USING gin (deadline_provisional)
  WHERE cardinality(deadline_provisional) > 0;
CREATE TABLE ${s}.dibao_household_members (
  application_id uuid NOT NULL,
  id_number      text NOT NULL,
  PRIMARY KEY (application_id, id_number)
);
CREATE INDEX dibao_household_members_id ON ${s}.dibao_household_members (id_number);`);
    await replayProjection(q, 'dibao-applications');
  }

  async down(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`DROP TABLE ${s}.dibao_household_members;
ALTER TABLE ${s}.dibao_applications DROP COLUMN deadline_provisional;`);
  }
}
