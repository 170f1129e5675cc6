import { migrationSchema } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The long-term public notice list (长期公示) of a township or a village in its order, from an index: a
 * page's ids and the total come from an index-only scan, instead of sorting every granted household of
 * the township for each page (3,334 rows of a county with 10,000).
 */
export class DibaoRecipientList1765152000000 implements MigrationInterface {
  name = 'DibaoRecipientList1765152000000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
CREATE INDEX dibao_applications_recipients_township ON ${s}.dibao_applications
  (township_code, village_code, decided_at, application_id) WHERE status = 'granted';
CREATE INDEX dibao_applications_recipients_village ON ${s}.dibao_applications
  (village_code, decided_at, application_id) WHERE status = 'granted';`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(
      `DROP INDEX ${s}.dibao_applications_recipients_township, ${s}.dibao_applications_recipients_village;`,
    );
  }
}
