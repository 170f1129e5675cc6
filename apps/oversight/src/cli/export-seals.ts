// npm run audit:export-seals -- --out <file>
// Appends every department's seals that the file does not hold yet, one JSON line each. The file is the
// auditors' copy outside the database: `npm run audit:verify -- --against <file>` checks the database
// against it. A seal in the file that the database now holds differently stops the export (exit 1).
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { sealsForExport } from '@platform/audit';
import { DEPARTMENTS } from '@platform/contracts';
import pg from 'pg';
import { arg, auditDatabaseUrl, schemaOf } from './progress.js';

const out = arg('out');
if (!out) {
  console.error('用法：npm run audit:export-seals -- --out <文件>');
  process.exit(2);
}
const pool = new pg.Pool({ connectionString: auditDatabaseUrl(), max: 2 });
try {
  const seals = await sealsForExport(
    pool,
    DEPARTMENTS.map((department) => ({ department, schema: schemaOf(department) })),
  );
  const held = new Map<string, string>();
  if (existsSync(out)) {
    for (const line of readFileSync(out, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const s = JSON.parse(line) as { department: string; sealNo: number; sealHash: string };
      held.set(`${s.department}\u0000${s.sealNo}`, s.sealHash);
    }
  }
  const conflicts = seals.filter((s) => {
    const h = held.get(`${s.department}\u0000${s.sealNo}`);
    return h !== undefined && h !== s.sealHash;
  });
  if (conflicts.length > 0) {
    for (const c of conflicts) console.error(`✖ ${c.department} 的第 ${c.sealNo} 号封印与文件中保存的不一致`);
    console.error('未追加任何封印：请先运行 npm run audit:verify -- --against ' + out);
    process.exit(1);
  }
  const fresh = seals.filter((s) => !held.has(`${s.department}\u0000${s.sealNo}`));
  if (fresh.length > 0) appendFileSync(out, fresh.map((s) => JSON.stringify(s)).join('\n') + '\n');
  console.log(`已向 ${out} 追加 ${fresh.length} 个封印（文件中原有 ${held.size} 个）`);
} finally {
  await pool.end();
}
