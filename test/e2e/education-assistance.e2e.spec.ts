import { randomUUID } from 'node:crypto';
import { schemaOf } from '@platform/contracts';
import { PostgresEventStore, type EventMetadata } from '@platform/event-store';
import { eventually, requireDatabaseUrl, uniqueName } from '@platform/testing';
import pg from 'pg';
import { Api, openedRows, residentId, startService, type RunningService } from './harness.js';

interface ErrorBody {
  code: string;
  message: string;
}
interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
interface StudentView {
  studentId: string;
  name: string;
  idNumber: string;
  atSchool: boolean;
  record: Array<{
    kindName: string;
    from: string;
    stageName?: string;
    schoolName?: string;
    reasonName?: string;
  }>;
  grants: Array<{
    grantId: string;
    programmeName: string;
    stageName: string;
    schoolYearName: string;
    yearlyYuan: number;
    terms: Array<{ term: string; termName: string; startsOn: string; amountYuan: number; paid: boolean }>;
  }>;
  grantId?: string;
}
interface StudentItem {
  studentId: string;
  name: string;
  idNumber: string;
  atSchool: boolean;
  stageName: string;
  schoolName: string;
  grants: number;
  paidYuan: number;
  nextUnpaidOn: string | null;
  due: boolean;
}

interface RegisterItem {
  kind: string;
  kindName: string;
  studentName: string;
  idNumber: string;
  programmeName: string | null;
  stageName: string | null;
  schoolYearName: string | null;
  termName: string | null;
  amountYuan: number;
  date: string;
  leavingReasonName: string | null;
  schoolName: string;
  jurisdictionName: string;
}

const MASKED = /^\d{6}\*{8}\d{3}[\dX]$/;
const LINHE = '150802000000';
const CHEZHAN = '150802001000'; // 临河区车站街道
const school = { code: '2150802001', name: '临河区第八中学', jurisdictionCode: CHEZHAN };

let seq = 0;
/** A fresh valid resident ID born in 2008–2010 in 临河区. */
const id = (year = 2008) => residentId(`150802${year}0303${String(100 + ++seq).slice(-3)}`);

/**
 * Education assistance (教育救助) over HTTP, through apps/platform on the event-log transport: students'
 * school records, grants by stage and school year from the policy table, per-term disbursement that stops
 * once a student left school, the register and its lookup, a household verification answered from it;
 * Chinese refusals naming the field; another county's officer refused.
 */
