// Personal values in events are sealed at rest with a key per stream held outside the event tables;
// erasing a person deletes the keys of every stream that names their ID number. Real PostgreSQL, real
// roles: the service's own role may add keys but never delete one, and reads nothing in the clear.
import { randomBytes } from 'node:crypto';
import { requireDatabaseUrl, testPool, uniqueName } from '@platform/testing';
import pg from 'pg';
import { eventStoreMigrations } from '../postgres/event-store.migrations.js';
import { runMigrations } from '../postgres/migrations.js';
import { PostgresEventStore } from '../postgres/postgres-event-store.js';
import {
  erasePerson,
  openEventData,
  PERSONAL_DATA_MIGRATIONS,
  PersonalDataProtection,
  protectPersonalData,
} from './personal-data.js';
import {
  ERASED,
  keysToSeal,
  residentIdsIn,
  sealPersonalFields,
  openPersonalFields,
} from './personal-fields.js';

const actor = {
  id: 'u-window',
  role: 'township_officer',
  department: 'intake',
  jurisdiction: '150802100000',
};
const meta = { actor, correlationId: 'c-1', causationId: null, occurredAt: '2026-11-29T00:00:00.000Z' };

// Valid-looking resident IDs (the index takes any 17 digits and a check character).
const HEAD = '150802198001011234';
const SPOUSE = '15080219820202123X';
const NEIGHBOUR = '150802199003031111';

const caseOpened = (caseId: string, headId: string, spouseId: string) => ({
  type: 'intake.CaseOpened',
  data: {
    caseId,
    caseNumber: 'LH-2026-000123',
    category: 'medical',
    requestedAmount: 5000,
    members: [
      { name: '王建国', idNumber: headId, relationship: 'applicant', phone: '13800001111' },
      { name: '李秀兰', idNumber: spouseId, relationship: 'spouse', phone: null },
    ],
    needs: [{ needId: 'n-1', category: 'medical', description: `${headId} 的妻子患尿毒症，每周透析三次` }],
    windowOfficer: { id: 'u-window', name: '李春梅', phone: '0478-1234567' },
    at: new Date('2026-11-29T01:02:03.000Z'),
  },
  metadata: meta,
});

function urlAs(role: string, password: string): string {
  const url = new URL(requireDatabaseUrl());
  url.username = role;
  url.password = password;
  return url.toString();
}

describe('pure: which values are sealed', () => {
  it('seals values under personal keys with their household’s key, keeping structure and amounts', () => {
    const sealed: string[] = [];
    const placed = sealPersonalFields(
      caseOpened('c1', HEAD, SPOUSE).data,
      'intake:case-c1',
      (v, k) => (sealed.push(`${String(v)}@${k}`), { $p: [0, sealed.length - 1] }),
    ) as Record<string, unknown>;
    expect(placed).toMatchObject({
      caseId: 'c1',
      caseNumber: 'LH-2026-000123',
      requestedAmount: 5000,
      members: [
        { name: { $p: [0, 0] }, idNumber: { $p: [0, 1] }, relationship: 'applicant', phone: { $p: [0, 2] } },
        { name: { $p: [0, 3] }, phone: null },
      ],
      at: '2026-11-29T01:02:03.000Z', // a Date is stored as JSON would write it
      // An officer is not a resident: who handled the case stays readable after an erasure.
      windowOfficer: { id: 'u-window', name: '李春梅', phone: '0478-1234567' },
    });
    expect(sealed.slice(0, 2)).toEqual(['王建国@case:c1', `${HEAD}@case:c1`]);
    // The keys it needs, each with the ID numbers its values name (the description's too), for the index.
    expect(keysToSeal(caseOpened('c1', HEAD, SPOUSE).data, 'intake:case-c1')).toEqual(
      new Map([['case:c1', new Set([HEAD, SPOUSE])]]),
    );
    const opened = openPersonalFields({ ...placed, $pd: [] }, () => sealed.map((x) => x.split('@')[0]));
    expect((opened as { members: Array<{ name: string }> }).members.map((m) => m.name)).toEqual([
      '王建国',
      '李秀兰',
    ]);
    expect(opened).not.toHaveProperty('$pd');
    expect(openPersonalFields(placed, () => null)).toMatchObject({
      members: [{ name: ERASED }, { name: ERASED }],
    });
    // A list naming several households seals each item with its own household's key; outside any case,
    // the stream's key.
    const keys: string[] = [];
    sealPersonalFields(
      {
        items: [
          { caseId: 'a', name: '甲' },
          { caseId: 'b', name: '乙' },
        ],
        note: '公示',
      },
      'civil_affairs:notice-1',
      (v, k) => (keys.push(`${String(v)}@${k}`), { $p: [0, 0] }),
    );
    expect(keys).toEqual(['甲@case:a', '乙@case:b', '公示@civil_affairs:notice-1']);
  });

  it('finds ID numbers only as whole 18-character numbers', () => {
    expect(residentIdsIn(`身份证${HEAD}，电话13800001111`)).toEqual([HEAD]);
    expect(residentIdsIn(`${HEAD}5`)).toEqual([]); // 19 digits: not an ID number
    expect(residentIdsIn('15080219820202123x')).toEqual(['15080219820202123X']);
  });
});

