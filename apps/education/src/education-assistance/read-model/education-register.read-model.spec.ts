import { verificationAnswerSchemas } from '@platform/contracts';
import {
  eventStoreMigrations,
  PostgresEventStore,
  runMigrations,
  withTransaction,
  type EventMetadata,
} from '@platform/event-store';
import { INITIAL_EDUCATION_ASSISTANCE, type EducationAssistanceTable } from '@platform/policy';
import { ProjectionRunner, readModelDataSource, runReadModelMigrations } from '@platform/read-model';
import { dropSchema, eventually, testPool, uniqueName } from '@platform/testing';
import type { DataSource } from 'typeorm';
import {
  educationAssistanceDecider,
  type EducationAssistanceCommand,
  type Programme,
  type Stage,
  type Student,
  type Term,
} from '../domain/education-assistance.decider.js';
import type { Officer, TableVersion } from '../domain/values.js';
import { EducationRegisterAnswerer } from './education-register.answerer.js';
import { EducationRegisterEntryRow } from './education-register.entities.js';
import { EducationStudentRow } from './education-students.entities.js';
import { EducationStudentsQuery } from './education-students.query.js';
import { educationRegisterProjection } from './education-register.projection.js';
import { EducationRegisterQuery } from './education-register.query.js';
import { educationRegisterReadModel } from './education-register.read-model.js';

const officer: Officer = { id: 'u-edu-linhe', name: '赵丽', role: 'education_officer' };
const table: TableVersion<EducationAssistanceTable> = {
  version: 1,
  effectiveFrom: '2020-01-01',
  content: INITIAL_EDUCATION_ASSISTANCE,
};
const metadata: EventMetadata = {
  actor: { id: officer.id, role: officer.role, department: 'education', jurisdiction: '150802000000' },
  correlationId: '0190a4c4-0000-7000-8000-000000000001',
  causationId: null,
  occurredAt: '2026-11-02T02:00:00.000Z',
};
const t = (day: string) => new Date(`${day}T10:00:00+08:00`).toISOString();
const person = (n: number) => `15080220100101${String(n).padStart(3, '0')}X`;
const student = (n: number): Student => ({ idNumber: person(n), name: `学生${n}`, householdId: person(900) });

const LINHE_SCHOOL = { code: '2150802001', name: '临河区第八中学', jurisdictionCode: '150802001000' };
const WUYUAN_SCHOOL = { code: '2150821001', name: '五原县第一中学', jurisdictionCode: '150821000000' };

/**
 * The education register against PostgreSQL: one row per term paid and per leaving (the domain's fold of
 * each event), listed by the school's jurisdiction, looked up by ID number through its index; the
 * verification answerer reads it with what the projection has not applied yet, on the caller's transaction.
 */
