// npm run audit:verify — recompute every stream's hash chain in every department's event store and
// every oversight ledger seal; exit 1 and name what is broken when anything is.
import { PostgresEventStore, verifyAllStreams } from '@platform/event-store';
import pg from 'pg';
import { LedgerSealer } from '../ledger/application/sealer.js';
import { databaseUrl, progress, schemaOf } from './progress.js';

const DEPARTMENTS = ['intake', 'civil-affairs', 'health', 'housing', 'education', 'oversight'];
const pool = new pg.Pool({ connectionString: databaseUrl(), max: 4 });
let failures = 0;
try {
  for (const department of DEPARTMENTS) {
    const schema = schemaOf(department);
    const exists = await pool.query(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'streams'`,
      [schema],
    );
    if (exists.rowCount === 0) {
      console.log(`${department}: no event store in schema ${schema}, skipped`);
      continue;
    }
    const store = new PostgresEventStore({ pool, schema });
    const total = Number((await pool.query(`SELECT count(*) AS n FROM "${schema}".streams`)).rows[0].n);
    const bar = progress(`verify ${department}`, total);
    const { streams: done, broken: brokenStreams } = await verifyAllStreams(store, (n) => bar.update(n));
    const broken = brokenStreams.map((v) => {
      const f = v.firstBroken!;
      return `  ✖ ${v.streamId}: version ${f.streamVersion} (event ${f.eventId}, position ${f.globalPosition}): ${f.reason}`;
    });
    bar.stop();
    console.log(`${department}: ${done} streams, ${broken.length} broken`);
    broken.forEach((b) => console.log(b));
    failures += broken.length;
    if (department === 'oversight') {
      const sealer = new LedgerSealer(pool, schema, undefined, () => new Date());
      const sealsBar = progress('verify ledger seals', (await sealer.list()).length);
      const seals = await sealer.verify((n) => sealsBar.update(n));
      sealsBar.stop();
      console.log(`oversight ledger: ${seals.seals} seals, ${seals.problems.length} problems`);
      seals.problems.forEach((p) => console.log(`  ✖ seal ${p.sealNo}: ${p.problem}`));
      failures += seals.problems.length;
    }
  }
} finally {
  await pool.end();
}
console.log(
  failures === 0
    ? 'audit:verify: every chain and seal checks out'
    : `audit:verify: ${failures} problem(s) found`,
);
process.exit(failures === 0 ? 0 : 1);
