import { requireDatabaseUrl, uniqueName } from '@platform/testing';
import { mkdirSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { Api, startService, type RunningService } from './harness.js';

interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  allOf?: Schema[];
}
interface Operation {
  parameters?: Array<{ name: string; in: string; schema?: Schema }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** Whose token each part of the API is tried with: the role that passes its guard, so validation is reached. */
const USER_BY_PREFIX: Array<[RegExp, string]> = [
  [/^\/admin\//, 'admin'],
  [/^\/health\//, 'linhe.health'],
  [/^\/housing\//, 'linhe.housing'],
  [/^\/education\//, 'linhe.education'],
  [/^\/civil-affairs\//, 'linhe.civil'],
  [/^\/oversight\//, 'city.auditor'],
  [/^\/government/, 'linhe.government'],
  [/^\/village/, 'jinbu.village'],
];

const INJECTION = `'; DROP TABLE events; --<script>alert(1)</script>{{7*7}}\${7*7}`;

/**
 * The bad-input corpus: every change and every list in the OpenAPI document, sent what a careless or
 * hostile client sends — malformed JSON, a body that is no object, wrong types, unknown fields, NUL
 * bytes, injection strings, oversized text, ids that are no ids, page numbers past any list. Each must
 * answer a 4xx as JSON with a message (never a 5xx), and nothing may be recorded.
 */
describe('bad input over every endpoint of the OpenAPI document', () => {
  const prefix = uniqueName('badinput');
  let platform: RunningService;
  let pool: pg.Pool;
  const tokens = new Map<string, string>();
  let doc: OpenApi;

  beforeAll(async () => {
    platform = await startService('platform', {
      DATABASE_URL: requireDatabaseUrl(),
      DATABASE_SCHEMA_PREFIX: prefix,
      JWT_SECRET: 'e2e-secret-that-is-long-enough-for-hs256-0123456789',
      TRANSPORT: 'event-log',
      KAFKA_BROKERS: '',
      DATABASE_POOL_SIZE: '6',
      DOCS_ENABLED: 'true',
      // The corpus sends hundreds of anonymous requests from one address.
      PUBLIC_RATE_LIMIT_PER_MINUTE: '100000',
    });
    const api = new Api(platform.url);
    for (const user of ['shuanghe.window', ...new Set(USER_BY_PREFIX.map(([, u]) => u))]) {
      tokens.set(user, await api.login(user));
    }
    doc = (await (await fetch(`${platform.url}/docs-json`)).json()) as OpenApi;
    pool = new pg.Pool({ connectionString: requireDatabaseUrl(), max: 2 });
  }, 150_000);

  afterAll(async () => {
    await platform?.stop();
    await pool?.end();
  });

  /** Every event of every log of this platform. */
  const eventCount = async () => {
    const { rows } = await pool.query<{ schema: string }>(
      `SELECT table_schema AS schema FROM information_schema.tables
        WHERE table_name = 'events' AND table_schema LIKE $1`,
      [`${prefix}%`],
    );
    let n = 0;
    for (const { schema } of rows) {
      n += Number((await pool.query(`SELECT count(*) AS n FROM "${schema}".events`)).rows[0].n);
    }
    return n;
  };

  const resolve = (schema: Schema | undefined): Schema | undefined => {
    if (!schema) return undefined;
    if (schema.$ref) return resolve(doc.components?.schemas?.[schema.$ref.split('/').pop()!]);
    if (schema.allOf?.length === 1) return resolve(schema.allOf[0]);
    return schema;
  };

  /** A value of the wrong type for a property of this schema. */
  const wrong = (schema: Schema | undefined): unknown => {
    const s = resolve(schema);
    if (s?.enum) return '不存在的选项';
    switch (s?.type) {
      case 'string':
        return 12345;
      case 'number':
      case 'integer':
        return '一百';
      case 'boolean':
        return 'yes';
      case 'array':
        return { not: 'an array' };
      case 'object':
        return 'not an object';
      default:
        return [[[]]];
    }
  };

  /** Requests that are wrong whatever the endpoint: [label, raw body]. */
  const bodies = (schema: Schema | undefined): Array<[string, string]> => {
    const s = resolve(schema);
    const out: Array<[string, string]> = [
      ['malformed JSON', '{"a": '],
      ['an array', '[]'],
      ['a string', '"x"'],
      ['a number', '1'],
      ['null', 'null'],
    ];
    if (s?.required?.length) out.push(['no fields', '{}']);
    for (const [name, prop] of Object.entries(s?.properties ?? {})) {
      const p = resolve(prop);
      out.push([`${name}: wrong type`, JSON.stringify({ [name]: wrong(prop) })]);
      if (p?.type === 'string' && s?.required?.length) {
        out.push([`${name}: NUL byte`, JSON.stringify({ [name]: 'a\u0000b' })]);
        out.push([`${name}: injection`, JSON.stringify({ [name]: INJECTION })]);
        out.push([`${name}: 100,000 characters`, JSON.stringify({ [name]: '长'.repeat(100_000) })]);
      }
    }
    out.push(['an unknown field only', JSON.stringify({ zzzUnknown: INJECTION })]);
    return out;
  };

  const userFor = (path: string) => USER_BY_PREFIX.find(([re]) => re.test(path))?.[1] ?? 'shuanghe.window';

  /** The path with every parameter replaced: a UUID no record has, or something that is no id at all. */
  const fill = (path: string, value: (name: string) => string) =>
    path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(value(name)));

  it('answers every change with a 4xx in JSON, never a 5xx, and records nothing', async () => {
    const before = await eventCount();
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let sent = 0;
    const changes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([method]) => ['post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
    );
    expect(changes.length).toBeGreaterThan(50);
    for (const { path, method, op } of changes) {
      // /auth/login and the password change answer 401/422 for any of these, by design; the logout
      // would end the corpus's own session.
      if (path === '/auth/logout') continue;
      const token = tokens.get(userFor(path))!;
      const schema = op.requestBody?.content?.['application/json']?.schema;
      // A change that takes no body and names no record (e.g. "seal now") has nothing to get wrong.
      if (!schema && !path.includes('{')) continue;
      const targets = [
        fill(path, () => '0190d4a8-0000-7000-8000-000000000000'),
        ...(path.includes('{') ? [fill(path, () => "1' OR '1'='1\u0000")] : []),
      ];
      for (const target of targets) {
        for (const [label, body] of bodies(schema)) {
          sent++;
          const r = await fetch(`${platform.url}${target}`, {
            method,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body,
          });
          const text = await r.text();
          let parsed: { message?: unknown } | null = null;
          try {
            parsed = JSON.parse(text) as { message?: unknown };
          } catch {
            // reported below
          }
          const ok =
            r.status >= 400 &&
            r.status < 500 &&
            (r.headers.get('content-type') ?? '').includes('application/json') &&
            parsed !== null &&
            typeof parsed.message === 'string' &&
            parsed.message.length > 0;
          if (!ok) failures.push(`${method} ${target} — ${label}: ${r.status} ${text.slice(0, 200)}`);
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(500);
    // Most requests reached the validation of their body (not only the role or record checks).
    const validation = (statuses.get(400) ?? 0) + (statuses.get(422) ?? 0);
    mkdirSync('test-results', { recursive: true });
    writeFileSync(
      'test-results/bad-input.json',
      `${JSON.stringify({ sent, statuses: Object.fromEntries([...statuses].sort(([a], [b]) => a - b)) }, null, 2)}\n`,
    );
    expect(validation / sent).toBeGreaterThan(0.5);
    expect(await eventCount()).toBe(before);
  }, 600_000);

  it('answers every list and read with a 4xx or its page, never a 5xx, for query values that make no sense', async () => {
    const failures: string[] = [];
    const reads = Object.entries(doc.paths).flatMap(([path, ops]) =>
      ops.get ? [{ path, op: ops.get }] : [],
    );
    const odd = ['-1', '99999999999999999999', 'NaN', "1' OR 1=1--", 'a\u0000b', '长'.repeat(5_000)];
    for (const { path, op } of reads) {
      if (path.startsWith('/docs') || path === '/metrics') continue;
      const token = tokens.get(userFor(path))!;
      const query = (op.parameters ?? []).filter((p) => p.in === 'query');
      for (const value of odd) {
        const target = fill(path, () => value);
        const search = query
          .map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(value)}`)
          .join('&');
        const r = await fetch(`${platform.url}${target}${search ? `?${search}` : ''}`, {
          headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        });
        const text = await r.text();
        if (r.status >= 500)
          failures.push(`GET ${target}?${search.slice(0, 120)}: ${r.status} ${text.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
