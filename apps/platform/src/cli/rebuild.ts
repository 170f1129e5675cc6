// npm run projections:rebuild -- [name] — empty a read model and replay its event log from position 0.
// Names: referral-facts (oversight), case-list (intake), referral-inbox:<department>. No name: all.
import { PostgresEventStore, ProjectionRunner, type Projection } from '@platform/event-store';
import { referralInboxProjection } from '@platform/referral-desk';
import pg from 'pg';
import { caseListProjection } from '../../../intake/src/cases/read-model/case-list.projection.js';
import { arg, databaseUrl, progress, schemaOf } from '../../../oversight/src/cli/progress.js';
import { referralFactsProjection } from '../../../oversight/src/ledger/read-model/referral-facts.projection.js';

const pool = new pg.Pool({ connectionString: databaseUrl(), max: 4 });
const store = (department: string) => new PostgresEventStore({ pool, schema: schemaOf(department) });
const all: Record<string, () => { store: PostgresEventStore; projection: Projection }> = {
  'referral-facts': () => ({
    store: store('oversight'),
    projection: referralFactsProjection(schemaOf('oversight')),
  }),
  'case-list': () => {
    const s = store('intake');
    return { store: s, projection: caseListProjection(s) };
  },
  ...Object.fromEntries(
    ['civil-affairs', 'health', 'housing', 'education'].map((d) => [
      `referral-inbox:${d}`,
      () => ({ store: store(d), projection: referralInboxProjection(schemaOf(d)) }),
    ]),
  ),
};
const wanted = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? arg('name');
if (wanted && !all[wanted]) {
  console.error(`unknown projection "${wanted}"; known: ${Object.keys(all).join(', ')}`);
  process.exit(2);
}
try {
  for (const name of wanted ? [wanted] : Object.keys(all)) {
    const { store: s, projection } = all[name]!();
    const total = Number((await pool.query(`SELECT count(*) AS n FROM "${s.schema}".events`)).rows[0].n);
    const bar = progress(`rebuild ${name}`, total);
    const started = Date.now();
    const applied = await new ProjectionRunner({ pool, store: s, projection }).rebuild((n) => bar.update(n));
    bar.stop();
    console.log(`${name}: ${applied} events in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
} finally {
  await pool.end();
}
