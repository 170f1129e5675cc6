import { requireDatabaseUrl, uniqueName, eventually } from '@platform/testing';
import { SignJWT } from 'jose';
import { Api, residentId, startService, type RunningService } from './harness.js';

const SECRET = 'roles-secret-that-is-long-enough-for-hs256-0123456789';

const USERS = {
  township_officer: 'shuanghe.window',
  village_verifier: 'jinbu.village',
  county_civil_affairs: 'linhe.civil',
  health_officer: 'linhe.health',
  housing_officer: 'linhe.housing',
  education_officer: 'linhe.education',
  social_worker: 'linhe.socialworker',
  government_liaison: 'linhe.government',
  auditor: 'city.auditor',
  joint_meeting_viewer: 'city.jointmeeting',
  admin: 'admin',
} as const;
type Role = keyof typeof USERS;
const ROLES = Object.keys(USERS) as Role[];

let seq = 0;
const caseBody = (channel = 'proactive_discovery', category = 'medical') => ({
  channel,
  villageCode: '150802100201',
  household: [
    {
      name: '测试申请人',
      idNumber: residentId(`15080219800101${String(1000 + ++seq).slice(1)}`),
      relationship: 'applicant',
    },
  ],
  needs: [{ category, description: '测试需求' }],
  consentToShare: true,
});

