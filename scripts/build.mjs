// Compiles apps/ and libs/ (and bench/) to dist/ with SWC: fast enough to run before every start.
// `@platform/<lib>` imports are rewritten to relative paths so Node's ESM loader needs no alias support.
// Type checking is separate (`npm run typecheck`).
import { transformFile } from '@swc/core';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist');
const sourceRoots = ['apps', 'libs', 'bench'];
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
