// Compiles apps/ and libs/ (and bench/) to dist/ with SWC: fast enough to run before every start.
// `@platform/<lib>` imports are rewritten to relative paths so Node's ESM loader needs no alias support.
// Type checking is separate (`npm run typecheck`). The browser UI (apps/web) is not Node code: Vite
// bundles it into dist/web, again only when a source changed (`--no-web` skips it).
import { transformFile } from '@swc/core';
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist');
const sourceRoots = ['apps', 'libs', 'bench'];
const webRoot = path.join(root, 'apps', 'web');
const swcrc = JSON.parse(await readFile(path.join(root, '.swcrc'), 'utf8'));

async function* walk(dir) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name === 'results') continue;
      if (full === webRoot) continue;
      yield* walk(full);
    } else if (
      entry.name.endsWith('.ts') &&
      !entry.name.endsWith('.spec.ts') &&
      !entry.name.endsWith('.d.ts')
    ) {
      yield full;
    }
  }
}

function rewriteAliases(code, outFile) {
  return code.replace(
    /(from\s+|import\s*\(\s*|import\s+)(['"])@platform\/([a-z0-9-]+)\2/g,
    (_m, lead, q, lib) => {
      const target = path.join(outDir, 'libs', lib, 'src', 'index.js');
      let rel = path.relative(path.dirname(outFile), target).split(path.sep).join('/');
      if (!rel.startsWith('.')) rel = `./${rel}`;
      return `${lead}${q}${rel}${q}`;
    },
  );
}

const started = Date.now();
let compiled = 0;
let skipped = 0;
const jobs = [];
for (const dirName of sourceRoots) {
  for await (const file of walk(path.join(root, dirName))) {
    const rel = path.relative(root, file);
    const outFile = path.join(outDir, rel.replace(/\.ts$/, '.js'));
    jobs.push(
      (async () => {
        const [src, out] = await Promise.all([stat(file), stat(outFile).catch(() => null)]);
        if (out && out.mtimeMs >= src.mtimeMs) {
          skipped++;
          return;
        }
        const result = await transformFile(file, { ...swcrc, swcrc: false, filename: file });
        await mkdir(path.dirname(outFile), { recursive: true });
        await writeFile(outFile, rewriteAliases(result.code, outFile));
        compiled++;
      })(),
    );
  }
}
await Promise.all(jobs);
await writeFile(path.join(outDir, 'package.json'), JSON.stringify({ type: 'module' }));
console.error(`build: ${compiled} compiled, ${skipped} up to date in ${Date.now() - started} ms`);

// The web UI: rebuilt when anything under apps/web (or the lockfile) is newer than dist/web/index.html.
async function newestMtime(dir) {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const full = path.join(dir, entry.name);
    if (entry.name === 'node_modules') continue;
    const t = entry.isDirectory() ? await newestMtime(full) : (await stat(full)).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}
if (!process.argv.includes('--no-web')) {
  const webIndex = path.join(outDir, 'web', 'index.html');
  const built = (await stat(webIndex).catch(() => null))?.mtimeMs ?? 0;
  const sources = Math.max(
    await newestMtime(webRoot),
    (await stat(path.join(root, 'package-lock.json')).catch(() => null))?.mtimeMs ?? 0,
  );
  if (sources > built) {
    const t = Date.now();
    const r = spawnSync(
      process.execPath,
      [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
      { cwd: webRoot, stdio: 'inherit' },
    );
    if (r.status !== 0) {
      console.error('build: web UI (vite build apps/web) failed');
      process.exit(1);
    }
    console.error(`build: web UI → dist/web in ${Date.now() - t} ms`);
  } else {
    console.error('build: web UI up to date');
  }
}
