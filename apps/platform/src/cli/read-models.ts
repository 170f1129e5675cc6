// The read models a rebuild empties and replays from their department's event log. Names: referral-facts
// (oversight), case-list (intake), referral-inbox:<department>, staff-filing, dibao-applications,
// verifications, temporary-assistance, coordination and social-forces (civil affairs), health-assistance
// (health), housing-register (housing), education-register (education). No name: all.
import { PostgresEventStore } from '@platform/event-store';
import { ProjectionRunner, readModelDataSource, type Projection } from '@platform/read-model';
import { referralDeskReadModel, referralInboxProjection } from '@platform/referral-desk';
import type pg from 'pg';
import type { EntitySchema } from 'typeorm';
import { coordinationProjection } from '../../../civil-affairs/src/coordination/read-model/coordination.projection.js';
import { coordinationReadModel } from '../../../civil-affairs/src/coordination/read-model/coordination.read-model.js';
import { dibaoProjection } from '../../../civil-affairs/src/dibao/read-model/dibao.projection.js';
import { dibaoReadModel } from '../../../civil-affairs/src/dibao/read-model/dibao.read-model.js';
import { socialForcesProjection } from '../../../civil-affairs/src/social-forces/read-model/social-forces.projection.js';
import { socialForcesReadModel } from '../../../civil-affairs/src/social-forces/read-model/social-forces.read-model.js';
import { staffFilingProjection } from '../../../civil-affairs/src/staff-filing/read-model/staff-filing.projection.js';
import { temporaryAssistanceProjection } from '../../../civil-affairs/src/temporary-assistance/read-model/temporary-assistance.projection.js';
import { temporaryAssistanceReadModel } from '../../../civil-affairs/src/temporary-assistance/read-model/temporary-assistance.read-model.js';
import { verificationProjection } from '../../../civil-affairs/src/verification/read-model/verification.projection.js';
import { verificationReadModel } from '../../../civil-affairs/src/verification/read-model/verification.read-model.js';
import { healthAssistanceProjection } from '../../../health/src/medical-assistance/read-model/health-assistance.projection.js';
import { healthAssistanceReadModel } from '../../../health/src/medical-assistance/read-model/health-assistance.read-model.js';
import { housingRegisterProjection } from '../../../housing/src/housing-assistance/read-model/housing-register.projection.js';
import { housingRegisterReadModel } from '../../../housing/src/housing-assistance/read-model/housing-register.read-model.js';
import { educationRegisterProjection } from '../../../education/src/education-assistance/read-model/education-register.projection.js';
import { educationRegisterReadModel } from '../../../education/src/education-assistance/read-model/education-register.read-model.js';
import { staffFilingReadModel } from '../../../civil-affairs/src/staff-filing/read-model/staff-filing.read-model.js';
import { caseReadModel } from '../../../intake/src/cases/read-model/case.read-model.js';
import { caseListProjection } from '../../../intake/src/cases/read-model/case-list.projection.js';
import { progress, schemaOf } from '../../../oversight/src/cli/progress.js';
import { factsReadModel } from '../../../oversight/src/ledger/read-model/facts.read-model.js';
import { referralFactsProjection } from '../../../oversight/src/ledger/read-model/referral-facts.projection.js';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Entities = Array<Function | EntitySchema>;
interface ReadModel {
  department: string;
  entities: Entities;
  projection: (store: PostgresEventStore) => Projection;
}

export const READ_MODELS: Record<string, ReadModel> = {
  'referral-facts': {
    department: 'oversight',
    entities: factsReadModel.entities,
    projection: () => referralFactsProjection(),
  },
  'case-list': { department: 'intake', entities: caseReadModel.entities, projection: caseListProjection },
  'staff-filing': {
    department: 'civil-affairs',
    entities: staffFilingReadModel.entities,
    projection: staffFilingProjection,
  },
  'dibao-applications': {
    department: 'civil-affairs',
    entities: dibaoReadModel.entities,
    projection: dibaoProjection,
  },
  'temporary-assistance': {
    department: 'civil-affairs',
    entities: temporaryAssistanceReadModel.entities,
    projection: temporaryAssistanceProjection,
  },
  coordination: {
    department: 'civil-affairs',
    entities: coordinationReadModel.entities,
    projection: coordinationProjection,
  },
  'social-forces': {
    department: 'civil-affairs',
    entities: socialForcesReadModel.entities,
    projection: socialForcesProjection,
  },
  verifications: {
    department: 'civil-affairs',
    entities: verificationReadModel.entities,
    projection: verificationProjection,
  },
  'health-assistance': {
    department: 'health',
    entities: healthAssistanceReadModel.entities,
    projection: healthAssistanceProjection,
  },
  'housing-register': {
    department: 'housing',
    entities: housingRegisterReadModel.entities,
    projection: housingRegisterProjection,
  },
  'education-register': {
    department: 'education',
    entities: educationRegisterReadModel.entities,
    projection: educationRegisterProjection,
  },
  ...Object.fromEntries(
    ['civil-affairs', 'health', 'housing', 'education'].map((d): [string, ReadModel] => [
      `referral-inbox:${d}`,
      {
        department: d,
        entities: referralDeskReadModel.entities,
        projection: () => referralInboxProjection(),
      },
    ]),
  ),
};

/** Empties each named read model (all without names) and replays its log, with a progress bar each. */
export async function rebuildReadModels(
  pool: pg.Pool,
  names: string[] = Object.keys(READ_MODELS),
): Promise<void> {
  for (const name of names) {
    const model = READ_MODELS[name]!;
    const schema = schemaOf(model.department);
    const store = new PostgresEventStore({ pool, schema });
    const dataSource = await readModelDataSource({ pool, schema, entities: model.entities }).initialize();
    try {
      const total = Number((await pool.query(`SELECT count(*) AS n FROM "${schema}".events`)).rows[0].n);
      const bar = progress(`rebuild ${name}`, total);
      const started = Date.now();
      const runner = new ProjectionRunner({ dataSource, store, projection: model.projection(store) });
      const applied = await runner.rebuild((n) => bar.update(n));
      bar.stop();
      console.log(`${name}: ${applied} events in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      await dataSource.destroy();
    }
  }
}
