import { DomainError } from '@platform/contracts';
import {
  eventStoreMigrations,
  PostgresEventStore,
  runMigrations,
  type EventMetadata,
} from '@platform/event-store';
import { dropSchema, eventually, testPool, uniqueName } from '@platform/testing';
import { SHIPPED_CALENDAR } from '../data/calendar.data.js';
import {
  INITIAL_DEADLINES,
  INITIAL_DISEASE_EMERGENCY,
  INITIAL_EDUCATION_ASSISTANCE,
  INITIAL_HOUSEHOLD_VERIFICATION,
  INITIAL_URGENT_ASSISTANCE,
  INITIAL_ESCALATION,
  INITIAL_ON_CALL,
  INITIAL_HOUSING_ASSISTANCE,
  INITIAL_MEDICAL_ASSISTANCE,
} from '../data/defaults.data.js';
import { POLICY_TABLE_NAMES, POLICY_TABLES, type PolicyTableName } from '../domain/policy-tables.js';
import { PolicyTables, policyStream } from './policy-tables.js';

const admin: EventMetadata = {
  actor: { id: 'u-admin', role: 'admin', department: 'platform', jurisdiction: '150800000000' },
  correlationId: 'c',
  causationId: null,
  occurredAt: '2026-11-27T00:00:00.000Z',
};
const cst = (iso: string) => new Date(`${iso}+08:00`);

