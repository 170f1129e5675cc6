// docker-compose.yml checked without Docker (none on the CI machines): its services' environments against the
// configuration schema in production, health checks, ports, images' Node version, the Kafka port, the
// variables .env.example must list, and the web service's routes against the services' controllers.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
// The domain file alone: the package's index loads NestJS modules jest cannot require here.
import { passwordProblem } from '../libs/auth/src/domain/password-policy.js';
import { loadConfig } from '@platform/config';
import { parse } from 'yaml';

const ROOT = process.cwd();
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

type Env = Record<string, string>;
interface Service {
  image?: string;
  command?: string[] | string;
  entrypoint?: string[] | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | number)[];
  volumes?: string[];
  healthcheck?: { test?: string[] | string };
  restart?: string;
  profiles?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/** .env as compose reads it: KEY=value, `#` comments, double-quoted values over several lines. */
function parseDotenv(text: string): Env {
  const env: Env = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1]!;
    let value = m[2]!.trim();
    if (value.startsWith('"')) {
      value = value.slice(1);
      while (!value.endsWith('"') && i + 1 < lines.length) value += `\n${lines[++i]!}`;
      value = value.slice(0, -1).replace(/\\n/g, '\n');
    } else if (value.startsWith("'")) {
      value = value.slice(1, value.lastIndexOf("'"));
    } else {
      value = value.replace(/\s+#.*$/, '');
    }
    env[key] = value;
  }
  return env;
}

/** Compose's interpolation: ${VAR}, ${VAR:?msg}, ${VAR?msg}, ${VAR:-default}, ${VAR-default}, $$. */
function interpolate(value: string, env: Env, used: Set<string>, missing: Set<string>): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[?-])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (all, braced?: string, op?: string, arg?: string, bare?: string) => {
      if (all === '$$') return '$';
      const name = (braced ?? bare)!;
      used.add(name);
      const v = env[name];
      const unset = v === undefined || (op?.startsWith(':') === true && v === '');
      if (!unset) return v;
      if (op?.endsWith('-')) return arg ?? '';
      missing.add(name);
      return '';
    },
  );
}

function interpolateAll<T>(node: T, env: Env, used: Set<string>, missing: Set<string>): T {
  if (typeof node === 'string') return interpolate(node, env, used, missing) as T;
  if (Array.isArray(node)) return node.map((n: unknown) => interpolateAll(n, env, used, missing)) as T;
  if (node && typeof node === 'object') {
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [k, interpolateAll(v, env, used, missing)]),
    ) as T;
  }
  return node;
}

function loadCompose(text: string, env: Env) {
  const raw = parse(text, { merge: true }) as Compose;
  const used = new Set<string>();
  const missing = new Set<string>();
  const compose = interpolateAll(raw, env, used, missing);
  return { compose, used, missing };
}

function environmentOf(service: Service): Env {
  const e = service.environment ?? {};
  if (Array.isArray(e)) {
    return Object.fromEntries(
      e.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as const),
    );
  }
  return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, v == null ? '' : String(v)]));
}

const words = (c: string[] | string | undefined) => (c === undefined ? [] : typeof c === 'string' ? [c] : c);

/** The department services: those that run an app's main.js. */
function appServices(compose: Compose): [string, Service][] {
  return Object.entries(compose.services).filter(([, s]) =>
    words(s.command).some((w) => /^dist\/apps\/[a-z-]+\/src\/main\.js$/.test(w)),
  );
}

/** What `docker compose up` (no profile) starts and keeps running. */
function longRunning(compose: Compose): [string, Service][] {
  return Object.entries(compose.services).filter(
    ([name, s]) => !s.profiles?.length && name !== 'build' && s.restart !== 'no',
  );
}

/** Problems loadConfig reports for each department service's environment, NODE_ENV=production. */
function configProblems(compose: Compose): string[] {
  const problems: string[] = [];
  for (const [name, s] of appServices(compose)) {
    const env = environmentOf(s);
    if (env.NODE_ENV !== 'production') problems.push(`${name}: NODE_ENV is ${env.NODE_ENV}, not production`);
    try {
      loadConfig({ ...env, NODE_ENV: 'production' }, { requireDatabaseUrl: true });
    } catch (e) {
      problems.push(`${name}: ${(e as Error).message}`);
    }
  }
  return problems;
}