describe('personal data sealed in PostgreSQL, erased by the owner', () => {
  const admin = testPool(4);
  const password = randomBytes(12).toString('hex');
  const owner = uniqueName('pd_owner');
  const service = uniqueName('pd_svc');
  const schema = uniqueName('pd_intake');
  const keys = uniqueName('pd_keys');
  const masterKey = randomBytes(32);
  let ownerPool: pg.Pool;
  let servicePool: pg.Pool;
  let protection: PersonalDataProtection;
  let store: PostgresEventStore;
  let clock = Date.parse('2026-11-29T00:00:00Z');

  beforeAll(async () => {
    const { rows } = await admin.query<{ db: string }>('SELECT current_database() AS db');
    for (const role of [owner, service])
      await admin.query(`CREATE ROLE "${role}" LOGIN PASSWORD '${password}'`);
    await admin.query(`GRANT CREATE ON DATABASE "${rows[0]!.db}" TO "${owner}"`);
    ownerPool = new pg.Pool({ connectionString: urlAs(owner, password), max: 3 });
    servicePool = new pg.Pool({ connectionString: urlAs(service, password), max: 3 });
    await runMigrations(ownerPool, schema, eventStoreMigrations, { grantTo: service });
    await runMigrations(ownerPool, keys, PERSONAL_DATA_MIGRATIONS, { grantTo: service });
    protection = new PersonalDataProtection({
      pool: servicePool,
      schema: keys,
      masterKey,
      cacheMs: 1000,
      now: () => clock,
    });
    protectPersonalData(servicePool, protection);
    store = new PostgresEventStore({ pool: servicePool, schema });
  });

  afterAll(async () => {
    await protection.close();
    await servicePool.end();
    await ownerPool.end();
    for (const s of [schema, keys]) await admin.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    for (const role of [owner, service]) {
      await admin.query(`DROP OWNED BY "${role}"`);
      await admin.query(`DROP ROLE IF EXISTS "${role}"`);
    }
    await admin.end();
  });

  it('stores no name, ID number, phone or circumstance in the clear, and reads them back', async () => {
    const ev = caseOpened('case-a', HEAD, SPOUSE);
    await store.appendToStream('case-a', [ev], { expectedVersion: 'no_stream' });
    await store.appendToStream('case-b', [caseOpened('case-b', NEIGHBOUR, '150802199504041212')], {
      expectedVersion: 'no_stream',
    });
    // What a person with the service's database role, or a backup of the events table, sees.
    const raw = (await servicePool.query(`SELECT data::text AS t FROM "${schema}".events`)).rows
      .map((r: { t: string }) => r.t)
      .join('\n');
    for (const secret of [HEAD, SPOUSE, NEIGHBOUR, '王建国', '李秀兰', '13800001111', '尿毒症']) {
      expect(raw).not.toContain(secret);
    }
    expect(raw).toContain('LH-2026-000123'); // structure stays readable
    expect(raw).toContain('"requestedAmount": 5000');
    // The data keys are wrapped with PERSONAL_DATA_KEY: the key table alone opens nothing.
    const { rows } = await servicePool.query(`SELECT wrapping, length(wrapped) AS n FROM "${keys}".keys`);
    expect(rows).toEqual([
      { wrapping: 'aes-256-gcm', n: 12 + 32 + 16 },
      { wrapping: 'aes-256-gcm', n: 12 + 32 + 16 },
    ]);

    const [read] = await store.readStream('case-a');
    expect(read!.data).toEqual(JSON.parse(JSON.stringify(ev.data)));
    expect((await store.verifyStream('case-a')).ok).toBe(true);
    // Plain-SQL readers of the log open it the same way.
    const plain = await servicePool.query(
      `SELECT stream_id, data FROM "${schema}".events WHERE stream_id = 'case-a'`,
    );
    const [opened] = await openEventData(schema, [{ data: plain.rows[0].data }]);
    expect(opened).toEqual(read!.data);
  });

  it('refuses the service role any change to keys; the owner erases a person, the chain still verifies', async () => {
    for (const sql of [
      `DELETE FROM "${keys}".keys`,
      `UPDATE "${keys}".keys SET wrapped = '\\x00'`,
      `TRUNCATE "${keys}".keys`,
      `DELETE FROM "${keys}".subjects`,
    ]) {
      await expect(servicePool.query(sql)).rejects.toMatchObject({ code: '42501' });
    }
    const hashes = (await store.readStream('case-a')).map((e) => e.hash);

    // Erasing the spouse forgets the whole household's case (one key per case), not the neighbour's.
    // The erasure command runs in a process of its own, with the owner's role.
    const command = new PersonalDataProtection({ pool: ownerPool, schema: keys, masterKey });
    const erased = await erasePerson(
      ownerPool,
      command,
      SPOUSE.toLowerCase(),
      '系统管理员',
      '删除申请 2026-001',
    );
    await command.close();
    expect(erased.keyIds).toEqual(['case:case-a']);

    // A running service trusts its cached key until the cache runs out (1 s here).
    expect(
      ((await store.readStream('case-a'))[0]!.data as { members: Array<{ name: string }> }).members[0]!.name,
    ).toBe('王建国');
    clock += 1001;
    const [after] = await store.readStream('case-a');
    const data = after!.data as {
      caseNumber: string;
      requestedAmount: number;
      members: Array<{ name: string; idNumber: string; relationship: string; phone: string | null }>;
      needs: Array<{ description: string; category: string }>;
    };
    expect(data.members).toEqual([
      { name: ERASED, idNumber: ERASED, relationship: 'applicant', phone: ERASED },
      { name: ERASED, idNumber: ERASED, relationship: 'spouse', phone: null },
    ]);
    expect(data.needs).toEqual([{ needId: 'n-1', category: 'medical', description: ERASED }]);
    expect([data.caseNumber, data.requestedAmount]).toEqual(['LH-2026-000123', 5000]);
    expect((after!.data as { windowOfficer: { name: string } }).windowOfficer.name).toBe('李春梅');
    // Events, hashes and the chain are untouched.
    expect((await store.readStream('case-a')).map((e) => e.hash)).toEqual(hashes);
    expect((await store.verifyStream('case-a')).ok).toBe(true);
    // The neighbour is still there.
    const [other] = await store.readStream('case-b');
    expect((other!.data as { members: Array<{ idNumber: string }> }).members[0]!.idNumber).toBe(NEIGHBOUR);
    // The erasure is on record, with who and why, without the ID number itself.
    const record = await ownerPool.query(`SELECT person, key_ids, erased_by, reason FROM "${keys}".erasures`);
    expect(record.rows).toEqual([
      {
        person: protection.personOf(SPOUSE),
        key_ids: ['case:case-a'],
        erased_by: '系统管理员',
        reason: '删除申请 2026-001',
      },
    ]);
    expect(JSON.stringify(record.rows)).not.toContain(SPOUSE);
  });

  it('keeps an erased household erased: what still arrives for it is recorded without personal values', async () => {
    // A message published before the erasure and delivered after it, or a replay.
    const version = (await store.readStream('case-a')).length;
    await store.appendToStream(
      'case-a',
      [
        {
          type: 'intake.ContactUpdated',
          data: { caseId: 'case-a', phone: '13900002222', channel: 'sms' },
          metadata: meta,
        },
      ],
      { expectedVersion: version },
    );
    const events = await store.readStream('case-a');
    expect(events.at(-1)!.data).toEqual({ caseId: 'case-a', phone: ERASED, channel: 'sms' });
    const raw = await servicePool.query(
      `SELECT data::text AS t FROM "${schema}".events WHERE stream_id = 'case-a'`,
    );
    expect(JSON.stringify(raw.rows)).not.toContain('13900002222');
    expect((await store.verifyStream('case-a')).ok).toBe(true);
    // The tombstone stays: no new key for the erased case.
    const { rows } = await servicePool.query(
      `SELECT wrapped, erased_at IS NOT NULL AS erased FROM "${keys}".keys WHERE key_id = 'case:case-a'`,
    );
    expect(rows).toEqual([{ wrapped: null, erased: true }]);
  });

  it('refuses a key planted unwrapped, and a value shaped like sealed data', async () => {
    // Someone with the service's database role plants a bare key for a case not yet opened, hoping to
    // read what will be sealed with it.
    await servicePool.query(
      `INSERT INTO "${keys}".keys (key_id, wrapped, wrapping) VALUES ('case:case-c', $1, 'none')`,
      [randomBytes(32)],
    );
    await expect(
      store.appendToStream('case-c', [caseOpened('case-c', '150802199506061234', '150802199607071234')], {
        expectedVersion: 'no_stream',
      }),
    ).rejects.toThrow(/stored unwrapped: refused/);
    expect((await store.readStream('case-c')).length).toBe(0);
    // A client cannot pass off its own "sealed" value, to be opened with a key of its choosing.
    await expect(
      store.appendToStream(
        'case-d',
        [
          {
            type: 'intake.Noted',
            data: { caseId: 'case-d', note: { $p: [0, 0] }, $pd: [{ k: 'case:case-b', v: 'AAAA' }] },
            metadata: meta,
          },
        ],
        { expectedVersion: 'no_stream' },
      ),
    ).rejects.toThrow(/shaped like sealed personal data/);
  });

  it('refuses to read with the wrong PERSONAL_DATA_KEY rather than show the data as erased', async () => {
    const wrong = new PersonalDataProtection({ pool: servicePool, schema: keys, masterKey: randomBytes(32) });
    const other = new PostgresEventStore({ pool: servicePool, schema, personalData: wrong });
    try {
      await expect(other.readStream('case-b')).rejects.toThrow(/PERSONAL_DATA_KEY does not unwrap/);
    } finally {
      await wrong.close();
    }
  });
});
