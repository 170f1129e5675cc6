import { migrationSchema, replayProjection } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who opened each case and how the hardship came to light, so a reporter (a social worker, a village
 * committee) can follow the cases they reported. Filled by the case list projection, which replays once.
 */
export class CaseReporter1766188800000 implements MigrationInterface {
  name = 'CaseReporter1766188800000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
ALTER TABLE ${s}.case_list
  ADD COLUMN IF NOT EXISTS opened_by text,
  ADD COLUMN IF NOT EXISTS report_source text;
CREATE INDEX IF NOT EXISTS case_list_opened_by ON ${s}.case_list (opened_by, opened_at DESC);`);
    await replayProjection(q, 'case-list');
  }

  async down(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`DROP INDEX IF EXISTS ${s}.case_list_opened_by;
ALTER TABLE ${s}.case_list DROP COLUMN opened_by, DROP COLUMN report_source;`);
  }
}
