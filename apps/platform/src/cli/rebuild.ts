// npm run projections:rebuild -- [name] — empty a read model and replay its event log from position 0.
// Names: see read-models.ts. No name: all.
import { protectPersonalDataFromEnvironment } from '@platform/event-store';
import pg from 'pg';
import { arg, databaseUrl } from '../../../oversight/src/cli/progress.js';
import { READ_MODELS, rebuildReadModels } from './read-models.js';

const pool = new pg.Pool({ connectionString: databaseUrl(), max: 4 });
// Read models hold personal values in the clear: the rebuild opens them as the services do.
const personalData = protectPersonalDataFromEnvironment(pool, []);
const wanted = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? arg('name');
if (wanted && !READ_MODELS[wanted]) {
  console.error(`unknown projection "${wanted}"; known: ${Object.keys(READ_MODELS).join(', ')}`);
  process.exit(2);
}
try {
  await rebuildReadModels(pool, wanted ? [wanted] : undefined);
} finally {
  await personalData.close();
  await pool.end();
}
