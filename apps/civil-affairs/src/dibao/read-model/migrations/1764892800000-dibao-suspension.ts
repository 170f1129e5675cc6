import { migrationSchema } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** When a recipient's assistance was stopped (停保): the monthly payment roster leaves them out from then. */
export class DibaoSuspension1764892800000 implements MigrationInterface {
  name = 'DibaoSuspension1764892800000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
ALTER TABLE ${s}.dibao_applications ADD COLUMN suspended_at timestamptz;
CREATE INDEX dibao_applications_roster ON ${s}.dibao_applications (county_code, decided_at)
  WHERE status IN ('granted', 'suspended');`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`DROP INDEX ${s}.dibao_applications_roster;
ALTER TABLE ${s}.dibao_applications DROP COLUMN suspended_at;`);
  }
}