describe('education register read model', () => {
  const pool = testPool(6);
  const schema = uniqueName('education_rm');
  let dataSource: DataSource;
  let store: PostgresEventStore;
  let query: EducationRegisterQuery;
  let runner: ProjectionRunner;

  /** Decides the commands on the student's stream and appends what is new. */
  async function run(n: number, commands: EducationAssistanceCommand[]): Promise<void> {
    const stream = `education-assistance-s${n}`;
    const d = educationAssistanceDecider;
    const existing = await store.readStream(stream);
    let state = existing.reduce(
      (s, e) => d.evolve(s, { type: e.type, data: e.data } as Parameters<typeof d.evolve>[1]),
      d.initialState(),
    );
    const events = [];
    for (const c of commands) {
      const decided = d.decide(c, state);
      state = decided.reduce(d.evolve, state);
      events.push(...decided);
    }
    await store.appendToStream(
      stream,
      events.map((e) => ({ type: e.type, data: e.data, metadata })),
      { expectedVersion: existing.length === 0 ? 'no_stream' : existing.length },
    );
  }
  const enrol = (
    n: number,
    stage: Stage,
    from: string,
    school = LINHE_SCHOOL,
  ): EducationAssistanceCommand => ({
    type: 'RecordEnrolment',
    student: student(n),
    stage,
    school,
    boarder: true,
    from,
    officer,
    now: t(from),
  });
  const grant = (programme: Programme, schoolYear: number): EducationAssistanceCommand => ({
    type: 'GrantAid',
    grantId: `ZZ-${schoolYear}-${programme}`,
    programme,
    schoolYear,
    documentNumber: `临教助〔${schoolYear}〕15号`,
    universityLocation: null,
    table,
    officer,
    now: t(`${schoolYear}-08-20`),
  });
  const pay = (
    programme: Programme,
    schoolYear: number,
    term: Term,
    paidOn: string,
  ): EducationAssistanceCommand => ({
    type: 'DisburseTerm',
    grantId: `ZZ-${schoolYear}-${programme}`,
    term,
    paymentReference: `FF-${schoolYear}-${term}-${programme}`,
    paidOn,
    officer,
    now: t(paidOn),
  });

  beforeAll(async () => {
    await runMigrations(pool, schema, eventStoreMigrations);
    await runReadModelMigrations(pool, schema, educationRegisterReadModel.migrations);
    dataSource = await readModelDataSource({
      pool,
      schema,
      entities: educationRegisterReadModel.entities,
    }).initialize();
    store = new PostgresEventStore({ pool, schema });
    query = new EducationRegisterQuery(dataSource);
    runner = new ProjectionRunner({
      dataSource,
      store,
      projection: educationRegisterProjection(store),
      pollIntervalMs: 20,
    });

    // A boarder in junior secondary, paid both terms of 2025—2026.
    await run(1, [
      enrol(1, 'junior_secondary', '2024-09-01'),
      grant('boarding_living_allowance', 2025),
      pay('boarding_living_allowance', 2025, 'autumn', '2025-10-10'),
      pay('boarding_living_allowance', 2025, 'spring', '2026-03-10'),
    ]);
    // Senior secondary: the national grant's autumn term, then she left school in January.
    await run(2, [
      enrol(2, 'senior_secondary', '2025-09-01'),
      grant('national_grant', 2025),
      pay('national_grant', 2025, 'autumn', '2025-10-10'),
      {
        type: 'RecordLeaving',
        leftOn: '2026-01-20',
        reason: 'dropped_out',
        note: '',
        officer,
        now: t('2026-01-21'),
      },
    ]);
    // Another county's school.
    await run(3, [
      enrol(3, 'senior_secondary', '2025-09-01', WUYUAN_SCHOOL),
      grant('tuition_waiver', 2025),
      pay('tuition_waiver', 2025, 'autumn', '2025-10-12'),
    ]);
    await runner.start();
    await eventually(
      async () =>
        (await dataSource.getRepository(EducationRegisterEntryRow).count()) === 5 ? true : undefined,
      { what: 'five register rows' },
    );
  }, 60_000);

  afterAll(async () => {
    await runner?.stop();
    await dataSource?.destroy();
    await dropSchema(pool, schema);
    await pool.end();
  });

  it('puts one row per term paid and per leaving, with the school and its county', async () => {
    const rows = await query.byPeople([person(1), person(2), person(3)], null);
    expect(
      rows.map((r) => [r.personName, r.kind, r.programme, r.date, r.amountFen, r.term, r.countyCode]),
    ).toEqual([
      ['学生1', 'aid', 'boarding_living_allowance', '2025-10-10', 62_500, 'autumn', '150802000000'],
      ['学生2', 'aid', 'national_grant', '2025-10-10', 115_000, 'autumn', '150802000000'],
      ['学生3', 'aid', 'tuition_waiver', '2025-10-12', 50_000, 'autumn', '150821000000'],
      ['学生2', 'left_school', null, '2026-01-20', 0, null, '150802000000'],
      ['学生1', 'aid', 'boarding_living_allowance', '2026-03-10', 62_500, 'spring', '150802000000'],
    ]);
    expect(rows[3]).toMatchObject({ leavingReason: 'dropped_out', schoolName: '临河区第八中学' });
    expect(rows[0]).toMatchObject({
      stage: 'junior_secondary',
      schoolYear: 2025,
      termStartsOn: '2025-09-01',
      grantId: 'ZZ-2025-boarding_living_allowance',
      townshipCode: '150802001000',
      householdId: person(900),
    });
  });

  it('lists the aid paid in a jurisdiction, newest first, a page at a time, by programme and school year', async () => {
    const linhe = { code: '150802000000', level: 'county' as const };
    const page = await query.list({ scope: linhe, page: 1, pageSize: 2 });
    expect(page.total).toBe(3);
    expect(page.rows.map((r) => [r.personName, r.date])).toEqual([
      ['学生1', '2026-03-10'],
      ['学生2', '2025-10-10'],
    ]);
    expect((await query.list({ scope: linhe, page: 2, pageSize: 2 })).rows).toHaveLength(1);
    expect((await query.list({ scope: null, page: 1, pageSize: 20 })).total).toBe(4);
    const wuyuan = await query.list({
      scope: { code: '150821000000', level: 'county' },
      page: 1,
      pageSize: 20,
    });
    expect(wuyuan.rows.map((r) => r.personName)).toEqual(['学生3']);
    const grants = await query.list({
      scope: linhe,
      programme: 'national_grant',
      schoolYear: 2025,
      page: 1,
      pageSize: 20,
    });
    expect(grants.rows.map((r) => r.personName)).toEqual(['学生2']);
    const spring = await query.list({
      scope: linhe,
      from: '2026-01-01',
      to: '2026-12-31',
      page: 1,
      pageSize: 20,
    });
    expect(spring.rows.map((r) => r.term)).toEqual(['spring']);
  });

  it('looks people up through the index on the ID number, within a scope', async () => {
    expect(await query.byPeople([person(3)], { code: '150802000000', level: 'county' })).toEqual([]);
    const plan = await withTransaction(pool, async (tx) => {
      await tx.query('SET LOCAL enable_seqscan = off');
      const { rows } = await tx.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT * FROM "${schema}".education_register_entries WHERE person_id_number = ANY($1::text[])`,
        [[person(1)]],
      );
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('education_register_person');
  });

  it('lists the students as their streams stand: at school or left, paid, the first term granted and unpaid', async () => {
    const students = new EducationStudentsQuery(dataSource);
    const all = await students.list({ scope: null, page: 1, pageSize: 20 });
    expect(
      all.rows
        .map((r) => [r.studentId, r.name, r.atSchool, r.stage, r.grants, r.paidFen, r.countyCode])
        .sort(),
    ).toEqual([
      ['s1', '学生1', true, 'junior_secondary', 1, 125_000, '150802000000'],
      ['s2', '学生2', false, 'senior_secondary', 1, 115_000, '150802000000'],
      ['s3', '学生3', true, 'senior_secondary', 1, 50_000, '150821000000'],
    ]);
    // Terms to pay first; nothing left to pay after. The spring term of a student who left in January
    // will never be paid: it is not waiting.
    expect(all.rows[0]).toMatchObject({ studentId: 's3' });
    expect(all.rows.find((r) => r.studentId === 's2')).toMatchObject({ nextUnpaidOn: null });
    expect(all.rows.find((r) => r.studentId === 's1')).toMatchObject({ nextUnpaidOn: null });
    const spring = all.rows[0]!.nextUnpaidOn;
    expect(spring).toMatch(/^2026-0[23]-\d{2}$/);
    const linhe = { code: '150802000000', level: 'county' as const };
    const list = (f: Partial<Parameters<typeof students.list>[0]>) =>
      students
        .list({ scope: linhe, page: 1, pageSize: 20, ...f })
        .then((r) => r.rows.map((x) => x.studentId));
    expect((await list({})).sort()).toEqual(['s1', 's2']);
    expect(await list({ atSchool: false })).toEqual(['s2']);
    expect(await list({ dueBy: spring! })).toEqual([]);
    expect(await list({ scope: null, dueBy: spring! })).toEqual(['s3']);
    expect(await list({ dueBy: '2026-01-31' })).toEqual([]);
    expect(await list({ student: '学生1' })).toEqual(['s1']);
    expect(await list({ student: '%' })).toEqual([]);
    expect(await list({ student: person(3) })).toEqual([]);
    expect(await list({ scope: null, student: person(3).toLowerCase() })).toEqual(['s3']);
  });

  it('fills the students list again from the log when its checkpoint is forgotten, the register unchanged', async () => {
    const rows = dataSource.getRepository(EducationStudentRow);
    const registerBefore = await dataSource.getRepository(EducationRegisterEntryRow).count();
    await runner.stop();
    await rows.clear();
    await pool.query(
      `DELETE FROM "${schema}".projection_checkpoints WHERE projection = 'education-register'`,
    );
    await runner.start();
    await eventually(async () => ((await rows.count()) === 3 ? true : undefined), { what: 'three students' });
    await runner.caughtUp();
    expect(await dataSource.getRepository(EducationRegisterEntryRow).count()).toBe(registerBefore);
  });

  it('applies a batch again without a second row', async () => {
    const events = (await store.readStream('education-assistance-s1')).slice(-1);
    await dataSource.transaction((manager) => educationRegisterProjection(store).apply(events, manager));
    expect((await query.byPeople([person(1)], null)).length).toBe(2);
  });

  it('answers a verification from the register and what is not projected yet, on the caller’s transaction', async () => {
    const answerer = new EducationRegisterAnswerer(schema);
    const asked = [person(1), person(2), person(77)];
    const answer = await withTransaction(pool, (tx) =>
      answerer.answer({ memberIdNumbers: asked, asOf: '2026-06-30' }, tx),
    );
    expect(verificationAnswerSchemas.education.parse(answer)).toEqual(answer);
    expect(answer).toEqual({
      department: 'education',
      result: 'on_record',
      asOf: '2026-06-30',
      period: { from: '2025-07-01', to: '2026-06-30' },
      members: [
        {
          idNumber: person(1),
          onRecord: true,
          atSchool: true,
          stage: 'junior_secondary',
          aidReceivedYuan: 1_250,
          byProgramme: [{ programme: 'boarding_living_allowance', amountYuan: 1_250 }],
        },
        {
          idNumber: person(2),
          onRecord: true,
          atSchool: false,
          stage: 'senior_secondary',
          aidReceivedYuan: 1_150,
          byProgramme: [{ programme: 'national_grant', amountYuan: 1_150 }],
        },
        { idNumber: person(77), onRecord: false },
      ],
    });

    // The projection stopped: a leaving recorded now is in the answer already.
    await runner.stop();
    await run(1, [
      {
        type: 'RecordLeaving',
        leftOn: '2026-06-20',
        reason: 'transferred_out',
        note: '',
        officer,
        now: t('2026-06-21'),
      },
    ]);
    const after = await withTransaction(pool, (tx) =>
      answerer.answer({ memberIdNumbers: [person(1)], asOf: '2026-06-30' }, tx),
    );
    expect(after).toMatchObject({
      members: [{ idNumber: person(1), atSchool: false, aidReceivedYuan: 1_250 }],
    });
    await runner.start();
    await eventually(
      async () => ((await query.byPeople([person(1)], null)).length === 3 ? true : undefined),
      {
        what: 'the leaving projected',
      },
    );
    expect(
      await withTransaction(pool, (tx) =>
        answerer.answer({ memberIdNumbers: [person(1)], asOf: '2026-06-30' }, tx),
      ),
    ).toEqual(after);
  });
});
