// npm run personal-data:erase -- --id-number <resident ID> --by <who> --reason <why> [--dry-run] [--no-rebuild]
//
// Forgets a person (PIPL art. 47): deletes the key of every stream whose sealed values name the ID number
// — the household's case, its referrals in every department, the ledger's copy — so those values read
// `（已删除）` everywhere, then rebuilds the read models (which hold personal values in the clear) once the
// running services have stopped trusting their cached keys. Events, hashes, chains and seals are untouched:
// `npm run audit:verify` passes as before. Needs the owner role (DATABASE_OWNER_URL): services may not
// delete keys. docs/personal-data.md says what an erasure leaves.
import { validateResidentId } from '@platform/auth';
import {
  erasePerson,
  keysNaming,
  personalDataCacheMs,
  protectPersonalDataFromEnvironment,
} from '@platform/event-store';
import pg from 'pg';
import { arg, progress } from '../../../oversight/src/cli/progress.js';
import { rebuildReadModels } from './read-models.js';

/** How long a running service trusts a key it has read (PERSONAL_DATA_CACHE_MS, the services' setting). */
const SERVICE_KEY_CACHE_MS = personalDataCacheMs();

const idNumber = arg('id-number')?.trim().toUpperCase();
const by = arg('by')?.trim();
const reason = arg('reason')?.trim();
const problems: string[] = [];
if (!idNumber) problems.push('--id-number：请填写要删除其个人信息的身份证号');
else {
  const checked = validateResidentId(idNumber, new Date());
  if (!checked.valid) problems.push(`--id-number：${checked.reason}`);
}
if (!by) problems.push('--by：请填写执行删除的人员（姓名或账号）');
if (!reason || reason.length < 4)
  problems.push('--reason：请填写删除依据（如申请编号、决定文号），至少4个字');
if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error(
    'usage: npm run personal-data:erase -- --id-number <身份证号> --by <执行人> --reason <删除依据> [--dry-run] [--no-rebuild]',
  );
  process.exit(2);
}
const url = process.env.DATABASE_OWNER_URL || process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_OWNER_URL is required (the owner role: services may not delete keys)');
  process.exit(2);
}

const pool = new pg.Pool({ connectionString: url, max: 4 });
const personalData = protectPersonalDataFromEnvironment(pool, []);
async function erase(): Promise<number> {
  try {
    await personalData.checkMasterKey();
  } catch (e) {
    console.error(`${(e as Error).message}: nothing erased`);
    return 1;
  }
  if (process.argv.includes('--dry-run')) {
    // Each key is a household's case (case:<id>) or one record outside a case: everything sealed with it goes.
    const keys = await keysNaming(pool, personalData, idNumber!);
    console.log(
      `dry run: ${keys.length} key(s) would be erased` + (keys.length ? `\n  ${keys.join('\n  ')}` : ''),
    );
    return 0;
  }
  const result = await erasePerson(pool, personalData, idNumber!, by!, reason!);
  console.log(
    `erasure ${result.erasureId}: ${result.keyIds.length} key(s) erased` +
      (result.keyIds.length ? `\n  ${result.keyIds.join('\n  ')}` : ' (no sealed data names this ID number)'),
  );
  if (process.argv.includes('--no-rebuild')) {
    console.log(
      `read models not rebuilt: run npm run projections:rebuild after ${SERVICE_KEY_CACHE_MS / 1000} s — until then they still show the person's details`,
    );
  } else if (result.keyIds.length > 0) {
    // A running service still opens the erased values with a cached key for this long: a rebuild before it
    // ran out could be refilled in the clear by that service's own projections.
    const seconds = Math.ceil(SERVICE_KEY_CACHE_MS / 1000);
    const bar = progress('waiting for the services to forget the keys', seconds);
    for (let s = 1; s <= seconds; s++) {
      await new Promise((r) => setTimeout(r, Math.min(1000, SERVICE_KEY_CACHE_MS)));
      bar.update(s);
    }
    bar.stop();
    await rebuildReadModels(pool);
  }
  return 0;
}

try {
  process.exitCode = await erase();
} finally {
  await personalData.close();
  await pool.end();
}
