import { requireKafkaBrokers, eventually, uniqueName } from '@platform/testing';
import { Api, e2eEnv, residentId, startService, type RunningService } from './harness.js';

const DAY = 86_400_000;
const JINBU = '150802100201';
const APPLICANT = residentId('15080219580101123');
const SPOUSE = residentId('15080219620304122');

interface DepartmentLine {
  department: string;
  departmentName: string;
  status: string;
  statusName: string;
  answer: Record<string, unknown> | null;
  source: string | null;
  late: boolean;
}
interface Report {
  verificationId: string;
  members: Array<{ name: string; idNumber: string }>;
  dueAtBeijing: string;
  complete: boolean;
  departments: DepartmentLine[];
}
interface Page<T> {
  items: T[];
  total: number;
}

const DEPARTMENTS = ['civil-affairs', 'health', 'housing', 'education'] as const;

/**
 * Household economic verification (家庭经济状况核对) with each department as its own process over real
 * Kafka: the township asks with the household's authorisation; health answers from its register (a claim
 * recorded earlier), civil affairs and housing say they have nothing; education is down past the deadline
 * and is marked overdue, then answers late when it comes back; an answer file of the real-estate registry
 * is imported; the report is assembled, read under the access log, and closed to the next county.
 */
describe('household economic verification across departments over Kafka', () => {
  const running = new Map<string, RunningService>();
  let env: Record<string, string>;
  let adminToken: string;
  let api: Api;
  let offsetMs = 0;

  const url = (app: string) => running.get(app)!.url;
  const start = async (app: string) => {
    running.set(app, await startService(app, env));
    await new Api(url(app), adminToken).ok('POST', '/admin/clock', { offsetMs });
  };
  const setClock = async (offset: number) => {
    offsetMs = offset;
    await Promise.all(
      [...running.values()].map((s) => new Api(s.url, adminToken).ok('POST', '/admin/clock', { offsetMs })),
    );
  };
  const withLogs = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (e) {
      const logs = [...running.values()]
        .map((s) => `--- ${s.name} ---\n${s.output().slice(-2500)}`)
        .join('\n');
      throw new Error(`${(e as Error).message}\n${logs}`, { cause: e });
    }
  };

  beforeAll(async () => {
    const prefix = uniqueName('verify');
    env = {
      ...e2eEnv(prefix, 4),
      KAFKA_BROKERS: requireKafkaBrokers().join(','),
      KAFKA_NAME_PREFIX: `${prefix}.`,
      KAFKA_TOPIC_PARTITIONS: '2',
    };
    // Intake first: it creates the identity schema and its topics.
    running.set('intake', await startService('intake', env));
    const intake = new Api(url('intake'));
    adminToken = await intake.login('admin');
    await Promise.all(DEPARTMENTS.map(async (d) => running.set(d, await startService(d, env))));
    api = new Api((route) => {
      const department = DEPARTMENTS.find((d) => route.startsWith(`/${d}/`));
      return department ? url(department) : url('intake');
    });
  }, 180_000);

  afterAll(async () => {
    await Promise.all([...running.values()].map((s) => s.stop()));
  });

  it('assembles every department’s answer, marks the silent one overdue, takes its late answer and an import', async () => {
    await withLogs(async () => {
      const health = api.as(await api.login('linhe.health'));
      const township = api.as(await api.login('shuanghe.window'));
      const county = api.as(await api.login('linhe.civil'));
      const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

      // Health paid for the spouse's hospital stay this year: it is on health's register.
      await health.ok(
        'POST',
        '/health/medical-assistance/claims',
        {
          claimId: 'JS-V-001',
          person: { idNumber: SPOUSE, name: '刘秀兰' },
          countyCode: '150802000000',
          serviceDate: today,
          hospital: '临河区人民医院',
          seriousIllness: true,
          totalCostYuan: 30_000,
          inPolicyCostYuan: 26_000,
          basicInsurancePaidYuan: 15_000,
          criticalIllnessInsurancePaidYuan: 3_000,
        },
        201,
      );
      await eventually(async () => {
        const r = await health.ok<{ entries: unknown[] }>('POST', '/health/assistance-register/lookup', {
          memberIdNumbers: [SPOUSE],
        });
        return r.entries.length > 0 ? true : undefined;
      });

      // Education goes down: it will not answer in time.
      await running.get('education')!.stop();
      running.delete('education');

      const members = [
        { name: '王建国', idNumber: APPLICANT, relationship: 'applicant' },
        { name: '刘秀兰', idNumber: SPOUSE, relationship: 'spouse' },
      ];
      // No written authorisation: refused, and nothing is asked of anyone.
      const unauthorised = await township.call('POST', '/civil-affairs/verifications', {
        villageCode: JINBU,
        members,
        authorisation: { reference: '', signedOn: today },
      });
      expect(unauthorised.status).toBe(422);
      expect(JSON.stringify(unauthorised.body)).toContain('authorisation');
      expect((await township.ok<Page<unknown>>('GET', '/civil-affairs/verifications')).total).toBe(0);

      const requested = await township.ok<Report>(
        'POST',
        '/civil-affairs/verifications',
        { villageCode: JINBU, members, authorisation: { reference: 'SQ-2026-0101', signedOn: today } },
        201,
      );
      expect(requested.departments.map((d) => [d.department, d.status])).toEqual(
        DEPARTMENTS.map((d) => [d, 'pending']),
      );
      const id = requested.verificationId;
      const report = () => county.ok<Report>('GET', `/civil-affairs/verifications/${id}?purpose=低保审核`);
      const line = (r: Report, d: string) => r.departments.find((x) => x.department === d)!;

      // Health, housing and civil affairs answer from their own records.
      const answered = await eventually(
        async () => {
          const r = await report();
          return ['civil-affairs', 'health', 'housing'].every((d) => line(r, d).status === 'answered')
            ? r
            : undefined;
        },
        { timeoutMs: 60_000 },
      );
      expect(line(answered, 'health').answer).toMatchObject({
        result: 'on_record',
        members: expect.arrayContaining([
          expect.objectContaining({ idNumber: SPOUSE, onRecord: true, seriousIllness: true }),
          { idNumber: APPLICANT, onRecord: false },
        ]),
      });
      expect(JSON.stringify(line(answered, 'health').answer)).not.toContain('临河区人民医院');
      for (const d of ['civil-affairs', 'housing']) {
        expect(line(answered, d).answer).toMatchObject({ result: 'nothing_on_record' });
      }
      expect(line(answered, 'education').status).toBe('pending');

      // Eight days on, past the five working days: education is marked overdue.
      await setClock(8 * DAY);
      const overdue = await eventually(async () => {
        const r = await report();
        return line(r, 'education').status === 'overdue' ? r : undefined;
      });
      expect(line(overdue, 'education').statusName).toBe('逾期未回复');
      // The list is a read model: it follows the report a moment later.
      const pendingList = await eventually(async () => {
        const page = await county.ok<Page<{ overdueNames: string[] }>>(
          'GET',
          '/civil-affairs/verifications?pending=true',
        );
        return page.items[0]?.overdueNames.length ? page : undefined;
      });
      expect(pendingList.items[0]!.overdueNames).toEqual(['教育部门']);

      // Back up, education answers what it has: nothing, late.
      await start('education');
      const late = await eventually(
        async () => {
          const r = await report();
          return line(r, 'education').status === 'answered' ? r : undefined;
        },
        { timeoutMs: 60_000 },
      );
      expect(line(late, 'education')).toMatchObject({ late: true, answer: { result: 'nothing_on_record' } });
      expect(late.complete).toBe(true);

      // The real-estate registry is not on the platform: its answer file is imported, line by line.
      const badFile = await county.call('POST', `/civil-affairs/verifications/${id}/answers/import`, {
        department: 'real-estate',
        file: `身份证号码,项目,金额（元）,说明\n${residentId('11010119900101123')},住房,,\n`,
      });
      expect(badFile.status).toBe(422);
      expect((badFile.body as { message: string }).message).toContain('第 2 行');
      const imported = await county.ok<Report>('POST', `/civil-affairs/verifications/${id}/answers/import`, {
        department: 'real-estate',
        file: `身份证号码,项目,金额（元）,说明\n${APPLICANT},城镇住房一套,,临河区 62㎡\n`,
      });
      expect(line(imported, 'real-estate')).toMatchObject({
        departmentName: '不动产登记机构',
        source: 'import',
        answer: { result: 'on_record', items: [{ idNumber: APPLICANT, item: '城镇住房一套' }] },
      });
      // A township may not import; the next county may not even read it.
      expect(
        (
          await township.call('POST', `/civil-affairs/verifications/${id}/answers/import`, {
            department: 'banks',
            file: '身份证号码,项目,金额（元）,说明\n',
          })
        ).status,
      ).toBe(403);
      const wuyuan = api.as(await api.login('wuyuan.civil'));
      expect((await wuyuan.call('GET', `/civil-affairs/verifications/${id}`)).status).toBe(403);

      // Reading the report is in civil affairs' access log with its purpose.
      const auditor = api.as(await api.login('city.auditor'));
      const log = await auditor.ok<Page<{ resourceType: string; purpose: string | null }>>(
        'GET',
        '/civil-affairs/referrals/-/access-log?pageSize=100',
      );
      expect(
        log.items.some((i) => i.resourceType === 'household-verification' && i.purpose === '低保审核'),
      ).toBe(true);
    });
  }, 240_000);
});
