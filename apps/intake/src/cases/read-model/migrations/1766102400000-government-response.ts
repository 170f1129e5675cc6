import { migrationSchema, replayProjection } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What became of a need reported to the government: when its answer is due, the government's response,
 * and the township that reported it (the window sees its own reports). The case list projection fills
 * them from the cases' events: its checkpoint is removed, so it replays the log once.
 */
export class GovernmentResponse1766102400000 implements MigrationInterface {
  name = 'GovernmentResponse1766102400000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
ALTER TABLE ${s}.government_reports
  ADD COLUMN IF NOT EXISTS township_code text,
  ADD COLUMN IF NOT EXISTS respond_by timestamptz,
  ADD COLUMN IF NOT EXISTS response jsonb,
  ADD COLUMN IF NOT EXISTS responded_at timestamptz;
CREATE INDEX IF NOT EXISTS government_reports_open ON ${s}.government_reports (respond_by)
  WHERE response IS NULL;`);
    await replayProjection(q, 'case-list');
  }

  async down(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`DROP INDEX IF EXISTS ${s}.government_reports_open;
ALTER TABLE ${s}.government_reports DROP COLUMN township_code, DROP COLUMN respond_by, DROP COLUMN response,
  DROP COLUMN responded_at;`);
  }
}
