import {
  DeciderStore,
  eventStoreMigrations,
  PostgresEventStore,
  runMigrations,
  uuidv7,
  type RecordedEvent,
} from '@platform/event-store';
import { ProjectionRunner, readModelDataSource, runReadModelMigrations } from '@platform/read-model';
import { dropSchema, eventually, rebuildUntil, testMetadata, testPool, uniqueName } from '@platform/testing';
import type { DataSource } from 'typeorm';
import {
  staffFilingDecider,
  type Relative,
  type StaffFilingCommand,
  type StaffFilingEvent,
  type StaffFilingState,
  type StaffMember,
} from '../domain/staff-filing.decider.js';
import { staffFilingProjection, staffFilingStream } from './staff-filing.projection.js';
import { StaffFilingQuery } from './staff-filing.query.js';
import { staffFilingReadModel } from './staff-filing.read-model.js';
import { ReadModelStaffFilingRegistry } from './staff-filing.registry.js';

// Valid resident IDs (GB 11643-1999 check characters).
const STAFF_A = '150802198001010012';
const SPOUSE_A = '150802198203040025';
const CHILD_A = '150802200805060031';
const FATHER_A = '150802195507080049';
const CADRE_B = '150821198505050076';
const SIBLING_B = '15080219700303008X';

const actor = { id: 'u-linhe-civil', name: '临河区民政局经办人', role: 'county_civil_affairs' };

const townshipStaff: StaffMember = {
  name: '李建国',
  idNumber: STAFF_A,
  kind: 'staff',
  position: '低保专干',
  organisation: '双河镇人民政府',
  jurisdictionCode: '150802100000',
  jurisdictionLevel: 'township',
  townshipCode: '150802100000',
  countyCode: '150802000000',
};
const villageCadre: StaffMember = {
  name: '张桂兰',
  idNumber: CADRE_B,
  kind: 'cadre',
  position: '村委会主任',
  organisation: '联丰村村民委员会',
  jurisdictionCode: '150821100201',
  jurisdictionLevel: 'village',
  townshipCode: '150821100000',
  countyCode: '150821000000',
};
const spouseA: Relative = { name: '王秀英', idNumber: SPOUSE_A, relationship: 'spouse' };
const childA: Relative = { name: '李明', idNumber: CHILD_A, relationship: 'child' };
const siblingB: Relative = { name: '张桂芳', idNumber: SIBLING_B, relationship: 'sibling' };

/**
 * The registry the dibao check asks, against real PostgreSQL: the read model, its projection, and the
 * filings committed a moment ago that the projection has not applied yet. (The HTTP side is in
 * test/e2e/staff-filing.e2e.spec.ts: modules importing @platform/auth do not load under jest.)
 */