function hostPort(p: string | number): { ip: string; host: string; container: string } {
  const parts = String(p).split('/')[0]!.split(':');
  const container = parts.pop()!;
  const host = parts.pop() ?? '';
  return { ip: parts.join(':'), host, container };
}

const HEALTH_PATHS = [
  ...read('libs/config/src/runtime/health.controller.ts').matchAll(/@Get\('([^']*)'\)/g),
].map((m) => `/${m[1]}`);

const NGINX_CONF = 'infra/nginx/default.conf';

interface Location {
  kind: '=' | '^~' | '' | '~';
  path: string;
  body: string;
}

function nginxLocations(conf: string): Location[] {
  return [...conf.matchAll(/location\s+(=|\^~|~\*?)?\s*(\S+)\s*\{([^}]*)\}/g)].map((m) => ({
    kind: (m[1]?.startsWith('~') ? '~' : (m[1] ?? '')) as Location['kind'],
    path: m[2]!,
    body: m[3]!,
  }));
}

/** nginx's choice: an exact match, else the longest prefix unless a regex (in order) matches and ^~ is absent. */
function route(locations: Location[], uri: string): Location | undefined {
  const exact = locations.find((l) => l.kind === '=' && l.path === uri);
  if (exact) return exact;
  const prefix = locations
    .filter((l) => (l.kind === '' || l.kind === '^~') && uri.startsWith(l.path))
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (prefix?.kind === '^~') return prefix;
  return locations.find((l) => l.kind === '~' && new RegExp(l.path).test(uri)) ?? prefix;
}

function upstreamOf(conf: string, location: Location | undefined): string | undefined {
  const target = /proxy_pass\s+http:\/\/([\w-]+)/.exec(location?.body ?? '')?.[1];
  if (!target) return undefined;
  const server = new RegExp(`upstream\\s+${target}\\s*\\{\\s*server\\s+([\\w-]+):`).exec(conf)?.[1];
  return server ?? target;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (entry.endsWith('.ts') && !entry.endsWith('.spec.ts')) out.push(full);
  }
  return out;
}

/** Every route of the apps' controllers, e.g. `/cases/x/timeline` served by oversight. */
function appRoutes(): { app: string; uri: string }[] {
  const routes: { app: string; uri: string }[] = [];
  for (const app of readdirSync(path.join(ROOT, 'apps'))) {
    if (app === 'platform' || app === 'web' || !existsSync(path.join(ROOT, 'apps', app, 'src'))) continue;
    for (const file of sourceFiles(path.join(ROOT, 'apps', app, 'src'))) {
      let prefix: string | undefined;
      for (const m of readFileSync(file, 'utf8').matchAll(
        /@(Controller|Get|Post|Put|Patch|Delete)\((?:'([^']*)')?\)/g,
      )) {
        if (m[1] === 'Controller') {
          prefix = m[2];
          continue;
        }
        if (prefix === undefined) continue;
        const uri = `/${[prefix, m[2] ?? ''].filter(Boolean).join('/')}`.replace(/:\w+/g, 'x');
        routes.push({ app, uri });
      }
    }
  }
  return routes;
}

function nodeMajorAllowed(engines: string, major: number): boolean {
  return engines.split('||').some((range) => {
    const r = range.trim();
    const m = /^(>=|\^|~)?\s*v?(\d+)(?:\.(\d+))?/.exec(r);
    if (!m) return false;
    const want = Number(m[2]);
    return m[1] === '>=' ? major >= want : major === want;
  });
}

