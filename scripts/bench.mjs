// npm run bench -- <name> [--quick]   (names: append, replay, case-replay, dashboard, http, referral-e2e, dibao, verification,
// register-lookup, resume, wakeup; `all`)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ALL = [
  'append',
  'replay',
  'case-replay',
  'dashboard',
  'http',
  'referral-e2e',
  'dibao',
  'verification',
  'register-lookup',
  'resume',
  'wakeup',
];
const [name, ...rest] = process.argv.slice(2);
if (!name || (name !== 'all' && !ALL.includes(name))) {
  console.error(`usage: npm run bench -- <${ALL.join('|')}|all> [--quick]`);
  process.exit(2);
}
const env = {
  ...process.env,
  DATABASE_URL: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
};
if (spawnSync('node', ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
let code = 0;
for (const b of name === 'all' ? ALL : [name]) {
  const file = path.join(root, 'dist/bench', `${b}.bench.js`);
  if (!existsSync(file)) {
    console.error(`bench ${b}: not built (${file})`);
    code = 1;
    continue;
  }
  console.log(`\n=== bench ${b} ${rest.join(' ')}`);
  const r = spawnSync(process.execPath, [file, ...rest], { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) code = 1;
}
process.exit(code);
