import type { EventStore, RecordedEvent } from '@platform/event-store';
import { uuidv7 } from '@platform/event-store';
import { NotificationRow, type Channel } from '@platform/notifications';
import { readModelDataSource, runReadModelMigrations } from '@platform/read-model';
import { dropSchema, testPool, uniqueName } from '@platform/testing';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { caseReadModel } from './case.read-model.js';
import { notificationProjection } from './notification.projection.js';

// Real PostgreSQL for the outbox; the case's history is handed to the projection as the event store would.
describe('notification projection: which events notify whom, once', () => {
  let pool: Pool;
  let schema: string;
  let dataSource: DataSource;
  let version = 0;

  beforeAll(async () => {
    pool = testPool(3);
    schema = uniqueName('ntfp');
    await runReadModelMigrations(pool, schema, caseReadModel.migrations, { grantTo: '' });
    dataSource = await readModelDataSource({ pool, schema, entities: caseReadModel.entities }).initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await dropSchema(pool, schema);
    await pool.end();
  });

  const event = (
    caseId: string,
    type: string,
    data: Record<string, unknown>,
    recordedAt = new Date(),
  ): RecordedEvent => ({
    eventId: uuidv7(),
    type,
    schemaVersion: 1,
    data,
    metadata: {
      actor: { id: 'u', role: 'r', department: 'intake', jurisdiction: 'j' },
      correlationId: 'c',
      causationId: null,
      occurredAt: recordedAt.toISOString(),
    },
    streamId: `case-${caseId}`,
    streamVersion: ++version,
    globalPosition: BigInt(version),
    transactionId: BigInt(version),
    recordedAt,
    hash: '00',
  });

  /** A case with a medical referral to health, the applicant's phone, and the consent given or not. */
  function history(notify: { consent: boolean; email: string | null } | null) {
    const caseId = uuidv7();
    const referralId = uuidv7();
    const opened = event(caseId, 'intake.CaseOpened', {
      caseId,
      caseNumber: `150802-2026-${String(version).padStart(6, '0')}`,
      channel: 'window',
      villageCode: '150802100201',
      townshipCode: '150802100000',
      countyCode: '150802000000',
      urgency: 'normal',
      categories: ['medical'],
      consentToShare: true,
      household: [
        { name: '王小明', idNumber: '150802198001011234', relationship: 'applicant', phone: '13800001234' },
      ],
      needs: [{ needId: 'n1', category: 'medical', description: '住院', requestedAmount: null }],
      onBehalfOf: null,
      openedBy: 'u',
      duplicateOverride: null,
      at: '2026-11-28T01:00:00.000Z',
      ...(notify ? { notify } : {}),
    });
    const issued = event(caseId, 'intake.ReferralIssued', {
      caseId,
      referralId,
      needId: 'n1',
      category: 'medical',
      department: 'health',
      at: '2026-11-28T01:05:00.000Z',
    });
    return { caseId, referralId, events: [opened, issued] };
  }
  const status = (caseId: string, referralId: string, d: Record<string, unknown>, recordedAt?: Date) =>
    event(
      caseId,
      'intake.ReferralStatusRecorded',
      {
        caseId,
        referralId,
        department: 'health',
        at: '2026-11-28T02:00:00.000Z',
        reason: null,
        outcome: null,
        amount: null,
        service: null,
        deadline: null,
        ...d,
      },
      recordedAt,
    );

  async function run(
    all: RecordedEvent[],
    batch: RecordedEvent[],
    channels: Channel[] = ['webhook', 'sms', 'email'],
    officersToRemind?: Parameters<typeof notificationProjection>[0]['officersToRemind'],
  ) {
    const store = {
      readStreams: async (ids: string[]) =>
        new Map(ids.map((id) => [id, all.filter((e) => e.streamId === id)])),
    } as unknown as EventStore;
    const projection = notificationProjection({
      store,
      channels,
      webhookUrl: 'https://oa.example.gov.cn/hook',
      newId: () => uuidv7(),
      officersToRemind,
      countyName: (code) => (code === '150802000000' ? '临河区' : ''),
    });
    await dataSource.transaction((m) => projection.apply(batch, m));
  }
  const rowsOf = (caseId: string) =>
    dataSource.getRepository(NotificationRow).find({ where: { caseId }, order: { channel: 'ASC' } });

  it('a decided need with consent: SMS to the applicant’s phone, email to the address given, the webhook; once however often replayed', async () => {
    const h = history({ consent: true, email: 'wang@example.com' });
    const decided = status(h.caseId, h.referralId, {
      status: 'completed',
      outcome: 'granted',
      amount: 1800,
      service: '二次报销',
    });
    const all = [...h.events, decided];
    await run(all, all);
    await run(all, all); // a rebuild, a retried batch
    const rows = await rowsOf(h.caseId);
    expect(rows.map((r) => [r.channel, r.recipient, r.kind])).toEqual([
      ['email', 'wang@example.com', 'need_decided'],
      ['sms', '13800001234', 'need_decided'],
      ['webhook', 'https://oa.example.gov.cn/hook', 'need_decided'],
    ]);
    expect(rows[1]!.text).toContain('王小明您好');
    expect(rows[1]!.text).toContain(
      '卫生健康部门已于 2026-11-28 10:00 办结：给予救助，金额 1800 元（二次报销）',
    );
  });

  it('without consent only the webhook; with only the webhook configured, no SMS or email is written', async () => {
    const none = history(null);
    const all = [
      ...none.events,
      status(none.caseId, none.referralId, { status: 'returned', outcome: 'returned', reason: '材料不全' }),
    ];
    await run(all, all);
    expect((await rowsOf(none.caseId)).map((r) => r.channel)).toEqual(['webhook']);
    const consented = history({ consent: true, email: null });
    const all2 = [
      ...consented.events,
      status(consented.caseId, consented.referralId, {
        status: 'completed',
        outcome: 'not_eligible',
        reason: '收入超标',
      }),
    ];
    await run(all2, all2, ['webhook']);
    expect((await rowsOf(consented.caseId)).map((r) => r.channel)).toEqual(['webhook']);
  });

  it('a result recorded more than a day ago is not news (a new install or a rebuild replaying the log)', async () => {
    const h = history({ consent: true, email: null });
    const old = status(
      h.caseId,
      h.referralId,
      { status: 'completed', outcome: 'granted', amount: 100 },
      new Date(Date.now() - 25 * 3600_000),
    );
    const all = [...h.events, old];
    await run(all, all);
    expect(await rowsOf(h.caseId)).toEqual([]);
  });

  it('progress short of a decision tells nobody; overdue and a report to the government tell the webhook, without names', async () => {
    const h = history({ consent: true, email: 'wang@example.com' });
    const accepted = status(h.caseId, h.referralId, { status: 'accepted' });
    const overdue = status(h.caseId, h.referralId, { status: 'accepted', deadline: 'decide' });
    const reported = event(h.caseId, 'intake.CaseReportedToGovernment', {
      caseId: h.caseId,
      needId: 'n1',
      category: 'medical',
      jurisdiction: '150802000000',
      reason: '申请金额超过上报标准',
      at: '2026-11-28T03:00:00.000Z',
      respondBy: null,
    });
    const all = [...h.events, accepted, overdue, reported];
    await run(all, all);
    const rows = await rowsOf(h.caseId);
    expect(rows.map((r) => r.kind).sort()).toEqual(['referral_overdue', 'reported_to_government']);
    expect(rows.every((r) => r.channel === 'webhook')).toBe(true);
    expect(JSON.stringify(rows.map((r) => [r.payload, r.text]))).not.toMatch(/王小明|13800001234|wang@/);
    expect(rows.find((r) => r.kind === 'referral_overdue')!.text).toContain('超过办结时限');
  });

  it("overdue reminds the referral's officers by email, once each, in the projection's transaction; a decision reminds nobody", async () => {
    const h = history({ consent: true, email: 'wang@example.com' });
    const overdue = status(h.caseId, h.referralId, { status: 'received', deadline: 'acknowledge' });
    const decided = status(h.caseId, h.referralId, { status: 'completed', outcome: 'granted', amount: 10 });
    const asked: Array<{ department: string; countyCode: string; inTransaction: boolean }> = [];
    const officers = async (
      manager: import('typeorm').EntityManager,
      q: { department: string; countyCode: string },
    ) => {
      asked.push({ ...q, inTransaction: manager.queryRunner?.isTransactionActive === true });
      return [
        { name: '李卫健', email: 'li@wsj.example.gov.cn' },
        { name: '张市卫', email: 'zhang@wsj.example.gov.cn' },
        { name: '李卫健', email: 'li@wsj.example.gov.cn' },
      ];
    };
    const all = [...h.events, overdue, decided];
    await run(all, all, ['webhook', 'sms', 'email'], officers);
    await run(all, all, ['webhook', 'sms', 'email'], officers);
    expect(asked[0]).toEqual({ department: 'health', countyCode: '150802000000', inTransaction: true });
    const reminders = (await rowsOf(h.caseId)).filter(
      (r) => r.kind === 'referral_overdue' && r.channel === 'email',
    );
    expect(reminders.map((r) => r.recipient).sort()).toEqual([
      'li@wsj.example.gov.cn',
      'zhang@wsj.example.gov.cn',
    ]);
    expect(reminders[0]!.subject).toMatch(
      /^【逾期提醒】案件 150802-2026-\d{6} 的“医疗救助”事项已超过签收时限$/,
    );
    expect(reminders[0]!.text).toContain('临河区案件');
    expect(reminders.map((r) => r.text).join()).not.toMatch(/王小明|13800001234|wang@/);
    // Without email configured, nobody is asked and nothing is written.
    const other = history(null);
    const late = status(other.caseId, other.referralId, { status: 'received', deadline: 'acknowledge' });
    const calls = asked.length;
    await run([...other.events, late], [...other.events, late], ['webhook'], officers);
    expect(asked.length).toBe(calls);
    expect((await rowsOf(other.caseId)).map((r) => r.channel)).toEqual(['webhook']);
  });
});
