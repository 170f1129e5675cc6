// npm run audit:verify [-- --against <seals file>] [--json]
// Recomputes every department's hash chains and seals (what each department's GET /<department>/audit/verify
// reports), then what needs several departments: each seal against the copies other departments keep, and
// oversight's ledger against every department's store. Exits 1 and names each problem when anything is wrong.
import { readFileSync } from 'node:fs';
import {
  compareLedgerWithSources,
  comparePeerSeals,
  compareWithExport,
  loadSealKeys,
  sealsForExport,
  verifyDepartment,
  type CrossProblem,
  type SchemaOf,
} from '@platform/audit';
import { DEPARTMENTS, platformContracts, PUBLISHING_DEPARTMENTS } from '@platform/contracts';
import pg from 'pg';
import { arg, auditDatabaseUrl, progress, schemaOf } from './progress.js';

const contracts = platformContracts();
const keys = loadSealKeys({
  privateKeyPem: process.env.SEAL_PRIVATE_KEY ?? process.env.OVERSIGHT_SEAL_PRIVATE_KEY,
  keyId: process.env.SEAL_KEY_ID,
  trustedKeysJson: process.env.SEAL_TRUSTED_KEYS,
  trustedKeysFile: process.env.SEAL_TRUSTED_KEYS_FILE,
  // A development install signs with the key in its data folder; the verifier reads it, never creates it.
  dataDir: process.env.NODE_ENV === 'production' ? undefined : (process.env.DATA_DIR ?? './.data'),
  createInDataDir: false,
});
const against = arg('against');
const asJson = process.argv.includes('--json');
const pool = new pg.Pool({ connectionString: auditDatabaseUrl(), max: 4 });
const say = (line: string) => {
  if (!asJson) console.log(line);
};
let failures = 0;
const report: Record<string, unknown> = {};
try {
  if (keys.trusted.length === 0) {
    say('⚠ 未配置受信任的封印公钥（SEAL_TRUSTED_KEYS）：每个封印都将报告为“签名密钥不受信任”');
  }
  const present: SchemaOf[] = [];
  for (const department of DEPARTMENTS) {
    const schema = schemaOf(department);
    const exists = await pool.query(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'streams'`,
      [schema],
    );
    if (exists.rowCount === 0) {
      say(`${department}: schema ${schema} 中没有事件库，跳过`);
      continue;
    }
    present.push({ department, schema });
    const total = Number((await pool.query(`SELECT count(*) AS n FROM "${schema}".streams`)).rows[0].n);
    const bar = progress(`校验 ${department} 的哈希链`, total);
    let sealBar: ReturnType<typeof progress> | null = null;
    const v = await verifyDepartment({
      pool,
      schema,
      department,
      keys,
      onStream: (n) => bar.update(n),
      onSeal: (done, all) => {
        sealBar ??= progress(`校验 ${department} 的封印`, all);
        sealBar.update(done);
      },
    });
    bar.stop();
    (sealBar as ReturnType<typeof progress> | null)?.stop();
    report[department] = v;
    say(
      `${department}: ${v.streams} 条流，${v.broken.length} 条断链；${v.seals.seals} 个封印，${v.seals.problems.length} 个问题` +
        (v.seals.superseded.length ? `，${v.seals.superseded.length} 个已被纠正封印取代` : '') +
        `；${v.seals.unsealed} 条记录尚未封存`,
    );
    for (const b of v.broken) {
      const f = b.firstBroken!;
      say(
        `  ✖ ${b.streamId}: 第 ${f.streamVersion} 版（事件 ${f.eventId}，位置 ${f.globalPosition}）：${f.reason}`,
      );
    }
    for (const p of v.seals.problems) say(`  ✖ ${department} 封印 ${p.sealNo}: ${p.problem}`);
    for (const s of v.seals.superseded)
      say(`  ↺ ${department} 封印 ${s.sealNo} 已被纠正封印 ${s.by} 取代：${s.reason}`);
    failures += v.broken.length + v.seals.problems.length;
  }

  const cross: CrossProblem[] = [];
  cross.push(...(await comparePeerSeals(pool, present)));
  const ledger = present.find((p) => p.department === 'oversight');
  if (ledger) {
    cross.push(
      ...(await compareLedgerWithSources(
        pool,
        ledger,
        present.filter((p) => (PUBLISHING_DEPARTMENTS as readonly string[]).includes(p.department)),
        (department) =>
          contracts
            .list()
            .filter((c) => c.department === department)
            .map((c) => c.type),
      )),
    );
  }
  if (against) {
    const lines = readFileSync(against, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as { department: string; sealNo: number; sealHash: string });
    cross.push(...compareWithExport(lines, await sealsForExport(pool, present)));
    say(`审计文件 ${against}：${lines.length} 个封印已比对`);
  }
  say(`跨部门核对：${cross.length} 个问题`);
  for (const c of cross) say(`  ✖ ${c.problem}`);
  report.crossChecks = cross;
  failures += cross.length;
} finally {
  await pool.end();
}
if (asJson) console.log(JSON.stringify({ ok: failures === 0, problems: failures, ...report }, null, 2));
say(failures === 0 ? 'audit:verify: 全部哈希链与封印校验通过' : `audit:verify: 发现 ${failures} 个问题`);
process.exit(failures === 0 ? 0 : 1);
