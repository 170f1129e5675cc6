import { migrationSchema } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Wrong query codes per case number on the public lookup, and the lock they lead to. */
export class ProgressLookupGuard1766448000000 implements MigrationInterface {
  name = 'ProgressLookupGuard1766448000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
CREATE TABLE IF NOT EXISTS ${migrationSchema(q)}.progress_lookup_guard (
  case_number text PRIMARY KEY,
  failures integer NOT NULL,
  locked_at timestamptz,
  updated_at timestamptz NOT NULL
);`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${migrationSchema(q)}.progress_lookup_guard;`);
  }
}