describe('staff filing registry (read model + events not yet projected)', () => {
  const pool = testPool(6);
  const schema = uniqueName('sf');
  let store: PostgresEventStore;
  let dataSource: DataSource;
  let query: StaffFilingQuery;
  let registry: ReadModelStaffFilingRegistry;
  let runner: ProjectionRunner;
  let filings: DeciderStore<StaffFilingCommand, StaffFilingEvent, StaffFilingState>;

  beforeAll(async () => {
    await runMigrations(pool, schema, eventStoreMigrations);
    await runReadModelMigrations(pool, schema, staffFilingReadModel.migrations);
    store = new PostgresEventStore({ pool, schema });
    dataSource = await readModelDataSource({
      pool,
      schema,
      entities: staffFilingReadModel.entities,
    }).initialize();
    query = new StaffFilingQuery(dataSource);
    registry = new ReadModelStaffFilingRegistry({ query, store, db: pool });
    runner = new ProjectionRunner({ dataSource, store, projection: staffFilingProjection(store) });
    filings = new DeciderStore({
      store,
      decider: staffFilingDecider,
      streamOf: staffFilingStream,
      toStored: (e) => ({ type: e.type, data: e.data }),
      fromStored: (e: RecordedEvent) => ({ type: e.type, data: e.data }) as StaffFilingEvent,
    });
  });

  afterAll(async () => {
    await runner.stop();
    await dataSource.destroy();
    await dropSchema(pool, schema);
    await pool.end();
  });

  const now = () => new Date().toISOString();

  async function file(staff: StaffMember, relatives: Relative[]): Promise<string> {
    const filingId = uuidv7();
    await filings.handle(
      filingId,
      { type: 'FileStaffMember', filingId, staff, relatives, existingFiling: null, actor, now: now() },
      { metadata: testMetadata(), isNew: true },
    );
    return filingId;
  }

  async function inReadModel(filingId: string): Promise<number> {
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM "${schema}".staff_filing_people WHERE filing_id = $1`,
      [filingId],
    );
    return rows[0].n as number;
  }

  it('finds a filing committed a moment ago, before the projection has applied it', async () => {
    const a = await file(townshipStaff, [spouseA, childA]);
    expect(await inReadModel(a)).toBe(0);
    expect(await registry.match([CHILD_A, '150802199901010000', STAFF_A])).toEqual([
      {
        idNumber: STAFF_A,
        filingId: a,
        staffName: '李建国',
        staffPosition: '低保专干',
        organisation: '双河镇人民政府',
        relationship: 'self',
      },
      {
        idNumber: CHILD_A,
        filingId: a,
        staffName: '李建国',
        staffPosition: '低保专干',
        organisation: '双河镇人民政府',
        relationship: 'child',
      },
    ]);
    // The same answer once the projection has applied it, now from the read model.
    await rebuildUntil(
      () => runner.rebuild(),
      async () => (await inReadModel(a)) === 3,
    );
    expect(await inReadModel(a)).toBe(3);
    expect((await registry.match([CHILD_A, STAFF_A])).map((m) => [m.idNumber, m.relationship])).toEqual([
      [STAFF_A, 'self'],
      [CHILD_A, 'child'],
    ]);
    expect(await registry.match([])).toEqual([]);
  });

  it('sees a relative removed and a filing retired at once, and the projection then agrees', async () => {
    const b = await file(villageCadre, [siblingB]);
    await rebuildUntil(
      () => runner.rebuild(),
      async () => (await inReadModel(b)) === 2,
    );
    // A lower-case check character and a repeated number are the same person.
    expect((await registry.match([SIBLING_B.toLowerCase(), SIBLING_B])).map((m) => m.relationship)).toEqual([
      'sibling',
    ]);

    // Amended after the checkpoint: the stale active row is replaced by the filing folded from its stream.
    await filings.handle(
      b,
      { type: 'AmendRelatives', add: [], remove: [SIBLING_B], reason: '登记错误', actor, now: now() },
      { metadata: testMetadata() },
    );
    expect(await registry.match([SIBLING_B])).toEqual([]);
    expect((await registry.match([CADRE_B])).map((m) => m.relationship)).toEqual(['self']);

    await filings.handle(
      b,
      { type: 'RetireFiling', reason: '换届离任', leftOn: '2026-01-05', actor, now: now() },
      { metadata: testMetadata() },
    );
    expect(await registry.match([CADRE_B, SIBLING_B])).toEqual([]);

    const inactive = async () =>
      (
        await pool.query(
          `SELECT count(*)::int AS n FROM "${schema}".staff_filing_people WHERE filing_id = $1 AND active`,
          [b],
        )
      ).rows[0].n === 0;
    await rebuildUntil(() => runner.rebuild(), inactive);
    expect(await registry.match([CADRE_B, SIBLING_B])).toEqual([]);
    const { rows } = await pool.query(
      `SELECT id_number, role, active FROM "${schema}".staff_filing_people WHERE filing_id = $1 ORDER BY role`,
      [b],
    );
    expect(rows).toEqual([
      { id_number: CADRE_B, role: 'self', active: false },
      { id_number: SIBLING_B, role: 'sibling', active: false },
    ]);
  });

  it('sees a filing committed while the caller holds its own transaction (which holds the projection back)', async () => {
    const caller = await pool.connect();
    try {
      // A dibao acceptance under its applicants' locks: a transaction with an id, still open.
      await caller.query('BEGIN');
      await caller.query('SELECT pg_current_xact_id()');
      const c = await file(
        {
          ...townshipStaff,
          name: '李大山',
          idNumber: FATHER_A,
          position: '社会救助股股长',
          organisation: '临河区民政局',
          jurisdictionCode: '150802000000',
          jurisdictionLevel: 'county',
          townshipCode: null,
        },
        [],
      );
      // The projection cannot pass the open transaction: waiting for it would not show this filing.
      await runner.start();
      await runner.caughtUp();
      expect(await inReadModel(c)).toBe(0);
      expect((await registry.match([FATHER_A])).map((m) => [m.filingId, m.organisation])).toEqual([
        [c, '临河区民政局'],
      ]);
      await caller.query('COMMIT');
      await eventually(async () => ((await inReadModel(c)) === 1 ? true : undefined), {
        what: 'the projection to apply the filing',
      });
      expect((await registry.match([FATHER_A])).map((m) => m.filingId)).toEqual([c]);
    } finally {
      await caller.query('ROLLBACK').catch(() => undefined);
      caller.release();
      await runner.stop();
    }
  });

  it('lists filings by reach, organisation, kind, state and any name on them, a page at a time', async () => {
    await rebuildUntil(
      () => runner.rebuild(),
      async () => (await query.list({ scope: null, page: 1, pageSize: 20 })).total === 3,
    );
    const all = await query.list({ scope: null, page: 1, pageSize: 20 });
    expect(all.total).toBe(3);
    expect(all.rows.every((r) => r.role === 'self')).toBe(true);

    const linhe = { code: '150802000000', level: 'county' as const };
    const inLinhe = await query.list({ scope: linhe, page: 1, pageSize: 20 });
    expect(inLinhe.rows.map((r) => r.staffName).sort()).toEqual(['李大山', '李建国']);
    const shuanghe = await query.list({
      scope: linhe,
      jurisdiction: { code: '150802100000', level: 'township' },
      page: 1,
      pageSize: 20,
    });
    expect(shuanghe.rows.map((r) => [r.staffName, r.relativeCount])).toEqual([['李建国', 2]]);

    const wuyuanVillage = { code: '150821100201', level: 'village' as const };
    expect((await query.list({ scope: wuyuanVillage, page: 1, pageSize: 20 })).total).toBe(1);
    expect((await query.list({ scope: linhe, kind: 'cadre', page: 1, pageSize: 20 })).total).toBe(0);
    expect((await query.list({ scope: null, active: false, page: 1, pageSize: 20 })).rows[0]!.staffName).toBe(
      '张桂兰',
    );
    expect((await query.list({ scope: null, organisation: '民政局', page: 1, pageSize: 20 })).total).toBe(1);
    // A relative's name finds the filing; LIKE wildcards in the text are taken literally.
    const byRelative = await query.list({ scope: null, name: '秀英', page: 1, pageSize: 20 });
    expect(byRelative.rows.map((r) => r.staffName)).toEqual(['李建国']);
    expect((await query.list({ scope: null, name: '%', page: 1, pageSize: 20 })).total).toBe(0);
    // The retired filing is found by anyone it named.
    expect((await query.list({ scope: null, name: '桂芳', page: 1, pageSize: 20 })).total).toBe(1);

    const page2 = await query.list({ scope: null, page: 2, pageSize: 2 });
    expect(page2).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(page2.rows).toHaveLength(1);
  });

  it('a rebuild from position 0 gives the same rows', async () => {
    const snapshot = async () =>
      (
        await pool.query(
          `SELECT filing_id, id_number, person_name, role, active, relative_count
             FROM "${schema}".staff_filing_people ORDER BY filing_id, id_number`,
        )
      ).rows;
    const before = await snapshot();
    expect(before).toHaveLength(3 + 2 + 1);
    await rebuildUntil(
      () => runner.rebuild(),
      async () => JSON.stringify(await snapshot()) === JSON.stringify(before),
    );
    expect(await snapshot()).toEqual(before);
  });
});
