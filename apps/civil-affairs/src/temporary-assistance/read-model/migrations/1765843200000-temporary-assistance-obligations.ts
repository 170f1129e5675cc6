import { migrationSchema } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The obligations to supply missing materials (补充材料义务) of urgent temporary assistance granted before
 * its materials were complete (绿色通道), and each application's urgency on the list. Every application
 * before this migration was normal and decided on complete materials, so there is nothing to replay.
 */
export class TemporaryAssistanceObligations1765843200000 implements MigrationInterface {
  name = 'TemporaryAssistanceObligations1765843200000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
ALTER TABLE ${s}.temporary_assistance_applications ADD COLUMN urgency text NOT NULL DEFAULT 'normal';
CREATE TABLE ${s}.temporary_assistance_obligations (
  application_id uuid        NOT NULL,
  obligation_no  int         NOT NULL,
  material       text        NOT NULL,
  status         text        NOT NULL,
  due_at         timestamptz NOT NULL,
  provisional    boolean     NOT NULL,
  applicant_name text        NOT NULL,
  village_code   text        NOT NULL,
  township_code  text        NOT NULL,
  county_code    text        NOT NULL,
  decided_level  text        NOT NULL,
  decided_at     timestamptz NOT NULL,
  fulfilled_at   timestamptz,
  fulfilled_by   text,
  fulfilled_late boolean,
  waived_at      timestamptz,
  waived_by      text,
  waived_reason  text,
  overdue_at     timestamptz,
  PRIMARY KEY (application_id, obligation_no)
);
CREATE INDEX temporary_assistance_obligations_county ON ${s}.temporary_assistance_obligations (county_code, due_at);
CREATE INDEX temporary_assistance_obligations_township ON ${s}.temporary_assistance_obligations (township_code, due_at);
CREATE INDEX temporary_assistance_obligations_open ON ${s}.temporary_assistance_obligations (due_at) WHERE status = 'open';`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`DROP TABLE ${s}.temporary_assistance_obligations;
ALTER TABLE ${s}.temporary_assistance_applications DROP COLUMN urgency;`);
  }
}