describe('who may do and see what (every role × the main endpoints, real tokens over HTTP)', () => {
  let platform: RunningService;
  let api: Api;
  const token = {} as Record<Role, string>;
  let caseId: string;
  let referralId: string;

  beforeAll(async () => {
    platform = await startService('platform', {
      DATABASE_URL: requireDatabaseUrl(),
      DATABASE_SCHEMA_PREFIX: uniqueName('roles'),
      JWT_SECRET: SECRET,
      TRANSPORT: 'event-log',
      KAFKA_BROKERS: '',
      PUBLIC_RATE_LIMIT_PER_MINUTE: '12',
    });
    api = new Api(platform.url);
    for (const role of ROLES) token[role] = await api.login(USERS[role]);
    const window = api.as(token.township_officer);
    caseId = (await window.ok<{ caseId: string }>('POST', '/cases', caseBody('window'), 201)).caseId;
    await window.ok('POST', `/cases/${caseId}/accept`);
    referralId = await eventually(async () => {
      const r = await api
        .as(token.health_officer)
        .ok<{ items: Array<{ referralId: string; caseId: string }> }>('GET', '/health/referrals');
      return r.items.find((i) => i.caseId === caseId)?.referralId;
    });
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  const newCase = async () =>
    (
      await api
        .as(token.township_officer)
        .ok<{ caseId: string }>('POST', '/cases', caseBody('window', 'education'), 201)
    ).caseId;

  interface Row {
    name: string;
    allowed: Role[];
    request: (role: Role) => Promise<{ method: string; path: string; body?: unknown }>;
    okStatus?: number;
  }

  const rows: Row[] = [
    {
      name: 'open a case (proactive discovery)',
      allowed: ['township_officer', 'village_verifier', 'county_civil_affairs', 'social_worker'],
      okStatus: 201,
      request: async () => ({ method: 'POST', path: '/cases', body: caseBody() }),
    },
    {
      name: 'read place names for the workbench’s pickers',
      allowed: [...ROLES],
      request: async () => ({ method: 'GET', path: '/places?parentCode=150802000000' }),
    },
    {
      name: 'list cases',
      allowed: ['township_officer', 'village_verifier', 'county_civil_affairs', 'auditor'],
      request: async () => ({ method: 'GET', path: '/cases' }),
    },
    {
      name: 'view a case with personal details',
      allowed: ['township_officer', 'village_verifier', 'county_civil_affairs', 'auditor'],
      request: async () => ({ method: 'GET', path: `/cases/${caseId}` }),
    },
    {
      name: 'accept a case',
      allowed: ['township_officer'],
      request: async () => ({ method: 'POST', path: `/cases/${await newCase()}/accept` }),
    },
    {
      name: 'list the health inbox',
      allowed: ['health_officer', 'auditor'],
      request: async () => ({ method: 'GET', path: '/health/referrals' }),
    },
    {
      name: 'list the housing inbox',
      allowed: ['housing_officer', 'auditor'],
      request: async () => ({ method: 'GET', path: '/housing/referrals' }),
    },
    {
      name: 'list the civil-affairs inbox',
      allowed: ['county_civil_affairs', 'auditor'],
      request: async () => ({ method: 'GET', path: '/civil-affairs/referrals' }),
    },
    {
      name: 'acknowledge a health referral',
      allowed: ['health_officer'],
      request: async () => ({ method: 'POST', path: `/health/referrals/${referralId}/acknowledge` }),
    },
    {
      name: 'list reports to government',
      allowed: ['government_liaison', 'auditor', 'joint_meeting_viewer', 'township_officer'],
      request: async () => ({ method: 'GET', path: '/government/reports' }),
    },
    {
      name: 'read the access log',
      allowed: ['auditor'],
      request: async () => ({ method: 'GET', path: '/intake/audit/access-log' }),
    },
    { name: 'see who I am', allowed: [...ROLES], request: async () => ({ method: 'GET', path: '/auth/me' }) },
  ];

  // Allowed roles last, so a denied attempt meets the same state the allowed one then changes.
  const cases = rows.flatMap((row) =>
    [...ROLES]
      .sort((a, b) => Number(row.allowed.includes(a)) - Number(row.allowed.includes(b)))
      .map((role) => [row.name, role, row] as const),
  );

  it.each(cases)('%s as %s', async (_name, role, row) => {
    const { method, path, body } = await row.request(role);
    const r = await api.as(token[role]).call(method, path, body);
    if (row.allowed.includes(role)) {
      expect({ role, status: r.status }).toEqual({ role, status: row.okStatus ?? 200 });
    } else {
      expect({ role, status: r.status }).toEqual({ role, status: 403 });
      expect(r.body).toMatchObject({
        statusCode: 403,
        code: expect.any(String),
        message: expect.any(String),
      });
      expect((r.body as { permission?: string }).permission).toEqual(expect.stringContaining(':'));
    }
  });

  describe('jurisdiction', () => {
    it('keeps a township officer to their own township', async () => {
      const other = await api.login('chezhan.window');
      const r = await api.as(other).call('GET', `/cases/${caseId}`);
      expect(r.status).toBe(403);
      expect(r.body).toMatchObject({ code: 'OUT_OF_JURISDICTION', permission: 'cases:view' });
      const list = await api.as(other).ok<{ items: Array<{ caseId: string }> }>('GET', '/cases');
      expect(list.items.map((i) => i.caseId)).not.toContain(caseId);
    });

    it('keeps a county department officer to referrals of their county', async () => {
      const wuyuan = await api.login('wuyuan.education');
      const r = await api.as(wuyuan).call('GET', '/education/referrals');
      expect(r.status).toBe(200);
      expect((r.body as { items: Array<{ caseId: string }> }).items.map((i) => i.caseId)).not.toContain(
        caseId,
      );
    });

    it('changes nothing when a request is denied', async () => {
      const id = await newCase();
      expect((await api.as(token.village_verifier).call('POST', `/cases/${id}/accept`)).status).toBe(403);
      expect((await api.as(token.auditor).call('POST', `/cases/${id}/accept`)).status).toBe(403);
      const view = await api
        .as(token.township_officer)
        .ok<{ status: string; notices: unknown[] }>('GET', `/cases/${id}`);
      expect(view.status).toBe('opened');
      expect(view.notices).toHaveLength(1);
    });
  });

  describe('authentication', () => {
    const claims = { role: 'auditor', department: 'oversight', jurisdiction: '150800000000', name: 'x' };

    it('answers 401 without a token, with a forged, an expired or an alg:none token', async () => {
      const forged = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('u-auditor')
        .setIssuer('social-assistance-platform')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('not-the-secret-but-long-enough-0123456789'));
      const expired = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('u-auditor')
        .setIssuer('social-assistance-platform')
        .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
        .sign(new TextEncoder().encode(SECRET));
      // Expired and forged: the signature is judged first, so it does not pass for a token to renew.
      const expiredForged = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('u-auditor')
        .setIssuer('social-assistance-platform')
        .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
        .sign(new TextEncoder().encode('not-the-secret-but-long-enough-0123456789'));
      const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ ...claims, sub: 'u-auditor', iss: 'social-assistance-platform', exp: Math.floor(Date.now() / 1000) + 3600 })).toString('base64url')}.`;
      for (const t of [null, forged, expired, expiredForged, none, 'garbage']) {
        const r = await (t ? api.as(t) : api).call('GET', '/cases');
        expect({ token: t?.slice(0, 12) ?? null, status: r.status }).toEqual({
          token: t?.slice(0, 12) ?? null,
          status: 401,
        });
        // Only a genuine token past its time says so (the client may then renew it); the others do not.
        expect(r.body).toMatchObject({ code: t === expired ? 'TOKEN_EXPIRED' : 'UNAUTHENTICATED' });
      }
      const bad = await api.call('POST', '/auth/login', { username: 'shuanghe.window', password: 'wrong' });
      expect(bad.status).toBe(401);
    });
  });

  describe('personal data', () => {
    it('records every view of a case’s personal details for auditors', async () => {
      await api
        .as(token.county_civil_affairs)
        .ok('GET', `/cases/${caseId}?purpose=${encodeURIComponent('核查')}`);
      const log = await api.as(token.auditor).ok<{
        items: Array<{ actor: { id: string; role: string }; purpose: string | null; fields: string[] }>;
      }>('GET', `/intake/audit/access-log?caseId=${caseId}`);
      expect(log.items[0]).toMatchObject({
        actor: { id: 'u-ca-linhe', role: 'county_civil_affairs' },
        purpose: '核查',
      });
      expect(log.items.map((i) => i.actor.role)).toEqual(
        expect.arrayContaining(['auditor', 'township_officer']),
      );
    });

    it('masks names and ID numbers in lists', async () => {
      const list = await api
        .as(token.township_officer)
        .ok<{ items: Array<{ applicantName: string; applicantIdNumber: string }> }>('GET', '/cases');
      expect(list.items.length).toBeGreaterThan(0);
      for (const i of list.items) {
        expect(i.applicantIdNumber).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
        expect(i.applicantName).toContain('*');
      }
    });

    it('refuses an invalid resident ID with 422 naming the field, and stores nothing', async () => {
      const before = (await api.as(token.township_officer).ok<{ total: number }>('GET', '/cases')).total;
      const body = caseBody('window');
      body.household[0]!.idNumber = '150802198001011235';
      const r = await api.as(token.township_officer).call('POST', '/cases', body);
      expect(r.status).toBe(422);
      expect(r.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        fields: [{ field: 'household.0.idNumber', problems: ['身份证号码校验位不正确'] }],
      });
      await new Promise((res) => setTimeout(res, 200));
      expect((await api.as(token.township_officer).ok<{ total: number }>('GET', '/cases')).total).toBe(
        before,
      );
    });
  });

  describe('public endpoints', () => {
    it('are rate-limited at the configured number per minute (PUBLIC_RATE_LIMIT_PER_MINUTE=12)', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 14; i++) {
        statuses.push(
          (await api.call('GET', '/public/progress?caseNumber=150802-2026-999999&queryCode=000000')).status,
        );
      }
      expect(statuses.slice(0, 12).every((s) => s === 404)).toBe(true);
      expect(statuses.slice(12)).toEqual([429, 429]);
      const limited = await api.call(
        'GET',
        '/public/progress?caseNumber=150802-2026-999999&queryCode=000000',
      );
      expect(limited.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    });

    it('place names: the public ones are limited per address, the staff ones are not and need a login', async () => {
      const path = (base: string) => `${base}?parentCode=150802000000&pageSize=100`;
      const publicStatuses: number[] = [];
      for (let i = 0; i < 13; i++)
        publicStatuses.push((await api.call('GET', path('/public/places'))).status);
      expect(publicStatuses.slice(0, 12).every((s) => s === 200)).toBe(true);
      expect(publicStatuses[12]).toBe(429);
      // The same address, logged in: a form's pickers read as often as they need, the same names.
      const officer = api.as(token.township_officer);
      const pages: Array<{ parentName: string; items: Array<{ name: string; levelName: string }> }> = [];
      for (let i = 0; i < 20; i++) pages.push(await officer.ok('GET', path('/places')));
      expect(pages[19]!.parentName).toContain('临河区');
      expect(pages[19]!.items.map((p) => p.name)).toContain('双河镇');
      expect(new Set(pages.map((p) => JSON.stringify(p))).size).toBe(1);
      expect((await api.call('GET', path('/places'))).status).toBe(401);
      const bad = await officer.call('GET', '/places?parentCode=15080');
      expect([bad.status, (bad.body as { message: string }).message]).toEqual([
        422,
        expect.stringContaining('上级区划代码'),
      ]);
    });
  });
});
