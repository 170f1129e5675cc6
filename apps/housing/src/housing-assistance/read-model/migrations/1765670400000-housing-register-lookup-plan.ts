import { migrationSchema } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A register lookup reads a handful of rows through the GIN index on the members. Each ID number is too rare
 * for the default statistics sample to keep element statistics, so the planner guessed 0.5% of the table
 * per member and chose a parallel plan (5 ms of worker start-up for 8 rows, 1,000,000 entries). More
 * statistics for the column give a real estimate; no parallel scan of this table keeps the plan serial
 * even before the next ANALYZE (bench `register-lookup`, docs/benchmarks.md).
 */
export class HousingRegisterLookupPlan1765670400000 implements MigrationInterface {
  name = 'HousingRegisterLookupPlan1765670400000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
ALTER TABLE ${s}.housing_register_entries ALTER COLUMN member_id_numbers SET STATISTICS 1000;
ALTER TABLE ${s}.housing_register_entries SET (parallel_workers = 0);
ANALYZE ${s}.housing_register_entries;`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
ALTER TABLE ${s}.housing_register_entries ALTER COLUMN member_id_numbers SET STATISTICS -1;
ALTER TABLE ${s}.housing_register_entries RESET (parallel_workers);`);
  }
}
