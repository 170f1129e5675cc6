import { eventually, requireDatabaseUrl, uniqueName } from '@platform/testing';
import { Api, residentId, startService, type RunningService } from './harness.js';

interface FilingView {
  filingId: string;
  status: string;
  statusName: string;
  staff: {
    name: string;
    idNumber: string;
    kind: string;
    kindName: string;
    position: string;
    organisation: string;
    jurisdictionCode: string;
    jurisdictionName: string;
  };
  relatives: Array<{ name: string; idNumber: string; relationship: string; relationshipName: string }>;
  amendments: Array<{ reason: string; byName: string; added: unknown[]; removed: unknown[] }>;
  filedByName: string;
  retirement: { reason: string; leftOn: string; byName: string } | null;
}
interface ListItem {
  filingId: string;
  staffName: string;
  staffIdNumber: string;
  kindName: string;
  organisation: string;
  jurisdictionName: string;
  relativeCount: number;
  active: boolean;
  statusName: string;
}
interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
interface ErrorBody {
  code: string;
  message: string;
}

const MASKED = /^\d{6}\*{8}\d{3}[\dX]$/;
const BASE = '/civil-affairs/staff-filings';

/** Lists come from the read model, a moment behind the writes: ask until the page shows what `ready` wants. */
async function listUntil(officer: Api, query: string, ready: (page: Page<ListItem>) => boolean) {
  return eventually(
    async () => {
      const page = await officer.ok<Page<ListItem>>('GET', `${BASE}${query}`);
      return ready(page) ? page : undefined;
    },
    { what: `GET ${BASE}${query}`, timeoutMs: 10_000 },
  );
}

let seq = 0;
/** A fresh valid resident ID born in 1980–1989. */
const id = (region = '150802') => residentId(`${region}198${seq % 10}0101${String(100 + ++seq).slice(-3)}`);

/**
 * The staff-relative filing registry (经办人员及近亲属备案) over HTTP, through apps/platform: who may file,
 * amend, retire, list and view; jurisdictions; masking; the access log of full views.
 */
