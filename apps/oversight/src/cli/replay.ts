// npm run replay -- --case <id> [--at <ISO time>] — the case and its referrals as they stood then,
// folded from the oversight ledger.
import { protectPersonalDataFromEnvironment } from '@platform/event-store';
import pg from 'pg';
import { LedgerQuery } from '../ledger/application/ledger.query.js';
import { replay } from '../ledger/domain/case-replay.js';
import { arg, databaseUrl, progress, schemaOf } from './progress.js';

const caseId = arg('case');
const at = arg('at');
if (!caseId || !/^[0-9a-f-]{36}$/i.test(caseId) || (at && Number.isNaN(Date.parse(at)))) {
  console.error('usage: npm run replay -- --case <case id> [--at <ISO time>]');
  process.exit(2);
}
const pool = new pg.Pool({ connectionString: databaseUrl(), max: 2 });
const personalData = protectPersonalDataFromEnvironment(pool, [schemaOf('oversight')]);
try {
  const entries = await new LedgerQuery(pool, schemaOf('oversight')).entries(caseId, {
    at: at ? new Date(at) : new Date(),
  });
  const bar = progress('replay', entries.length);
  const state = replay(
    caseId,
    entries.filter((_, i) => (bar.update(i + 1), true)),
  );
  bar.stop();
  console.log(
    JSON.stringify({ at: at ?? new Date().toISOString(), entries: entries.length, state }, null, 2),
  );
} finally {
  await personalData.close();
  await pool.end();
}
