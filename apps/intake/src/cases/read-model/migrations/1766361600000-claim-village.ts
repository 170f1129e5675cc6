import { migrationSchema } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where a claiming case is, so a duplicate found outside the registering officer's jurisdiction is
 * reported without its case number (the duplicate check must not reveal another county's cases).
 */
export class ClaimVillage1766361600000 implements MigrationInterface {
  name = 'ClaimVillage1766361600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE ${migrationSchema(q)}.case_member_claims ADD COLUMN IF NOT EXISTS village_code text;`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${migrationSchema(q)}.case_member_claims DROP COLUMN village_code;`);
  }
}
