import { migrationSchema, replayProjection } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The members of each application's household and the day it was decided (Beijing): civil affairs'
 * answer to a household verification reports, per member, the temporary assistance granted in the twelve
 * months up to the day asked about. Both come from the events: the projection replays the log once (its
 * checkpoint is removed) and fills them for the applications already listed.
 */
export class TemporaryAssistanceMembers1765656000000 implements MigrationInterface {
  name = 'TemporaryAssistanceMembers1765656000000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
ALTER TABLE ${s}.temporary_assistance_applications ADD COLUMN decided_on date;
CREATE TABLE ${s}.temporary_assistance_members (
  application_id uuid NOT NULL,
  id_number      text NOT NULL,
  PRIMARY KEY (application_id, id_number)
);
CREATE INDEX temporary_assistance_members_id ON ${s}.temporary_assistance_members (id_number);`);
    await replayProjection(q, 'temporary-assistance');
  }

  async down(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`DROP TABLE ${s}.temporary_assistance_members;
ALTER TABLE ${s}.temporary_assistance_applications DROP COLUMN decided_on;`);
  }
}