describe('policy tables', () => {
  const pool = testPool(8);
  const schemas: string[] = [];
  let clock = cst('2026-11-27T10:00:00');
  const started: PolicyTables[] = [];

  async function fresh(): Promise<{ schema: string; open: () => Promise<PolicyTables> }> {
    const schema = uniqueName('policy');
    schemas.push(schema);
    await runMigrations(pool, schema, eventStoreMigrations);
    const open = async () => {
      const tables = new PolicyTables({
        store: new PostgresEventStore({ pool, schema }),
        pool,
        now: () => clock,
        pollIntervalMs: 50,
      });
      started.push(tables);
      return tables;
    };
    return { schema, open };
  }

  beforeEach(() => {
    clock = cst('2026-11-27T10:00:00');
  });

  afterAll(async () => {
    for (const t of started) await t.stop();
    for (const s of schemas) await dropSchema(pool, s);
    await pool.end();
  });

  it('a new database gets version 1 of every table once, however many services start together', async () => {
    const { schema, open } = await fresh();
    const services = await Promise.all([open(), open(), open()]);
    const seeded = await Promise.all(services.map((s) => s.seed()));
    expect(seeded.flat().sort()).toEqual([...POLICY_TABLE_NAMES].sort());
    const store = new PostgresEventStore({ pool, schema });
    for (const table of POLICY_TABLE_NAMES) {
      const events = await store.readStream(policyStream(table));
      expect(events.map((e) => [e.type, (e.data as { version: number }).version])).toEqual([
        ['policy.PolicyTableChanged', 1],
      ]);
      expect(events[0]!.metadata.actor.id).toBe('system');
    }
    expect(await services[0]!.seed()).toEqual([]);
  });

  it('reads a table as of any day across a change effective in the future, and a correction', async () => {
    const { open } = await fresh();
    const policy = await open();
    await policy.seed();
    await policy.start();
    const stricter = {
      ...INITIAL_DEADLINES,
      medical: {
        normal: { acknowledgeDays: 1, decideDays: 3 },
        urgent: { acknowledgeDays: 1, decideDays: 2 },
      },
    };
    const v2 = await policy.change(
      'deadlines',
      { content: stricter, effectiveFrom: '2027-01-01', reason: '市政府 2026 年第 9 号通知' },
      admin,
    );
    expect(v2.version).toBe(2);
    expect(policy.asOf('deadlines', '2026-12-31').version).toBe(1);
    expect(policy.asOf('deadlines', '2027-01-01').content.medical!.normal.decideDays).toBe(3);
    // The instant 2026-12-31 23:30 in Beijing is still 2026 there.
    expect(policy.asOf('deadlines', cst('2026-12-31T23:30:00')).version).toBe(1);
    expect(policy.asOf('deadlines', cst('2027-01-01T00:00:00')).version).toBe(2);
    // A correction effective the same day supersedes version 2 without erasing it.
    const corrected = {
      ...stricter,
      medical: { ...stricter.medical, normal: { acknowledgeDays: 1, decideDays: 4 } },
    };
    await policy.change(
      'deadlines',
      { content: corrected, effectiveFrom: '2027-01-01', reason: '更正：期限为 4 个工作日' },
      admin,
    );
    expect(policy.asOf('deadlines', '2027-06-01')).toMatchObject({
      version: 3,
      reason: '更正：期限为 4 个工作日',
    });
    expect(policy.history('deadlines').map((v) => v.version)).toEqual([1, 2, 3]);
    // Before the first version there is no rule at all: a refusal, never a guess.
    expect(() => policy.asOf('deadlines', '2019-12-31')).toThrow(/没有生效的版本/);
  });

  it('refuses invalid content, a missing reason and the same change twice, appending nothing', async () => {
    const { schema, open } = await fresh();
    const policy = await open();
    await policy.seed();
    await policy.start();
    const refusal = async (f: () => Promise<unknown>) => {
      try {
        await f();
        return 'accepted';
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError);
        return `${(e as DomainError).status} ${(e as DomainError).message}`;
      }
    };
    expect(
      await refusal(() =>
        policy.change(
          'deadlines',
          {
            content: { ...INITIAL_DEADLINES, medical: { normal: { acknowledgeDays: 0, decideDays: 5 } } },
            effectiveFrom: '2027-01-01',
            reason: '测试无效内容',
          },
          admin,
        ),
      ),
    ).toMatch(/^422 content\.medical\./);
    expect(
      await refusal(() =>
        policy.change(
          'deadlines',
          { content: INITIAL_DEADLINES, effectiveFrom: '2027-01-01', reason: '短' },
          admin,
        ),
      ),
    ).toMatch(/^422 reason：/);
    expect(
      await refusal(() =>
        policy.change(
          'deadlines',
          { content: INITIAL_DEADLINES, effectiveFrom: '2027-13-45', reason: '日期不对的调整' },
          admin,
        ),
      ),
    ).toMatch(/^422 effectiveFrom：/);
    const { ['*']: _all, ...withoutFallback } = INITIAL_DEADLINES;
    expect(
      await refusal(() =>
        policy.change(
          'deadlines',
          { content: withoutFallback, effectiveFrom: '2027-01-01', reason: '去掉通用期限' },
          admin,
        ),
      ),
    ).toMatch(/^422 .*通用期限/);
    await policy.change(
      'materials',
      { content: { other: ['身份证'] }, effectiveFrom: '2027-01-01', reason: '精简材料清单' },
      admin,
    );
    expect(
      await refusal(() =>
        policy.change(
          'materials',
          { content: { other: ['身份证'] }, effectiveFrom: '2027-01-01', reason: '精简材料清单' },
          admin,
        ),
      ),
    ).toMatch(/^409 /);
    const store = new PostgresEventStore({ pool, schema });
    expect((await store.readStream(policyStream('deadlines'))).length).toBe(1);
    expect((await store.readStream(policyStream('materials'))).length).toBe(2);
  });

  it("the departments' tables: the seeded defaults validate and are in force; wrong values are refused", async () => {
    const { open } = await fresh();
    const policy = await open();
    await policy.seed();
    await policy.start();
    const defaults: Array<[PolicyTableName, unknown]> = [
      ['medical-assistance', INITIAL_MEDICAL_ASSISTANCE],
      ['disease-emergency', INITIAL_DISEASE_EMERGENCY],
      ['housing-assistance', INITIAL_HOUSING_ASSISTANCE],
      ['education-assistance', INITIAL_EDUCATION_ASSISTANCE],
      ['household-verification', INITIAL_HOUSEHOLD_VERIFICATION],
      ['urgent-assistance', INITIAL_URGENT_ASSISTANCE],
      ['escalation', INITIAL_ESCALATION],
      ['on-call', INITIAL_ON_CALL],
    ];
    for (const [table, content] of defaults) {
      expect(POLICY_TABLES[table].schema.safeParse(content).success).toBe(true);
      expect(policy.asOf(table, '2026-11-27')).toMatchObject({
        version: 1,
        effectiveFrom: '2020-01-01',
        content,
      });
    }
    const refusal = async (table: PolicyTableName, content: unknown) => {
      try {
        await policy.change(table, { content, effectiveFrom: '2027-01-01', reason: '测试无效内容' }, admin);
        return 'accepted';
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError);
        return `${(e as DomainError).status} ${(e as DomainError).message}`;
      }
    };
    const medical = (dibao: object) => ({
      categories: {
        ...INITIAL_MEDICAL_ASSISTANCE.categories,
        dibao: { ...INITIAL_MEDICAL_ASSISTANCE.categories.dibao, ...dibao },
      },
    });
    expect(await refusal('medical-assistance', medical({ ratioPercent: 101 }))).toMatch(
      /^422 content\.categories\.dibao\.ratioPercent：比例不超过 100%/,
    );
    expect(await refusal('medical-assistance', medical({ ratioPercent: 70.5 }))).toMatch(
      /^422 content\.categories\.dibao\.ratioPercent：/,
    );
    expect(await refusal('medical-assistance', medical({ annualCapYuan: -1 }))).toMatch(
      /^422 content\.categories\.dibao\.annualCapYuan：金额不能为负/,
    );
    const { other: _other, ...withoutOther } = INITIAL_MEDICAL_ASSISTANCE.categories;
    expect(await refusal('medical-assistance', { categories: withoutOther })).toMatch(
      /^422 content\.categories\.other：/,
    );
    expect(await refusal('disease-emergency', { capPerCaseYuan: -1 })).toMatch(
      /^422 content\.capPerCaseYuan：/,
    );
    const housing = INITIAL_HOUSING_ASSISTANCE;
    expect(
      await refusal('housing-assistance', {
        ...housing,
        publicRental: { priorityCategories: ['dibao', 'dibao'] },
      }),
    ).toMatch(/^422 content\.publicRental\.priorityCategories：类别不能重复/);
    expect(
      await refusal('housing-assistance', {
        ...housing,
        rentalSubsidy: { ...housing.rentalSubsidy, monthlyYuanByHouseholdSize: [] },
      }),
    ).toMatch(/^422 content\.rentalSubsidy\.monthlyYuanByHouseholdSize：至少一档/);
    expect(
      await refusal('housing-assistance', {
        ...housing,
        renovation: { ...housing.renovation, eligibleCategories: [] },
      }),
    ).toMatch(/^422 content\.renovation\.eligibleCategories：至少列出一个类别/);
    const education = INITIAL_EDUCATION_ASSISTANCE;
    expect(
      await refusal('education-assistance', { ...education, terms: [...education.terms].reverse() }),
    ).toMatch(/^422 content\.terms：学期应按开始日期先后排列/);
    expect(
      await refusal('education-assistance', {
        ...education,
        terms: [education.terms[0], { term: 'spring', startsOn: '02-29', yearOffset: 1 }],
      }),
    ).toMatch(/^422 content\.terms\.1\.startsOn：应为每年都有的日期/);
    expect(
      await refusal('education-assistance', {
        ...education,
        terms: [education.terms[0], { ...education.terms[0], yearOffset: 1 }],
      }),
    ).toMatch(/^422 content\.terms：学期不能重复/);
    expect(
      await refusal('urgent-assistance', { ...INITIAL_URGENT_ASSISTANCE, obligationWorkingDays: 0 }),
    ).toMatch(/^422 content\.obligationWorkingDays：工作日数至少为 1/);
    expect(await refusal('urgent-assistance', { ...INITIAL_URGENT_ASSISTANCE, responseHours: 200 })).toMatch(
      /^422 content\.responseHours：小时数不超过 168/,
    );
    expect(await refusal('escalation', { ...INITIAL_ESCALATION, requestedAmountAboveYuan: -1 })).toMatch(
      /^422 content\.requestedAmountAboveYuan/,
    );
    expect(await refusal('escalation', { requestedAmountAboveYuan: 5000 })).toMatch(
      /^422 content\.riskOfExtremeBehaviour/,
    );
    expect(await refusal('on-call', { '150802000000': [{ name: '王值班', phone: '12345' }] })).toMatch(
      /^422 content\.150802000000\.0\.phone：值班电话/,
    );
    expect(await refusal('on-call', { '1508': [{ name: '王值班', phone: '13904780000' }] })).toMatch(/^422/);
    // A valid change is a new version from its date; the defaults stay in force before it.
    expect(await refusal('disease-emergency', { capPerCaseYuan: 40_000 })).toBe('accepted');
    expect(policy.asOf('disease-emergency', '2026-12-31').content.capPerCaseYuan).toBe(30_000);
    expect(policy.asOf('disease-emergency', '2027-01-01')).toMatchObject({
      version: 2,
      content: { capPerCaseYuan: 40_000 },
    });
  });

  it('another service sees a change through the policy log', async () => {
    const { open } = await fresh();
    const [a, b] = [await open(), await open()];
    await a.seed();
    await Promise.all([a.start(), b.start()]);
    await a.change(
      'temporary-assistance-limits',
      {
        content: { townshipMultipleOfMonthlyStandard: 4 },
        effectiveFrom: '2026-12-01',
        reason: '提高乡镇审批额度',
      },
      admin,
    );
    const seen = await eventually(async () => {
      const v = b.asOf('temporary-assistance-limits', '2026-12-01');
      return v.version === 2 ? v : undefined;
    });
    expect(seen.content.townshipMultipleOfMonthlyStandard).toBe(4);
  });

  it('a year with no calendar: provisional deadlines, a warning, and the right deadline once it is loaded', async () => {
    const { open } = await fresh();
    const policy = await open();
    await policy.seed();
    await policy.start();
    clock = cst('2026-12-30T10:00:00');
    // Disease emergencies are decided within 2 working days: Thursday 31 December, then Friday 1 January.
    const before = policy.deadline('disease_emergency', 'normal', 'decide', clock);
    expect(before).toMatchObject({ due: cst('2027-01-01T23:59:59.999'), provisionalYears: ['2027'] });
    expect(policy.missingCalendarYears()).toEqual(['2027']);
    const v = await policy.change(
      'calendar',
      {
        content: {
          years: {
            ...SHIPPED_CALENDAR.years,
            '2027': { holidays: { '2027-01-01': '元旦' }, workingWeekends: {} },
          },
        },
        effectiveFrom: '2026-12-30',
        reason: '国务院办公厅关于 2027 年部分节假日安排的通知',
      },
      admin,
    );
    const after = policy.deadline('disease_emergency', 'normal', 'decide', clock);
    expect(after).toEqual({
      due: cst('2027-01-04T23:59:59.999'),
      provisionalYears: [],
      applied: { deadlines: 1, calendar: v.version },
    });
    expect(policy.missingCalendarYears()).toEqual([]);
  });

  it('an urgent need is acknowledged within the response hours, weekends included', async () => {
    const { open } = await fresh();
    const policy = await open();
    await policy.seed();
    await policy.start();
    // Friday 10:00: one working day runs to Monday 23:59:59.999; 24 hours end on Saturday 10:00.
    const friday = cst('2026-11-27T10:00:00');
    expect(policy.deadline('medical', 'urgent', 'acknowledge', friday)).toEqual({
      due: cst('2026-11-28T10:00:00'),
      provisionalYears: [],
      applied: { deadlines: 1, calendar: 1, 'urgent-assistance': 1 },
    });
    // Monday 00:30: 24 hours end on Tuesday 00:30, before the working day's end (Tuesday 23:59).
    const monday = cst('2026-11-30T00:30:00');
    expect(policy.deadline('medical', 'urgent', 'acknowledge', monday)).toMatchObject({
      due: cst('2026-12-01T00:30:00'),
    });
    // The decision deadline and normal needs are counted in working days as before.
    expect(policy.deadline('medical', 'urgent', 'decide', friday).applied).toEqual({
      deadlines: 1,
      calendar: 1,
    });
    expect(policy.deadline('medical', 'normal', 'acknowledge', friday).due.getTime()).toBeGreaterThan(
      cst('2026-11-30T00:00:00').getTime(),
    );
  });

  it('a release that ships a new calendar year adds it as a new version, once', async () => {
    const { schema, open } = await fresh();
    const store = new PostgresEventStore({ pool, schema });
    // A database seeded by an older release that knew only up to 2025.
    const { ['2026']: _2026, ...upTo2025 } = SHIPPED_CALENDAR.years;
    const old = await open();
    await old.tables.handle(
      'calendar',
      {
        type: 'ChangePolicyTable',
        table: 'calendar',
        content: { years: upTo2025 },
        effectiveFrom: '2020-01-01',
        reason: '平台初始数据',
        actor: { id: 'system', role: 'admin' },
        now: clock.toISOString(),
      },
      { metadata: admin, isNew: true },
    );
    const policy = await open();
    expect(await policy.seed()).toContain('calendar');
    const events = await store.readStream(policyStream('calendar'));
    expect(events.map((e) => (e.data as { reason: string }).reason)).toEqual([
      '平台初始数据',
      '随版本发布的国务院节假日安排：2026 年',
    ]);
    expect(await policy.seed()).toEqual([]);
  });
});
