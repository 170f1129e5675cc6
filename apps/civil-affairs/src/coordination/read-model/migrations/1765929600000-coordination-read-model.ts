import { migrationSchema } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Coordination items of the joint meeting (一事一议) and their decisions, for the list and the overdue watch. */
export class CoordinationReadModel1765929600000 implements MigrationInterface {
  name = 'CoordinationReadModel1765929600000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
CREATE TABLE ${s}.coordination_items (
  item_id        uuid        PRIMARY KEY,
  case_id        text        NOT NULL,
  case_number    text        NOT NULL,
  need           text        NOT NULL,
  departments    text[]      NOT NULL,
  village_code   text        NOT NULL,
  township_code  text        NOT NULL,
  county_code    text        NOT NULL,
  status         text        NOT NULL,
  meeting_count  int         NOT NULL,
  decision_count int         NOT NULL,
  done_count     int         NOT NULL,
  overdue_count  int         NOT NULL,
  opened_by_name text        NOT NULL,
  opened_at      timestamptz NOT NULL,
  closed_at      timestamptz,
  updated_at     timestamptz NOT NULL
);
CREATE INDEX coordination_items_county ON ${s}.coordination_items (county_code, opened_at);
CREATE INDEX coordination_items_township ON ${s}.coordination_items (township_code, opened_at);
CREATE TABLE ${s}.coordination_decisions (
  decision_id      uuid    PRIMARY KEY,
  item_id          uuid    NOT NULL,
  owner_department text    NOT NULL,
  due_on           date    NOT NULL,
  done             boolean NOT NULL,
  overdue_flagged  boolean NOT NULL,
  item_open        boolean NOT NULL
);
CREATE INDEX coordination_decisions_due ON ${s}.coordination_decisions (due_on);
CREATE INDEX coordination_decisions_item ON ${s}.coordination_decisions (item_id);`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`DROP TABLE ${s}.coordination_decisions; DROP TABLE ${s}.coordination_items;`);
  }
}
