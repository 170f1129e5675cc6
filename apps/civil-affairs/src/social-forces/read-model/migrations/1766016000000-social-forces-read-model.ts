import { migrationSchema } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Social forces (社会力量): the providers' registry, the services assigned, the purchased-service projects. */
export class SocialForcesReadModel1766016000000 implements MigrationInterface {
  name = 'SocialForcesReadModel1766016000000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
CREATE TABLE ${s}.social_force_providers (
  provider_id   uuid        PRIMARY KEY,
  name          text        NOT NULL,
  kind          text        NOT NULL,
  services      text[]      NOT NULL,
  area_codes    text[]      NOT NULL,
  user_ids      text[]      NOT NULL,
  county_code   text        NOT NULL,
  active        boolean     NOT NULL,
  registered_at timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL
);
CREATE INDEX social_force_providers_county ON ${s}.social_force_providers (county_code, name);
CREATE TABLE ${s}.social_services (
  service_id     uuid        PRIMARY KEY,
  case_id        text        NOT NULL,
  case_number    text        NOT NULL,
  household_name text        NOT NULL,
  service        text        NOT NULL,
  provider_id    uuid        NOT NULL,
  provider_name  text        NOT NULL,
  project_id     uuid,
  cost_fen       bigint,
  village_code   text        NOT NULL,
  township_code  text        NOT NULL,
  county_code    text        NOT NULL,
  status         text        NOT NULL,
  outcome        text,
  visit_count    int         NOT NULL,
  assigned_at    timestamptz NOT NULL,
  closed_at      timestamptz,
  updated_at     timestamptz NOT NULL
);
CREATE INDEX social_services_county ON ${s}.social_services (county_code, assigned_at);
CREATE INDEX social_services_provider ON ${s}.social_services (provider_id);
CREATE TABLE ${s}.purchased_service_projects (
  project_id    uuid        PRIMARY KEY,
  name          text        NOT NULL,
  provider_id   uuid        NOT NULL,
  provider_name text        NOT NULL,
  county_code   text        NOT NULL,
  budget_fen    bigint      NOT NULL,
  charged_fen   bigint      NOT NULL,
  service_count int         NOT NULL,
  period_from   date        NOT NULL,
  period_to     date        NOT NULL,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL
);
CREATE INDEX purchased_service_projects_county ON ${s}.purchased_service_projects (county_code, created_at);`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`DROP TABLE ${s}.purchased_service_projects; DROP TABLE ${s}.social_services;
DROP TABLE ${s}.social_force_providers;`);
  }
}