describe('education assistance, end to end', () => {
  let platform: RunningService;
  let db: pg.Pool;
  let prefix: string;
  let api: Api;
  const who: Record<string, Api> = {};

  beforeAll(async () => {
    prefix = uniqueName('ed');
    platform = await startService('platform', {
      DATABASE_URL: requireDatabaseUrl(),
      DATABASE_SCHEMA_PREFIX: prefix,
      JWT_SECRET: 'e2e-secret-that-is-long-enough-for-hs256-0123456789',
      TRANSPORT: 'event-log',
      KAFKA_BROKERS: '',
      DATABASE_POOL_SIZE: '5',
    });
    db = new pg.Pool({ connectionString: requireDatabaseUrl(), max: 2 });
    api = new Api(platform.url);
    for (const user of ['linhe.education', 'wuyuan.education', 'linhe.housing', 'city.auditor']) {
      who[user] = api.as(await api.login(user));
    }
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    await db?.end();
  });

  const head = id(1978);
  const dropout = { idNumber: id(), name: '王小红' };
  const boarder = { idNumber: id(2012), name: '王小军' };
  const freshman = { idNumber: id(2007), name: '李大为' };
  const ids: Record<string, string> = {};

  const enrol = (student: { idNumber: string; name: string }, stage: string, from: string, boards = false) =>
    who['linhe.education']!.ok<StudentView>(
      'POST',
      '/education/students',
      { student, householdHeadIdNumber: head, stage, school, boarder: boards, from },
      201,
    );

  it('grants by stage and school year from the table, paid per term; nothing once the student left school', async () => {
    const officer = who['linhe.education']!;
    const a = await enrol(dropout, 'senior_secondary', '2024-09-01');
    ids.dropout = a.studentId;
    expect(a).toMatchObject({ name: '王小红', atSchool: true });
    expect(a.idNumber).toMatch(MASKED);
    expect(a.record[0]).toMatchObject({
      kindName: '在校',
      stageName: '普通高中',
      schoolName: '临河区第八中学',
    });

    const granted = await officer.ok<StudentView>(
      'POST',
      `/education/students/${a.studentId}/grants`,
      { programme: 'national_grant', schoolYear: 2025, documentNumber: '临教助〔2025〕15号' },
      201,
    );
    const grant = granted.grants.find((g) => g.grantId === granted.grantId)!;
    expect(grant).toMatchObject({
      programmeName: '国家助学金',
      stageName: '普通高中',
      schoolYearName: '2025—2026学年',
      yearlyYuan: 2_300,
    });
    expect(grant.terms.map((t) => [t.termName, t.startsOn, t.amountYuan, t.paid])).toEqual([
      ['秋季学期', '2025-09-01', 1_150, false],
      ['春季学期', '2026-03-01', 1_150, false],
    ]);
    const base = `/education/students/${a.studentId}/grants/${granted.grantId}/disbursements`;
    const paid = await officer.ok<StudentView>('POST', base, {
      term: 'autumn',
      paymentReference: 'FF-2025-autumn-001',
      paidOn: '2025-12-05',
    });
    expect(paid.grants[0]!.terms[0]).toMatchObject({ paid: true });
    // The bank's confirmation delivered twice pays once; another reference for the same term is refused.
    await officer.ok('POST', base, {
      term: 'autumn',
      paymentReference: 'FF-2025-autumn-001',
      paidOn: '2025-12-05',
    });
    const twice = await officer.call('POST', base, {
      term: 'autumn',
      paymentReference: 'FF-X',
      paidOn: '2025-12-05',
    });
    expect(twice.status).toBe(409);

    const left = await officer.ok<StudentView>('POST', `/education/students/${a.studentId}/leaving`, {
      leftOn: '2026-01-20',
      reason: 'dropped_out',
      note: '随父母外出务工',
    });
    expect(left.atSchool).toBe(false);
    expect(left.record.at(-1)).toMatchObject({ kindName: '离校', from: '2026-01-20', reasonName: '辍学' });
    const spring = await officer.call('POST', base, {
      term: 'spring',
      paymentReference: 'FF-2026-spring-001',
      paidOn: '2026-03-10',
    });
    expect(spring.status).toBe(409);
    expect((spring.body as ErrorBody).message).toBe(
      '不发放2025—2026学年春季学期国家助学金：学生已于 2026-01-20 离校（辍学）',
    );
    const nextYear = await officer.call('POST', `/education/students/${a.studentId}/grants`, {
      programme: 'national_grant',
      schoolYear: 2026,
      documentNumber: '临教助〔2026〕15号',
    });
    expect(nextYear.status).toBe(409);
    expect((nextYear.body as ErrorBody).message).toContain('学生已于 2026-01-20 离校');
  });

  it('a boarder’s living allowance by stage; a term is paid once it has started; university entrance aid once', async () => {
    const officer = who['linhe.education']!;
    const b = await enrol(boarder, 'junior_secondary', '2025-09-01', true);
    ids.boarder = b.studentId;
    const granted = await officer.ok<StudentView>(
      'POST',
      `/education/students/${b.studentId}/grants`,
      { programme: 'boarding_living_allowance', schoolYear: 2026, documentNumber: '临教助〔2026〕21号' },
      201,
    );
    expect(granted.grants[0]).toMatchObject({
      programmeName: '义务教育家庭经济困难寄宿生生活补助',
      yearlyYuan: 1_250,
    });
    expect(granted.grants[0]!.terms.map((t) => t.amountYuan)).toEqual([625, 625]);
    const base = `/education/students/${b.studentId}/grants/${granted.grantId}/disbursements`;
    await officer.ok('POST', base, {
      term: 'autumn',
      paymentReference: 'FF-2026-autumn-021',
      paidOn: '2026-10-10',
    });
    const early = await officer.call('POST', base, {
      term: 'spring',
      paymentReference: 'FF-2027-spring-021',
      paidOn: '2026-10-10',
    });
    expect(early.status).toBe(409);
    expect((early.body as ErrorBody).message).toBe('term：春季学期自 2027-03-01 开始，开学后方可发放');
    const wrongStage = await officer.call('POST', `/education/students/${b.studentId}/grants`, {
      programme: 'tuition_waiver',
      schoolYear: 2026,
      documentNumber: '临教助〔2026〕22号',
    });
    expect(wrongStage.status).toBe(409);
    expect((wrongStage.body as ErrorBody).message).toContain('免学费适用于普通高中、中等职业教育');

    const c = await enrol(freshman, 'university', '2026-09-01');
    ids.freshman = c.studentId;
    const noPlace = await officer.call('POST', `/education/students/${c.studentId}/grants`, {
      programme: 'university_entrance_aid',
      schoolYear: 2026,
      documentNumber: '临教助〔2026〕30号',
    });
    expect(noPlace.status).toBe(422);
    expect((noPlace.body as ErrorBody).message).toContain('universityLocation（录取院校所在地应为');
    const aid = await officer.ok<StudentView>(
      'POST',
      `/education/students/${c.studentId}/grants`,
      {
        programme: 'university_entrance_aid',
        schoolYear: 2026,
        documentNumber: '临教助〔2026〕30号',
        universityLocation: 'outside_region',
      },
      201,
    );
    expect(aid.grants[0]!.terms.map((t) => [t.termName, t.amountYuan])).toEqual([['秋季学期', 1_000]]);
    await officer.ok('POST', `/education/students/${c.studentId}/grants/${aid.grantId}/disbursements`, {
      term: 'autumn',
      paymentReference: 'FF-2026-entrance-030',
      paidOn: '2026-09-15',
    });
  });

  it('refuses bad input in Chinese, naming the field', async () => {
    const officer = who['linhe.education']!;
    const bad = await officer.call('POST', `/education/students/${ids.boarder}/grants`, {
      programme: 'free_lunch',
      schoolYear: 1999,
      documentNumber: '',
    });
    expect(bad.status).toBe(422);
    const message = (bad.body as ErrorBody).message;
    expect(message).toContain('programme（资助项目应为');
    expect(message).toContain('schoolYear（学年不能早于2000年）');
    expect(message).toContain('documentNumber（资助文号不能为空）');
    const place = await officer.call('POST', '/education/students', {
      student: { idNumber: id(), name: '张三' },
      stage: 'primary',
      school: { ...school, jurisdictionCode: '150802999000' },
      boarder: false,
      from: '2026-09-01',
    });
    expect(place.status).toBe(422);
    expect((place.body as ErrorBody).message).toMatch(/^school\.jurisdictionCode：150802999000 不是已登记的/);
    const day = await officer.call('POST', `/education/students/${ids.boarder}/leaving`, {
      leftOn: '2026-02-30',
      reason: 'graduated',
    });
    expect(day.status).toBe(422);
    expect((day.body as ErrorBody).message).toBe('leftOn：离校日期应为有效日期（YYYY-MM-DD）');
    const unknown = await officer.call('GET', `/education/students/${'0'.repeat(32)}`);
    expect(unknown.status).toBe(404);
  });

  it('keeps the register: the aid paid in the jurisdiction a page at a time, looked up by the household’s members', async () => {
    const officer = who['linhe.education']!;
    const page = await eventually(
      async () => {
        const p = await officer.ok<Page<RegisterItem>>('GET', '/education/register?pageSize=2');
        return p.total === 3 ? p : undefined;
      },
      { what: 'three payments on the register', timeoutMs: 15_000 },
    );
    expect(page.items.map((i) => [i.studentName, i.programmeName, i.amountYuan, i.termName])).toEqual([
      ['王小军', '义务教育家庭经济困难寄宿生生活补助', 625, '秋季学期'],
      ['李大为', '大学新生入学资助', 1_000, '秋季学期'],
    ]);
    expect(page.items.every((i) => MASKED.test(i.idNumber))).toBe(true);
    expect(page.items[0]!.jurisdictionName).toContain('车站街道');
    const second = await officer.ok<Page<RegisterItem>>('GET', '/education/register?page=2&pageSize=2');
    expect(second.items.map((i) => [i.studentName, i.amountYuan, i.schoolYearName])).toEqual([
      ['王小红', 1_150, '2025—2026学年'],
    ]);

    const found = await officer.ok<{ items: RegisterItem[] }>('POST', '/education/register/lookup', {
      idNumbers: [head, dropout.idNumber, boarder.idNumber],
      purpose: '低保申请家庭经济状况核对',
    });
    expect(
      found.items.map((i) => [i.studentName, i.kindName, i.amountYuan, i.leavingReasonName, i.idNumber]),
    ).toEqual([
      ['王小红', '资助发放', 1_150, null, dropout.idNumber],
      ['王小红', '离校', 0, '辍学', dropout.idNumber],
      ['王小军', '资助发放', 625, null, boarder.idNumber],
    ]);
    // Auditors read everything; another county's officer sees nothing of 临河区's.
    expect((await who['city.auditor']!.ok<Page<RegisterItem>>('GET', '/education/register')).total).toBe(3);
    expect((await who['wuyuan.education']!.ok<Page<RegisterItem>>('GET', '/education/register')).total).toBe(
      0,
    );
  });

  it('lists the students of the county’s schools, masked, those with a term to pay first', async () => {
    const officer = who['linhe.education']!;
    const all = await eventually(
      async () => {
        const p = await officer.ok<Page<StudentItem>>('GET', '/education/students');
        return p.total === 3 ? p : undefined;
      },
      { what: 'three students listed', timeoutMs: 15_000 },
    );
    const byId = new Map(all.items.map((i) => [i.studentId, i]));
    expect(byId.get(ids.dropout!)).toMatchObject({
      name: '王*红',
      atSchool: false,
      stageName: '普通高中',
      schoolName: '临河区第八中学',
      paidYuan: 1_150,
      // Her spring term began after she left: it is never paid, so it is not waiting.
      nextUnpaidOn: null,
      due: false,
    });
    expect(byId.get(ids.boarder!)).toMatchObject({ name: '王*军', atSchool: true, grants: 1, paidYuan: 625 });
    expect(all.items.every((i) => MASKED.test(i.idNumber))).toBe(true);
    expect(all.items[0]!.nextUnpaidOn).not.toBeNull();

    const left = await officer.ok<Page<StudentItem>>('GET', '/education/students?status=left');
    expect(left.items.map((i) => i.studentId)).toEqual([ids.dropout]);
    const found = await officer.ok<Page<StudentItem>>(
      'GET',
      `/education/students?student=${encodeURIComponent(boarder.idNumber)}`,
    );
    expect(found.items.map((i) => i.studentId)).toEqual([ids.boarder]);
    const paged = await officer.ok<Page<StudentItem>>('GET', '/education/students?page=2&pageSize=2');
    expect(paged).toMatchObject({ total: 3, page: 2 });
    expect(paged.items).toHaveLength(1);
    const bad = await officer.call('GET', '/education/students?due=maybe');
    expect(bad.status).toBe(422);
    expect((bad.body as ErrorBody).message).toContain('待发放应为 true 或 false');
    // Another county sees none, and may not ask by 临河区's code; other departments may not list.
    expect((await who['wuyuan.education']!.ok<Page<StudentItem>>('GET', '/education/students')).total).toBe(
      0,
    );
    const other = await who['wuyuan.education']!.call(
      'GET',
      '/education/students?jurisdictionCode=150802000000',
    );
    expect(other.status).toBe(403);
    expect((await who['linhe.housing']!.call('GET', '/education/students')).status).toBe(403);
    expect((await who['city.auditor']!.ok<Page<StudentItem>>('GET', '/education/students')).total).toBe(3);
  });

  it('refuses an officer of another county, and roles other than education', async () => {
    const wuyuan = who['wuyuan.education']!;
    const view = await wuyuan.call('GET', `/education/students/${ids.boarder}`);
    expect(view.status).toBe(403);
    expect(view.body).toMatchObject({ code: 'OUT_OF_JURISDICTION' });
    expect((view.body as ErrorBody).message).toContain('不在您的辖区');
    const grant = await wuyuan.call('POST', `/education/students/${ids.boarder}/grants`, {
      programme: 'boarding_living_allowance',
      schoolYear: 2027,
      documentNumber: '五教助〔2027〕1号',
    });
    expect(grant.status).toBe(403);
    const enrolHere = await wuyuan.call('POST', '/education/students', {
      student: { idNumber: id(), name: '赵四' },
      stage: 'primary',
      school,
      boarder: false,
      from: '2026-09-01',
    });
    expect(enrolHere.status).toBe(403);
    const lookup = await wuyuan.ok<{ items: unknown[] }>('POST', '/education/register/lookup', {
      idNumbers: [boarder.idNumber],
    });
    expect(lookup.items).toEqual([]);
    const housing = await who['linhe.housing']!.call('GET', '/education/register');
    expect(housing.status).toBe(403);
    // The officer of the student's county sees the full record (and the view is recorded).
    const full = await who['linhe.education']!.ok<StudentView>(
      'GET',
      `/education/students/${ids.boarder}?purpose=核对`,
    );
    expect(full.idNumber).toBe(boarder.idNumber);
  });

  it('answers civil affairs’ household verification from the register', async () => {
    const civilAffairs = new PostgresEventStore({ pool: db, schema: schemaOf('civil-affairs', prefix) });
    const verificationId = randomUUID();
    const metadata: EventMetadata = {
      actor: {
        id: 'u-ca-linhe',
        role: 'county_civil_affairs',
        department: 'civil-affairs',
        jurisdiction: LINHE,
      },
      correlationId: randomUUID(),
      causationId: null,
      occurredAt: new Date().toISOString(),
    };
    const clock = new Date();
    const asOf = new Date(clock.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    // What civil affairs would publish, written to its log as its relay would find it.
    await civilAffairs.appendToStream(
      `verification-${verificationId}`,
      [
        {
          type: 'civil-affairs.VerificationRequested',
          data: {
            verificationId,
            caseId: null,
            applicationId: null,
            countyCode: LINHE,
            members: [
              { idNumber: head, relationship: '本人' },
              { idNumber: dropout.idNumber, relationship: '子女' },
              { idNumber: boarder.idNumber, relationship: '子女' },
            ],
            authorisation: { reference: 'SQ-2026-002', signedOn: '2026-11-20' },
            asOf,
            dueAt: new Date(clock.getTime() + 86_400_000).toISOString(),
            at: clock.toISOString(),
          },
          metadata,
        },
      ],
      { expectedVersion: 'no_stream' },
    );
    const answer = await eventually(
      async () => {
        const { rows } = await db.query<{ data: { answer: unknown } }>(
          `SELECT data FROM "${schemaOf('education', prefix)}".events WHERE event_type = 'education.VerificationAnswered' AND data->>'verificationId' = $1`,
          [verificationId],
        );
        // The answer names the members: stored sealed, opened as the department reads it.
        return (await openedRows(db, prefix, rows))[0]?.data.answer;
      },
      { what: 'education’s answer', timeoutMs: 15_000 },
    );
    expect(answer).toMatchObject({
      department: 'education',
      result: 'on_record',
      asOf,
      members: [
        { idNumber: head, onRecord: false },
        {
          idNumber: dropout.idNumber,
          onRecord: true,
          atSchool: false,
          stage: 'senior_secondary',
          aidReceivedYuan: 1_150,
          byProgramme: [{ programme: 'national_grant', amountYuan: 1_150 }],
        },
        {
          idNumber: boarder.idNumber,
          onRecord: true,
          atSchool: true,
          stage: 'junior_secondary',
          aidReceivedYuan: 625,
        },
      ],
    });
  });
});
