import { eventually, requireDatabaseUrl, uniqueName } from '@platform/testing';
import { Api, startService, type RunningService } from './harness.js';

interface Officer {
  name: string;
  roleName: string;
  departmentName?: string;
}
interface ItemView {
  itemId: string;
  caseNumber: string;
  status: string;
  statusName: string;
  departments: Array<{ department: string; departmentName: string }>;
  villageName: string;
  openedBy: Officer;
  openedAt: string;
  meetings: Array<{ meetingId: string; heldOn: string; departmentNames: string[]; recordedAt: string }>;
  decisions: Array<{
    decisionId: string;
    text: string;
    ownerDepartmentName: string;
    dueOn: string;
    done: boolean;
    statusName: string;
    overdue: boolean;
    overdueFlaggedAt: string | null;
    doneBy: Officer | null;
    doneAt: string | null;
  }>;
  followUps: Array<{ note: string; by: Officer }>;
  closure: { outcomeName: string; by: Officer; at: string } | null;
}
interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
interface ServiceView {
  serviceId: string;
  status: string;
  statusName: string;
  serviceName: string;
  provider: { providerId: string; name: string };
  consent: { given: boolean; signedBy: string };
  visits: Array<{ visitedOn: string; content: string; by: Officer; onBehalfOfProvider: boolean; at: string }>;
  outcome: { outcomeName: string; by: Officer; at: string } | null;
  assignedAt: string;
}
interface ErrorBody {
  code: string;
  message: string;
}

const COORDINATION = '/civil-affairs/coordination';
const SF = '/civil-affairs/social-forces';
const LINHE = '150802000000';
const JINBU = '150802100201';
const BEIJING_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/;
const DAY_MS = 24 * 3600_000;
const beijingDay = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * 一事一议 and 社会力量 over HTTP through apps/platform (event log): a coordination item with two
 * departments, one decision done by its owner, the other overdue once the clock moves, closed when both
 * are done; a social worker assigned with the household's consent records visits and the outcome;
 * another county's officer is refused, a request without consent too.
 */
