import { migrationSchema, replayProjection } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The education officers' list of students. The register's projection fills it, so it replays the log once
 * to list the students recorded before (register rows are keyed by event: the replay writes none twice).
 */
export class EducationStudents1766880000000 implements MigrationInterface {
  name = 'EducationStudents1766880000000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
CREATE TABLE ${s}.education_students (
  student_id        text        PRIMARY KEY,
  name              text        NOT NULL,
  id_number         text        NOT NULL,
  at_school         boolean     NOT NULL,
  stage             text        NOT NULL,
  school_name       text        NOT NULL,
  jurisdiction_code text        NOT NULL,
  township_code     text        NOT NULL,
  county_code       text        NOT NULL,
  grants            int         NOT NULL,
  paid_fen          bigint      NOT NULL,
  next_unpaid_on    text,
  updated_at        timestamptz NOT NULL
);
CREATE INDEX education_students_county ON ${s}.education_students (county_code, updated_at);`);
    await replayProjection(q, 'education-register');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${migrationSchema(q)}.education_students`);
  }
}
