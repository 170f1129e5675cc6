// npm run jurisdictions:import -- --file divisions.csv [--dry-run]
// Adds or renames divisions of the jurisdiction tree from a CSV file (code,name,level,parent_code; the
// format is documented in libs/auth/src/domain/jurisdiction-import.ts and README, "Administration").
// All or nothing; importing the same file again changes nothing; each change is an identity.Jurisdiction*
// event with the operator in metadata. Running services read the tree at start: restart them afterwards.
import { readFileSync } from 'node:fs';
import { CliRefusal, eventMetadata, importJurisdictions, openIdentity } from '@platform/auth';

const USAGE = '用法：npm run jurisdictions:import -- --file <divisions.csv> [--dry-run]';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const fileAt = argv.indexOf('--file');
  const file = fileAt >= 0 ? argv[fileAt + 1] : undefined;
  const unknown = argv.filter(
    (a, i) => a.startsWith('--') && a !== '--file' && a !== '--dry-run' && i !== fileAt + 1,
  );
  if (!file || unknown.length > 0) throw new CliRefusal(USAGE, 2);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliRefusal(`无法读取 ${file}：${(e as Error).message}`, 2);
  }
  const identity = await openIdentity(process.env, (line) => console.error(line));
  try {
    const { actor, metadata } = identity.actor('jurisdictions-import');
    const result = await importJurisdictions({
      pool: identity.pool,
      schema: identity.schema,
      store: identity.store,
      text,
      metadata: { ...eventMetadata(actor, { now: new Date() }), ...metadata },
      dryRun: argv.includes('--dry-run'),
    });
    if (result.problems.length > 0) {
      console.error(`${file} 有 ${result.problems.length} 处问题，未导入任何数据：`);
      for (const p of result.problems) console.error(`  ✖ ${p}`);
      return 1;
    }
    for (const c of result.changes) {
      console.log(
        c.kind === 'added'
          ? `  + ${c.node.code} ${c.node.name}（${c.node.level}）`
          : `  ~ ${c.code} ${c.from.name} → ${c.to.name}`,
      );
    }
    const added = result.changes.filter((c) => c.kind === 'added').length;
    console.log(
      `${argv.includes('--dry-run') ? '（试运行，未写入）' : ''}新增 ${added} 个、修改 ${result.changes.length - added} 个区划，` +
        `${result.unchanged} 个不变。${result.changes.length > 0 && !argv.includes('--dry-run') ? '请重启各服务以加载新的区划。' : ''}`,
    );
    return 0;
  } finally {
    await identity.close();
  }
}

try {
  process.exitCode = await main();
} catch (e) {
  if (e instanceof CliRefusal) {
    console.error(e.message);
    process.exit(e.exitCode);
  }
  if ((e as Error).name === 'IdentityStartError') {
    console.error((e as Error).message);
    process.exit(1);
  }
  throw e;
}