describe('coordination and social forces, end to end', () => {
  let platform: RunningService;
  const who: Record<string, Api> = {};
  let today = '';

  beforeAll(async () => {
    platform = await startService('platform', {
      DATABASE_URL: requireDatabaseUrl(),
      DATABASE_SCHEMA_PREFIX: uniqueName('cs'),
      JWT_SECRET: 'e2e-secret-that-is-long-enough-for-hs256-0123456789',
      TRANSPORT: 'event-log',
      KAFKA_BROKERS: '',
      DATABASE_POOL_SIZE: '5',
      CLOCK_CONTROL: 'true',
      OVERDUE_SCAN_MS: '200',
    });
    const api = new Api(platform.url);
    for (const user of [
      'admin',
      'linhe.civil',
      'wuyuan.civil',
      'linhe.health',
      'linhe.housing',
      'linhe.socialworker',
      'linhe.government',
      'city.jointmeeting',
    ]) {
      who[user] = api.as(await api.login(user));
    }
    const clock = await who.admin!.ok<{ now: string }>('GET', '/admin/clock');
    today = beijingDay(Date.parse(clock.now));
  }, 120_000);

  afterAll(async () => {
    await who.admin?.call('POST', '/admin/clock', { offsetMs: 0 });
    await platform?.stop();
  });

  const withLogs = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- platform ---\n${platform.output().slice(-3000)}`, {
        cause: e,
      });
    }
  };

  it('a coordination item: one decision done by its owner, the other overdue, closed when both are done', async () => {
    await withLogs(async () => {
      const county = who['linhe.civil']!;
      const item = await county.ok<ItemView>(
        'POST',
        COORDINATION,
        {
          caseId: '0190a4c4-0000-7000-8000-0000000000aa',
          caseNumber: 'LH-2026-000123',
          need: '患儿白血病治疗费用缺口大，家庭住房为危房，单一部门无法解决',
          departments: ['health', 'housing'],
          villageCode: JINBU,
        },
        201,
      );
      expect(item).toMatchObject({
        status: 'open',
        statusName: '协调中',
        departments: [
          { department: 'health', departmentName: '卫生健康部门' },
          { department: 'housing', departmentName: '住房和城乡建设部门' },
        ],
        villageName: expect.stringContaining('进步村'),
        openedBy: { name: '刘海燕', departmentName: '民政部门' },
      });
      expect(item.openedAt).toMatch(BEIJING_TIME);
      const base = `${COORDINATION}/${item.itemId}`;

      // Bad input: an unknown department, a deadline before the meeting; nothing recorded.
      const badDepartment = await county.call('POST', base + '/meetings', {
        heldOn: today,
        departments: ['health', 'police'],
        minutes: '纪要',
        decisions: [],
      });
      expect(badDepartment.status).toBe(422);
      expect((badDepartment.body as ErrorBody).message).toContain('departments');

      const withMeeting = await county.ok<ItemView>(
        'POST',
        base + '/meetings',
        {
          heldOn: today,
          departments: ['civil-affairs', 'health', 'housing'],
          minutes: '联席会议研究了该户情况，议定由卫健部门落实医疗救助，住建部门实施危房改造',
          decisions: [
            {
              text: '落实医疗救助和疾病应急救助',
              ownerDepartment: 'health',
              dueOn: beijingDay(Date.parse(`${today}T00:00:00Z`) + 10 * DAY_MS),
            },
            {
              text: '列入危房改造计划',
              ownerDepartment: 'housing',
              dueOn: beijingDay(Date.parse(`${today}T00:00:00Z`) + 2 * DAY_MS),
            },
          ],
        },
        201,
      );
      expect(withMeeting.meetings).toHaveLength(1);
      expect(withMeeting.meetings[0]!.departmentNames).toEqual([
        '民政部门',
        '卫生健康部门',
        '住房和城乡建设部门',
      ]);
      const [healthDecision, housingDecision] = withMeeting.decisions;
      expect(healthDecision).toMatchObject({
        ownerDepartmentName: '卫生健康部门',
        done: false,
        statusName: '办理中',
      });

      // Only the owner department marks its decision done.
      const notOwner = await who['linhe.housing']!.call(
        'POST',
        `${base}/decisions/${healthDecision!.decisionId}/done`,
        { result: '已办' },
      );
      expect(notOwner.status).toBe(403);
      expect((notOwner.body as ErrorBody).code).toBe('NOT_DECISION_OWNER');
      const healthDone = await who['linhe.health']!.ok<ItemView>(
        'POST',
        `${base}/decisions/${healthDecision!.decisionId}/done`,
        { result: '已落实医疗救助 3.2 万元' },
      );
      expect(healthDone.decisions[0]).toMatchObject({
        done: true,
        statusName: '已办结',
        doneBy: { name: '陈静' },
      });
      await who['linhe.health']!.ok('POST', `${base}/follow-ups`, { note: '患儿已入院治疗' }, 201);

      // Not closed while the housing decision is open.
      const early = await county.call('POST', `${base}/close`, {});
      expect(early.status).toBe(409);
      expect((early.body as ErrorBody).message).toContain('住房和城乡建设部门：列入危房改造计划');

      // Five days later the housing decision (due in two) is past its deadline: the watch flags it once.
      await who.admin!.ok('POST', '/admin/clock', { offsetMs: 5 * DAY_MS });
      const overdue = await eventually(
        async () => {
          const page = await county.ok<Page<{ itemId: string; overdueCount: number }>>(
            'GET',
            `${COORDINATION}?status=open&page=1&pageSize=10`,
          );
          const row = page.items.find((i) => i.itemId === item.itemId);
          return row && row.overdueCount === 1 ? row : undefined;
        },
        { what: 'the overdue decision flagged by the watch', timeoutMs: 20_000 },
      );
      expect(overdue.overdueCount).toBe(1);
      const flagged = await county.ok<ItemView>('GET', base);
      expect(flagged.decisions[1]).toMatchObject({ overdue: true, statusName: '已逾期', done: false });
      expect(flagged.decisions[1]!.overdueFlaggedAt).toMatch(BEIJING_TIME);

      // Another county's officer neither reads nor acts; the government liaison and the joint meeting read.
      const outside = await who['wuyuan.civil']!.call('GET', base);
      expect(outside.status).toBe(403);
      expect((await who['wuyuan.civil']!.call('POST', `${base}/close`, { reason: '迁出' })).status).toBe(403);
      await who['linhe.government']!.ok('GET', base);
      const jointList = await who['city.jointmeeting']!.ok<Page<{ itemId: string }>>('GET', COORDINATION);
      expect(jointList.items.map((i) => i.itemId)).toContain(item.itemId);

      const housingDone = await who['linhe.housing']!.ok<ItemView>(
        'POST',
        `${base}/decisions/${housingDecision!.decisionId}/done`,
        { result: '已列入 2027 年危房改造计划并开工' },
      );
      expect(housingDone.decisions[1]).toMatchObject({ done: true, statusName: '已办结（逾期）' });
      const closed = await county.ok<ItemView>('POST', `${base}/close`, {});
      expect(closed).toMatchObject({
        status: 'closed',
        statusName: '已办结',
        closure: { outcomeName: '议定事项全部办结', by: { name: '刘海燕' } },
      });
      expect(closed.closure!.at).toMatch(BEIJING_TIME);
      const closedList = await eventually(
        async () => {
          const page = await county.ok<Page<{ itemId: string }>>('GET', `${COORDINATION}?status=closed`);
          return page.total === 1 ? page : undefined;
        },
        { what: 'the closed item in the list', timeoutMs: 10_000 },
      );
      expect(closedList.items[0]!.itemId).toBe(item.itemId);
      await who.admin!.ok('POST', '/admin/clock', { offsetMs: 0 });
    });
  }, 90_000);

  it('a social worker assigned with consent records visits and the outcome; no consent 422, next county 403', async () => {
    await withLogs(async () => {
      const county = who['linhe.civil']!;
      const worker = who['linhe.socialworker']!;
      const provider = await county.ok<{
        providerId: string;
        serviceNames: string[];
        users: Array<{ name: string }>;
      }>(
        'POST',
        `${SF}/providers`,
        {
          name: '临河区阳光社会工作服务中心',
          kind: 'social_organisation',
          services: ['daily_care', 'counselling'],
          areaCodes: [LINHE],
          userIds: ['u-sw-linhe'],
        },
        201,
      );
      expect(provider.serviceNames).toEqual(['生活照料', '心理疏导']);
      expect(provider.users).toEqual([{ id: 'u-sw-linhe', name: '何芳' }]);
      // The accounts the county may name as a provider's staff: its own social workers, by name.
      const workers = await county.ok<{ items: Array<{ id: string; name: string; organisation: string }> }>(
        'GET',
        `${SF}/workers`,
      );
      expect(workers.items).toContainEqual(
        expect.objectContaining({
          id: 'u-sw-linhe',
          name: '何芳',
          organisation: '临河区阳光社会工作服务中心',
        }),
      );
      const wuyuanWorkers = await who['wuyuan.civil']!.ok<{ items: Array<{ id: string }> }>(
        'GET',
        `${SF}/workers`,
      );
      expect(wuyuanWorkers.items.map((w) => w.id)).not.toContain('u-sw-linhe');
      expect((await worker.call('GET', `${SF}/workers`)).status).toBe(403);
      const badKind = await county.call('POST', `${SF}/providers`, {
        name: '某组织',
        kind: 'social_organisation',
        services: ['cooking'],
        areaCodes: [LINHE],
      });
      expect(badKind.status).toBe(422);
      expect((badKind.body as ErrorBody).message).toContain('services');

      const year = today.slice(0, 4);
      const project = await county.ok<{ projectId: string; budget: number }>(
        'POST',
        `${SF}/projects`,
        {
          name: `${year} 年临河区困难群众生活照料服务项目`,
          providerId: provider.providerId,
          budget: 1000,
          periodFrom: `${year}-01-01`,
          periodTo: `${year}-12-31`,
        },
        201,
      );
      const request = {
        caseId: '0190a4c4-0000-7000-8000-0000000000bb',
        caseNumber: 'LH-2026-000456',
        householdName: '王建国',
        villageCode: JINBU,
        service: 'daily_care',
        description: '独居老人，需每周上门生活照料',
        providerId: provider.providerId,
        projectId: project.projectId,
        cost: 600,
      };
      const consent = { given: true, recordedOn: today, signedBy: '王建国' };

      // No consent: 422 and nothing recorded.
      const noConsent = await county.call('POST', `${SF}/services`, request);
      expect(noConsent.status).toBe(422);
      expect(noConsent.body).toMatchObject({ code: 'CONSENT_REQUIRED' });
      const refusedConsent = await county.call('POST', `${SF}/services`, {
        ...request,
        consent: { ...consent, given: false },
      });
      expect(refusedConsent.status).toBe(422);
      // A service the provider does not offer; over the project's budget (600 + 400.01 > 1000).
      const notOffered = await county.call('POST', `${SF}/services`, {
        ...request,
        consent,
        service: 'resource_linking',
      });
      expect(notOffered.body).toMatchObject({ code: 'SERVICE_NOT_OFFERED' });

      const service = await county.ok<ServiceView>('POST', `${SF}/services`, { ...request, consent }, 201);
      expect(service).toMatchObject({
        status: 'in_service',
        statusName: '服务中',
        serviceName: '生活照料',
        consent: { given: true, signedBy: '王建国' },
        provider: { name: '临河区阳光社会工作服务中心' },
      });
      const overBudget = await county.call('POST', `${SF}/services`, { ...request, consent, cost: 400.01 });
      expect(overBudget.status).toBe(422);
      expect(overBudget.body).toMatchObject({ code: 'BUDGET_EXCEEDED' });
      const base = `${SF}/services/${service.serviceId}`;

      // The next county's officer is refused.
      const outside = await who['wuyuan.civil']!.call('POST', `${base}/visits`, {
        visitedOn: today,
        content: '走访',
      });
      expect(outside.status).toBe(403);
      expect((await who['wuyuan.civil']!.call('GET', base)).status).toBe(403);

      const visited = await worker.ok<ServiceView>(
        'POST',
        `${base}/visits`,
        { visitedOn: today, content: '上门打扫卫生，协助购买生活用品' },
        201,
      );
      expect(visited.visits[0]).toMatchObject({ by: { name: '何芳' }, onBehalfOfProvider: false });
      const twice = await county.ok<ServiceView>(
        'POST',
        `${base}/visits`,
        { visitedOn: today, content: '电话回访（代服务方登记）' },
        201,
      );
      expect(twice.visits[1]).toMatchObject({ by: { name: '刘海燕' }, onBehalfOfProvider: true });
      const closed = await worker.ok<ServiceView>('POST', `${base}/outcome`, {
        outcome: 'goal_met',
        summary: '老人生活环境明显改善，已链接社区助餐服务',
      });
      expect(closed).toMatchObject({
        status: 'closed',
        statusName: '已结案',
        outcome: { outcomeName: '服务目标达成' },
      });
      expect(closed.outcome!.at).toMatch(BEIJING_TIME);
      const late = await worker.call('POST', `${base}/visits`, { visitedOn: today, content: '再次走访' });
      expect(late.status).toBe(409);
      expect(late.body).toMatchObject({ code: 'VISIT_AFTER_OUTCOME' });

      // Lists: exactly one service was recorded; the project counts only it.
      const mine = await eventually(
        async () => {
          const page = await worker.ok<Page<{ serviceId: string; status: string; visitCount: number }>>(
            'GET',
            `${SF}/services?page=1&pageSize=10`,
          );
          return page.items[0]?.status === 'closed' ? page : undefined;
        },
        { what: 'the closed service in the social worker list', timeoutMs: 10_000 },
      );
      expect(mine).toMatchObject({ total: 1, items: [{ serviceId: service.serviceId, visitCount: 2 }] });
      // A list masks the household's name; the service's own view shows it whole.
      expect(mine.items[0]).toMatchObject({ householdName: '王*国' });
      const projects = await eventually(
        async () => {
          const page = await county.ok<Page<{ charged: number; remaining: number; serviceCount: number }>>(
            'GET',
            `${SF}/projects`,
          );
          return page.items[0]?.serviceCount === 1 ? page : undefined;
        },
        { what: 'the project with its one service', timeoutMs: 10_000 },
      );
      expect(projects.items[0]).toMatchObject({ charged: 600, remaining: 400 });
      const wuyuanProviders = await who['wuyuan.civil']!.ok<Page<unknown>>('GET', `${SF}/providers`);
      expect(wuyuanProviders.total).toBe(0);
    });
  }, 90_000);
  it('documents every route in OpenAPI with a Chinese summary', async () => {
    const doc = (await (await fetch(`${platform.url}/docs-json`)).json()) as {
      paths: Record<string, Record<string, { summary?: string }>>;
      components: { schemas: Record<string, unknown> };
    };
    const routes = [
      COORDINATION,
      `${COORDINATION}/{id}`,
      `${COORDINATION}/{id}/meetings`,
      `${COORDINATION}/{id}/follow-ups`,
      `${COORDINATION}/{id}/decisions/{decisionId}/done`,
      `${COORDINATION}/{id}/close`,
      `${SF}/providers`,
      `${SF}/providers/{id}`,
      `${SF}/workers`,
      `${SF}/services`,
      `${SF}/services/{id}`,
      `${SF}/services/{id}/visits`,
      `${SF}/services/{id}/outcome`,
      `${SF}/projects`,
      `${SF}/projects/{id}`,
    ];
    for (const route of routes) {
      const operations = Object.values(doc.paths[route] ?? {});
      expect({
        route,
        documented:
          operations.length > 0 && operations.every((op) => /\p{Script=Han}/u.test(op.summary ?? '')),
      }).toEqual({
        route,
        documented: true,
      });
    }
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'CoordinationMeetingDto',
        'SocialServiceAssignDto',
        'PurchasedServiceProjectDto',
      ]),
    );
  });
});
