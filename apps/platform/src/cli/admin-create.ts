// npm run admin:create -- --username admin --name 张三 [--jurisdiction 150800000000] [--password-file F]
//                         [--must-change-password]
// Creates a system administrator (the first one of a fresh production database, or another one) on the
// same command path as POST /admin/users: an identity.UserCreated event and the users row, in one
// transaction. The password is asked for on the terminal (twice, not echoed) or read from a file
// (`-` for standard input); it must satisfy the password rules. Needs DATABASE_URL (and
// DATABASE_OWNER_URL, DATABASE_SCHEMA_PREFIX as the services have them). README, "Administration".
import { readFileSync } from 'node:fs';
import {
  CliRefusal,
  isCityAdmin,
  openIdentity,
  passwordProblem,
  ROLE_NAMES_ZH,
  UserAdministration,
} from '@platform/auth';
import { DomainError } from '@platform/contracts';

const USAGE =
  '用法：npm run admin:create -- --username <用户名> --name <姓名> [--jurisdiction <12位区划代码，默认为市>] ' +
  '[--password-file <文件，- 为标准输入>] [--must-change-password]';

function args(argv: string[]): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new CliRefusal(`无法识别的参数“${a}”\n${USAGE}`, 2);
    const eq = a.indexOf('=');
    if (eq > 0) out[a.slice(2, eq)] = a.slice(eq + 1);
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) out[a.slice(2)] = argv[++i]!;
    else out[a.slice(2)] = true;
  }
  const known = new Set([
    'username',
    'name',
    'jurisdiction',
    'password-file',
    'must-change-password',
    'help',
  ]);
  for (const k of Object.keys(out)) if (!known.has(k)) throw new CliRefusal(`未知选项 --${k}\n${USAGE}`, 2);
  return out;
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (error?: Error) => {
      stdin.removeListener('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new CliRefusal('已取消', 130));
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function readPassword(file: string | true | undefined): Promise<string> {
  if (typeof file === 'string') {
    let text: string;
    try {
      text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
    } catch (e) {
      throw new CliRefusal(`无法读取密码文件 ${file}：${(e as Error).message}`, 2);
    }
    // One line: the first, without its line end.
    return text.split(/\r?\n/)[0] ?? '';
  }
  if (file === true) throw new CliRefusal(`--password-file 需要文件名\n${USAGE}`, 2);
  if (!process.stdin.isTTY) {
    throw new CliRefusal('没有终端可以输入密码：请用 --password-file <文件>（或 - 表示标准输入）', 2);
  }
  const first = await promptHidden('密码（不回显）：');
  const again = await promptHidden('再次输入密码：');
  if (first !== again) throw new CliRefusal('两次输入的密码不一致，未作更改');
  return first;
}

async function main(): Promise<void> {
  const a = args(process.argv.slice(2));
  if (a.help) {
    console.log(USAGE);
    return;
  }
  const username = typeof a.username === 'string' ? a.username : '';
  const name = typeof a.name === 'string' ? a.name.trim() : '';
  if (!username || !name) throw new CliRefusal(USAGE, 2);
  if (!/^[a-z0-9][a-z0-9._-]{2,49}$/.test(username)) {
    throw new CliRefusal(
      '--username：用户名应为3至50位小写字母、数字、点、下划线或连字符，以字母或数字开头',
      2,
    );
  }
  if ([...name].length > 50) throw new CliRefusal('--name：姓名不能超过50个字符', 2);
  const password = await readPassword(a['password-file']);
  const problem = passwordProblem(password, username);
  if (problem) throw new CliRefusal(`密码不符合要求：${problem.message}，未作更改`);

  const identity = await openIdentity(process.env, (line) => console.error(line));
  try {
    const existing = await identity.pool.query<{
      name: string;
      role: string;
      jurisdiction: string;
      active: boolean;
    }>(`SELECT name, role, jurisdiction, active FROM "${identity.schema}".users WHERE username = $1`, [
      username,
    ]);
    const found = existing.rows[0];
    if (found) {
      throw new CliRefusal(
        `用户名 ${username} 已存在（${found.name}，${ROLE_NAMES_ZH[found.role as keyof typeof ROLE_NAMES_ZH] ?? found.role}，` +
          `${identity.tree.fullName(found.jurisdiction)}，${found.active ? '在用' : '已停用'}），未作更改。` +
          '要重置其密码请由管理员在 /admin/users 办理。',
      );
    }
    const cities = identity.tree.list('city');
    const jurisdiction = typeof a.jurisdiction === 'string' ? a.jurisdiction : cities[0]?.code;
    if (!jurisdiction) throw new CliRefusal('区划树中没有市一级：请用 --jurisdiction 指定', 2);
    const { actor, metadata } = identity.actor('admin-create');
    const admin = new UserAdministration({
      pool: identity.pool,
      store: identity.store,
      schema: identity.schema,
      tree: () => identity.tree,
      now: () => new Date(),
    });
    const user = await admin.create(
      actor,
      { username, name, role: 'admin', department: 'platform', jurisdiction, password },
      { origin: 'cli', mustChangePassword: a['must-change-password'] === true, metadata },
    );
    const level = identity.tree.get(user.jurisdiction)!.level;
    console.log(
      `已创建${isCityAdmin({ role: 'admin', jurisdictionLevel: level }) ? '市级' : '旗县区'}系统管理员 ${user.username}` +
        `（${user.name}，${identity.tree.fullName(user.jurisdiction)}，id ${user.id}）。` +
        `\n登录：POST /auth/login {"username":"${user.username}","password":"…"}；用户管理：/admin/users（见 /docs）。`,
    );
  } finally {
    await identity.close();
  }
}

try {
  await main();
} catch (e) {
  if (e instanceof CliRefusal) {
    console.error(e.message);
    process.exit(e.exitCode);
  }
  if (e instanceof DomainError) {
    console.error(`${e.message}，未作更改`);
    process.exit(1);
  }
  if ((e as Error).name === 'IdentityStartError') {
    console.error((e as Error).message);
    process.exit(1);
  }
  throw e;
}