describe('staff-relative filing, end to end', () => {
  let platform: RunningService;
  let api: Api;
  const who: Record<string, Api> = {};

  beforeAll(async () => {
    platform = await startService('platform', {
      DATABASE_URL: requireDatabaseUrl(),
      DATABASE_SCHEMA_PREFIX: uniqueName('sf'),
      JWT_SECRET: 'e2e-secret-that-is-long-enough-for-hs256-0123456789',
      TRANSPORT: 'event-log',
      KAFKA_BROKERS: '',
      DATABASE_POOL_SIZE: '5',
    });
    api = new Api(platform.url);
    for (const user of [
      'linhe.civil',
      'wuyuan.civil',
      'shuanghe.window',
      'city.auditor',
      'admin',
      'linhe.health',
    ]) {
      who[user] = api.as(await api.login(user));
    }
  }, 90_000);

  afterAll(async () => {
    await platform?.stop();
  });

  const staffBody = (overrides: Record<string, unknown> = {}) => ({
    name: '李建国',
    idNumber: id(),
    kind: 'staff',
    position: '低保专干',
    organisation: '双河镇人民政府',
    jurisdictionCode: '150802100000',
    ...overrides,
  });

  it('the controller is mounted in apps/platform', async () => {
    const r = await who['linhe.civil']!.call('GET', BASE);
    // 404 here: CivilAffairsModule imports StaffFilingModule.forService(service) neither itself nor through DibaoModule.
    expect(r.status).toBe(200);
  });

  it('county civil affairs files a staff member and relatives; the same staff member twice is a conflict', async () => {
    const county = who['linhe.civil']!;
    const staff = staffBody();
    const spouse = { name: '王秀英', idNumber: id(), relationship: 'spouse' };
    const child = { name: '李明', idNumber: id(), relationship: 'child' };
    const filed = await county.ok<FilingView>('POST', BASE, { staff, relatives: [spouse, child] }, 201);
    expect(filed).toMatchObject({
      status: 'active',
      statusName: '在册',
      staff: {
        name: '李建国',
        kind: 'staff',
        organisation: '双河镇人民政府',
        jurisdictionCode: '150802100000',
      },
      filedByName: '刘海燕',
    });
    expect(filed.staff.jurisdictionName).toContain('临河区');
    // Full ID numbers only on the recorded detail view: the answer to a write is masked.
    expect(filed.staff.idNumber).toMatch(MASKED);
    expect(filed.relatives.map((r) => [r.name, r.relationshipName])).toEqual([
      ['王*英', '配偶'],
      ['李*', '子女'],
    ]);
    expect(filed.relatives.every((r) => MASKED.test(r.idNumber))).toBe(true);

    const again = await county.call('POST', BASE, {
      staff: { ...staff, organisation: '临河区民政局' },
      relatives: [],
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'STAFF_ALREADY_FILED', existingFilingId: filed.filingId });
    expect((again.body as ErrorBody).message).toContain(filed.filingId);
  });

  it('refuses invalid ID numbers, one person twice, unknown relationships and places, naming the field', async () => {
    const county = who['linhe.civil']!;
    const staff = staffBody();
    const badId = await county.call('POST', BASE, {
      staff,
      relatives: [
        {
          name: '王秀英',
          idNumber: staff.idNumber.slice(0, 17) + (staff.idNumber.endsWith('1') ? '2' : '1'),
          relationship: 'spouse',
        },
      ],
    });
    expect(badId.status).toBe(422);
    expect(badId.text).toContain('idNumber');
    expect(badId.text).toContain('校验位');

    const twice = await county.call('POST', BASE, {
      staff,
      relatives: [{ name: '李建国', idNumber: staff.idNumber, relationship: 'sibling' }],
    });
    expect(twice.status).toBe(422);
    expect(twice.body).toMatchObject({ code: 'DUPLICATE_ID_NUMBER' });
    expect((twice.body as ErrorBody).message).toContain('relatives[0].idNumber');

    const cousin = await county.call('POST', BASE, {
      staff,
      relatives: [{ name: '李某', idNumber: id(), relationship: 'cousin' }],
    });
    expect(cousin.status).toBe(422);
    expect(cousin.text).toContain('配偶');

    const nowhere = await county.call('POST', BASE, {
      staff: { ...staff, jurisdictionCode: '150802999999' },
      relatives: [],
    });
    expect(nowhere.status).toBe(422);
    expect(nowhere.body).toMatchObject({ code: 'UNKNOWN_JURISDICTION' });

    const cadreAtTownship = await county.call('POST', BASE, {
      staff: { ...staff, kind: 'cadre' },
      relatives: [],
    });
    expect(cadreAtTownship.status).toBe(422);
    expect(cadreAtTownship.body).toMatchObject({ code: 'CADRE_POST_NOT_VILLAGE' });
  });

  it('keeps each county to its own, township windows to their villages’ cadres, others out', async () => {
    const wuyuan = who['wuyuan.civil']!;
    const outside = await wuyuan.call('POST', BASE, { staff: staffBody(), relatives: [] });
    expect(outside.status).toBe(403);
    expect(outside.body).toMatchObject({ code: 'OUT_OF_JURISDICTION' });

    const window = who['shuanghe.window']!;
    const cadre = await window.ok<FilingView>(
      'POST',
      BASE,
      {
        staff: staffBody({
          name: '张桂兰',
          kind: 'cadre',
          position: '村委会主任',
          organisation: '进步村村民委员会',
          jurisdictionCode: '150802100201',
        }),
        relatives: [{ name: '张桂芳', idNumber: id(), relationship: 'sibling' }],
      },
      201,
    );
    expect(cadre.staff.kindName).toBe('村（居）民委员会干部');
    const townshipStaff = await window.call('POST', BASE, { staff: staffBody(), relatives: [] });
    expect(townshipStaff.status).toBe(403);
    expect(townshipStaff.body).toMatchObject({ code: 'CADRES_ONLY' });
    const otherCounty = await window.call('POST', BASE, {
      staff: staffBody({ kind: 'cadre', jurisdictionCode: '150821100201', organisation: '联丰村村民委员会' }),
      relatives: [],
    });
    expect(otherCounty.status).toBe(403);
    const windowList = await listUntil(window, '', (p) => p.items.some((i) => i.filingId === cadre.filingId));
    expect(windowList.items.map((i) => i.kindName)).toEqual(
      windowList.items.map(() => '村（居）民委员会干部'),
    );

    expect((await who['linhe.health']!.call('GET', BASE)).status).toBe(403);
    expect(
      (await who['city.auditor']!.call('POST', BASE, { staff: staffBody(), relatives: [] })).status,
    ).toBe(403);

    // Another county sees none of 临河区's filings and may not open one.
    const wuyuanList = await wuyuan.ok<Page<ListItem>>('GET', BASE);
    expect(wuyuanList.items.find((i) => i.filingId === cadre.filingId)).toBeUndefined();
    expect((await wuyuan.call('GET', `${BASE}/${cadre.filingId}`)).status).toBe(403);
  });

  it('lists a page at a time with filters, masked; the detail view shows everything and is recorded', async () => {
    const county = who['linhe.civil']!;
    const a = await county.ok<FilingView>(
      'POST',
      BASE,
      {
        staff: staffBody({
          name: '赵文博',
          organisation: '临河区民政局',
          jurisdictionCode: '150802000000',
          position: '社会救助股股长',
        }),
        relatives: [{ name: '钱丽华', idNumber: id(), relationship: 'parent_in_law' }],
      },
      201,
    );
    const list = await listUntil(county, '?pageSize=2&page=1', (p) => p.total >= 3);
    expect(list).toMatchObject({ page: 1, pageSize: 2 });
    expect(list.items).toHaveLength(2);
    expect(list.items.every((i) => MASKED.test(i.staffIdNumber))).toBe(true);

    const byOrganisation = await county.ok<Page<ListItem>>(
      'GET',
      `${BASE}?organisation=${encodeURIComponent('民政局')}`,
    );
    expect(byOrganisation.items.map((i) => i.filingId)).toEqual([a.filingId]);
    const byRelative = await county.ok<Page<ListItem>>('GET', `${BASE}?name=${encodeURIComponent('丽华')}`);
    expect(byRelative.items.map((i) => [i.staffName, i.relativeCount])).toEqual([['赵文博', 1]]);
    const inTownship = await county.ok<Page<ListItem>>('GET', `${BASE}?jurisdictionCode=150802100000`);
    expect(inTownship.items.find((i) => i.filingId === a.filingId)).toBeUndefined();
    expect(inTownship.total).toBeGreaterThanOrEqual(2);
    expect((await county.call('GET', `${BASE}?jurisdictionCode=150821000000`)).status).toBe(403);
    expect((await county.call('GET', `${BASE}?active=maybe`)).status).toBe(422);

    const detail = await county.ok<FilingView>(
      'GET',
      `${BASE}/${a.filingId}?purpose=${encodeURIComponent('低保申请核查')}`,
    );
    expect(detail.staff.idNumber).toMatch(/^\d{17}[\dX]$/);
    expect(detail.relatives).toEqual([
      expect.objectContaining({
        name: '钱丽华',
        relationship: 'parent_in_law',
        relationshipName: '配偶的父母',
      }),
    ]);
    expect(detail.relatives[0]!.idNumber).toMatch(/^\d{17}[\dX]$/);

    const log = await who['city.auditor']!.ok<{
      items: Array<{
        resourceType: string;
        resourceId: string;
        purpose: string | null;
        actor: { id: string };
      }>;
    }>('GET', '/civil-affairs/referrals/-/access-log?actorId=u-ca-linhe');
    expect(log.items).toContainEqual(
      expect.objectContaining({
        resourceType: 'staff-filing',
        resourceId: a.filingId,
        purpose: '低保申请核查',
        actor: expect.objectContaining({ id: 'u-ca-linhe' }),
      }),
    );
    // Auditors read every filing.
    expect((await who['city.auditor']!.ok<FilingView>('GET', `${BASE}/${a.filingId}`)).filingId).toBe(
      a.filingId,
    );
    expect((await who['city.auditor']!.ok<Page<ListItem>>('GET', BASE)).total).toBeGreaterThanOrEqual(3);
  });

  it('amends relatives with a reason, retires the filing, and then allows a new filing', async () => {
    const county = who['linhe.civil']!;
    const staff = staffBody({ name: '孙志远' });
    const spouse = { name: '周敏', idNumber: id(), relationship: 'spouse' };
    const filed = await county.ok<FilingView>('POST', BASE, { staff, relatives: [spouse] }, 201);
    const father = { name: '孙长林', idNumber: id(), relationship: 'parent' };

    const amended = await county.ok<FilingView>('POST', `${BASE}/${filed.filingId}/relatives`, {
      add: [father],
      remove: [spouse.idNumber],
      reason: '离婚；补报父亲',
    });
    expect(amended.relatives.map((r) => r.relationship)).toEqual(['parent']);
    expect(amended.amendments).toEqual([
      expect.objectContaining({ reason: '离婚；补报父亲', byName: '刘海燕' }),
    ]);
    const notThere = await county.call('POST', `${BASE}/${filed.filingId}/relatives`, {
      remove: [spouse.idNumber],
      reason: '再次删除',
    });
    expect(notThere.status).toBe(422);
    expect(notThere.body).toMatchObject({ code: 'RELATIVE_NOT_FILED' });
    const noReason = await county.call('POST', `${BASE}/${filed.filingId}/relatives`, { add: [spouse] });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain('reason');
    expect(
      (
        await who['city.auditor']!.call('POST', `${BASE}/${filed.filingId}/relatives`, {
          add: [spouse],
          reason: 'x',
        })
      ).status,
    ).toBe(403);

    const future = await county.call('POST', `${BASE}/${filed.filingId}/retire`, {
      reason: '调离',
      leftOn: '2999-01-01',
    });
    expect(future.status).toBe(422);
    expect(future.body).toMatchObject({ code: 'LEFT_IN_FUTURE' });
    const retired = await county.ok<FilingView>('POST', `${BASE}/${filed.filingId}/retire`, {
      reason: '调离社会救助岗位',
      leftOn: '2026-01-05',
    });
    expect(retired).toMatchObject({
      status: 'retired',
      retirement: { reason: '调离社会救助岗位', leftOn: '2026-01-05', byName: '刘海燕' },
    });
    const afterRetire = await county.call('POST', `${BASE}/${filed.filingId}/relatives`, {
      add: [spouse],
      reason: '复婚',
    });
    expect(afterRetire.status).toBe(409);
    expect(afterRetire.body).toMatchObject({ code: 'FILING_RETIRED' });

    const inactive = await listUntil(county, '?active=false', (p) =>
      p.items.some((i) => i.filingId === filed.filingId),
    );
    expect(inactive.items.find((i) => i.filingId === filed.filingId)).toMatchObject({
      statusName: '已注销',
      active: false,
    });
    // Back in a post: a new filing, the retired one stays on record.
    const refiled = await county.ok<FilingView>('POST', BASE, { staff, relatives: [] }, 201);
    expect(refiled.filingId).not.toBe(filed.filingId);
  });

  it('a city administrator files anywhere; 404 for a filing that does not exist', async () => {
    const admin = who['admin']!;
    const wuyuan = await admin.ok<FilingView>(
      'POST',
      BASE,
      {
        staff: staffBody({
          idNumber: id('150821'),
          organisation: '隆兴昌镇人民政府',
          jurisdictionCode: '150821100000',
        }),
        relatives: [],
      },
      201,
    );
    expect(wuyuan.filedByName).toBe('系统管理员');
    const missing = await admin.call('GET', `${BASE}/0190a4c4-0000-7000-8000-000000000000`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'FILING_NOT_FOUND' });
  });
});