describe('docker-compose.yml', () => {
  const example = parseDotenv(read('.env.example'));
  const text = read('docker-compose.yml');
  const { compose, used, missing } = loadCompose(text, example);

  it('uses only variables that .env.example lists (with an example value)', () => {
    expect([...missing]).toEqual([]);
    expect([...used].filter((v) => !(v in example))).toEqual([]);
    expect(used.size).toBeGreaterThan(0);
  });

  it('requires the secrets from .env: no default for any of them', () => {
    for (const secret of [
      'JWT_SECRET',
      'SEAL_PRIVATE_KEY',
      'PERSONAL_DATA_KEY',
      'POSTGRES_PASSWORD',
      'ADMIN_PASSWORD',
    ]) {
      expect(text).toMatch(new RegExp(`\\$\\{${secret}:\\?`));
      expect(text).not.toMatch(new RegExp(`\\$\\{${secret}:?-`));
    }
  });

  it('gives every department service an environment that loadConfig accepts in production', () => {
    const apps = appServices(compose).map(([name]) => name);
    expect(apps.sort()).toEqual(['civil-affairs', 'education', 'health', 'housing', 'intake', 'oversight']);
    expect(configProblems(compose)).toEqual([]);
  });

  it('fails when a service would be refused: JWT_SECRET, SEAL_PRIVATE_KEY or DATABASE_URL missing', () => {
    for (const drop of ['JWT_SECRET', 'SEAL_PRIVATE_KEY', 'DATABASE_URL']) {
      const broken = structuredClone(compose);
      delete (broken.services.health!.environment as Record<string, unknown>)[drop];
      expect(configProblems(broken).join('\n')).toContain(`health: Invalid configuration`);
      expect(configProblems(broken).join('\n')).toContain(drop);
    }
    // And a compose file without the variable in .env.example fails the variables' check.
    const { missing: gone } = loadCompose(text, { ...example, JWT_SECRET: '' });
    expect([...gone]).toContain('JWT_SECRET');
  });

  it('connects each service as its own role, not the owner; the init script creates those roles', () => {
    const roles = read('infra/postgres/compose-roles.sh');
    const owners = new Set<string>();
    for (const [name, s] of appServices(compose)) {
      const env = environmentOf(s);
      const service = new URL(env.DATABASE_URL!);
      const owner = new URL(env.DATABASE_OWNER_URL!);
      owners.add(owner.username);
      expect(service.username).toBe(`${name.replace(/-/g, '_')}_service`);
      expect(service.username).not.toBe(owner.username);
      expect(roles).toContain(`CREATE ROLE ${service.username} LOGIN`);
    }
    expect([...owners]).toEqual([compose.services.postgres!.environment!['POSTGRES_USER' as never]]);
    expect(roles).toContain('CREATE ROLE platform_auditor LOGIN');
    expect(compose.services.postgres!.volumes).toContain(
      './infra/postgres/compose-roles.sh:/docker-entrypoint-initdb.d/10-service-roles.sh:ro',
    );
  });

  it('creates the first administrator from .env, with a password the rules accept', () => {
    const boot = compose.services['admin-bootstrap']!;
    expect(boot.profiles ?? []).toEqual([]);
    expect(words(boot.command)).toEqual(['sh', 'infra/compose/admin-bootstrap.sh']);
    const env = environmentOf(boot);
    expect(env.NODE_ENV).toBe('production');
    for (const k of [
      'ADMIN_USERNAME',
      'ADMIN_NAME',
      'ADMIN_PASSWORD',
      'DATABASE_URL',
      'DATABASE_OWNER_URL',
    ]) {
      expect(env[k]).toBeTruthy();
    }
    expect(passwordProblem(env.ADMIN_PASSWORD!, env.ADMIN_USERNAME!)).toBeNull();
    expect(read('infra/compose/admin-bootstrap.sh')).toContain('--must-change-password');
    expect(existsSync(path.join(ROOT, 'apps/platform/src/cli/admin-create.ts'))).toBe(true);
  });

  it('health-checks every long-running service, the department services on /health and /ready', () => {
    expect(HEALTH_PATHS.sort()).toEqual(['/health', '/ready']);
    for (const [name, s] of longRunning(compose)) {
      expect([name, s.healthcheck?.test]).toEqual([name, expect.anything()]);
    }
    for (const [name, s] of appServices(compose)) {
      const test = words(s.healthcheck?.test).join(' ');
      const paths = new Set([
        ...[...test.matchAll(/'(\/[\w/-]*)'/g)].map((m) => m[1]!),
        ...[...test.matchAll(/https?:\/\/[^/'"\s]+(\/[\w/-]*)/g)].map((m) => m[1]!),
      ]);
      expect([name, [...paths].sort()]).toEqual([name, ['/health', '/ready']]);
      for (const p of paths) expect(HEALTH_PATHS).toContain(p);
      expect(test).toContain(`:${environmentOf(s).PORT}`);
    }
  });

  it('restarts every long-running service and keeps PostgreSQL and Kafka data in volumes', () => {
    for (const [name, s] of longRunning(compose)) expect([name, s.restart]).toEqual([name, 'unless-stopped']);
    expect(compose.services.postgres!.volumes).toContain('pgdata:/var/lib/postgresql/data');
    expect(compose.services.kafka!.volumes).toContain('kafkadata:/var/lib/kafka/data');
    expect(environmentOf(compose.services.kafka!).KAFKA_LOG_DIRS).toBe('/var/lib/kafka/data');
    expect(Object.keys(compose.volumes ?? {})).toEqual(expect.arrayContaining(['pgdata', 'kafkadata']));
  });

  it('publishes each host port once, the department services on the host only, and never Kafka', () => {
    const published = Object.entries(compose.services).flatMap(([name, s]) =>
      (s.ports ?? []).map((p) => ({ name, ...hostPort(p) })),
    );
    const hosts = published.map((p) => p.host);
    expect(hosts.filter((h, i) => hosts.indexOf(h) !== i)).toEqual([]);
    expect(compose.services.kafka!.ports ?? []).toEqual([]);
    const kafkaPorts = ['9092', '9093'];
    expect(published.filter((p) => kafkaPorts.includes(p.host) || kafkaPorts.includes(p.container))).toEqual(
      [],
    );
    for (const [name, s] of appServices(compose)) {
      for (const p of s.ports ?? []) expect([name, hostPort(p).ip]).toEqual([name, '127.0.0.1']);
    }
  });

  it("runs the Node images on a version package.json's engines allows", () => {
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    const images = Object.entries(compose.services).filter(([, s]) => s.image?.startsWith('node:'));
    expect(images.length).toBeGreaterThan(0);
    for (const [name, s] of images) {
      const major = Number(/^node:(\d+)/.exec(s.image!)?.[1]);
      expect([name, s.image, nodeMajorAllowed(engines, major)]).toEqual([name, s.image, true]);
    }
  });

  describe('web', () => {
    const conf = read(NGINX_CONF);
    const locations = nginxLocations(conf);
    const web = compose.services.web!;

    it('serves dist/web with infra/nginx/default.conf, health-checked on the UI', () => {
      expect(web.volumes).toEqual(
        expect.arrayContaining([
          './dist/web:/usr/share/nginx/html:ro',
          `./${NGINX_CONF}:/etc/nginx/conf.d/default.conf:ro`,
        ]),
      );
      const listen = /listen\s+(\d+)/.exec(conf)?.[1];
      expect((web.ports ?? []).map((p) => hostPort(p).container)).toEqual([listen]);
      const url = /https?:\/\/[^/'"\s]+:(\d+)(\/[^'"\s]*)/.exec(words(web.healthcheck?.test).join(' '));
      expect(url?.[1]).toBe(listen);
      expect(route(locations, url![2]!)?.body).toMatch(/try_files .*index\.html/);
      for (const uri of ['/login', '/workbench/cases', '/progress', '/assets/index.js']) {
        expect([uri, route(locations, uri)?.body]).toEqual([uri, expect.stringContaining('try_files')]);
      }
    });

    it('routes every route of the services to the service that serves it', () => {
      const routes = appRoutes();
      expect(routes.length).toBeGreaterThan(20);
      const wrong = routes
        .map((r) => ({ ...r, to: upstreamOf(conf, route(locations, r.uri)) }))
        .filter((r) => r.to !== r.app);
      expect(wrong).toEqual([]);
    });

    it('routes the identity paths every service serves (login, users, policy) to one of them', () => {
      const apps = appServices(compose).map(([name]) => name);
      // libs' controllers under each department's own prefix (`${department}/audit`, `/referrals`).
      for (const app of apps) {
        for (const uri of [`/${app}/audit/verify`, `/${app}/referrals/x`]) {
          expect([uri, upstreamOf(conf, route(locations, uri))]).toEqual([uri, app]);
        }
      }
      for (const uri of [
        '/auth/login',
        '/auth/me',
        '/admin/users',
        '/admin/jurisdictions',
        '/admin/policy',
      ]) {
        expect([uri, apps.includes(upstreamOf(conf, route(locations, uri)) ?? '')]).toEqual([uri, true]);
      }
    });
  });
});
