import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readModelDataSource, runReadModelMigrations } from '@platform/read-model';
import { dropSchema, eventually, testPool, uniqueName } from '@platform/testing';
import { simpleParser } from 'mailparser';
import type pg from 'pg';
import { SMTPServer } from 'smtp-server';
import type { DataSource } from 'typeorm';
import { NOTIFICATION_ID_HEADER, SIGNATURE_HEADER, signBody, verifySignature } from './channels/signature.js';
import { HttpSmsGateway } from './channels/sms-gateway.js';
import { SmtpSender } from './channels/smtp.js';
import { WebhookSender } from './channels/webhook.js';
import { NotificationDispatcher, type DispatcherOptions } from './dispatcher.js';
import {
  maskRecipient,
  needDecided,
  nextAttemptDelay,
  type OutgoingNotification,
} from './domain/notification.js';
import { NotificationOutbox1767312000000 } from './notification.migration.js';
import { NotificationRow } from './notification.entity.js';
import { enqueueNotifications } from './outbox.js';

const SECRET = 'notify-secret-that-is-long-enough-0123456789';

describe('notification rules (pure)', () => {
  it('backs off doubling from the base, capped, with at most 20 % jitter, and gives up after the last attempt', () => {
    const o = { baseMs: 1000, maxMs: 5000, maxAttempts: 5, random: 0 };
    expect([1, 2, 3, 4].map((a) => nextAttemptDelay(a, o))).toEqual([1000, 2000, 4000, 5000]);
    expect(nextAttemptDelay(5, o)).toBeNull();
    expect(nextAttemptDelay(2, { ...o, random: 0.999 })).toBe(2400);
  });

  it('masks recipients for the list an administrator reads', () => {
    expect(maskRecipient('sms', '13800001234')).toBe('138****1234');
    expect(maskRecipient('email', 'wang.xiaoming@example.com')).toBe('w***@example.com');
    expect(maskRecipient('webhook', 'https://oa.example.gov.cn/hook?token=abc')).toBe(
      'https://oa.example.gov.cn/hook',
    );
  });

  it('a signature holds only for its body, its secret and a recent time', () => {
    const body = '{"a":1}';
    const header = signBody(SECRET, body, 1_800_000_000);
    expect(verifySignature(SECRET, header, body, 1_800_000_010)).toBe(true);
    expect(verifySignature(SECRET, header, '{"a":2}', 1_800_000_010)).toBe(false);
    expect(verifySignature(`${SECRET}x`, header, body, 1_800_000_010)).toBe(false);
    expect(verifySignature(SECRET, header, body, 1_800_000_000 + 301)).toBe(false);
    expect(verifySignature(SECRET, undefined, body, 1_800_000_010)).toBe(false);
    expect(verifySignature(SECRET, 't=1,v1=zz', body, 1)).toBe(false);
  });

  it('a decided need reaches the applicant in plain Chinese and the webhook without personal data', () => {
    const out = needDecided({
      sourceEventId: 'e1',
      caseId: '0190a0b0-0000-7000-8000-000000000001',
      caseNumber: 'LH-2026-000123',
      applicantName: '王小明',
      categoryName: '医疗救助',
      departmentName: '卫生健康部门',
      outcome: 'granted',
      amount: 18000,
      service: '大病保险二次报销',
      reason: null,
      decidedAt: '2026-11-28 10:15',
      phone: '13800001234',
      email: 'wang@example.com',
      webhook: 'https://oa.example.gov.cn/hook',
      department: 'health',
      category: 'medical',
      countyCode: '150802000000',
    });
    expect(out.map((n) => n.channel)).toEqual(['sms', 'email', 'webhook']);
    expect(out[0]!.text).toContain('王小明您好');
    expect(out[0]!.text).toContain(
      '“医疗救助”事项，卫生健康部门已于 2026-11-28 10:15 办结：给予救助，金额 18000 元（大病保险二次报销）',
    );
    const payload = JSON.stringify(out[2]!.payload);
    expect(payload).not.toContain('王小明');
    expect(payload).not.toContain('13800001234');
    expect(payload).not.toContain('wang@');
  });
});

interface Received {
  id: string | undefined;
  signatureValid: boolean;
  body: Record<string, unknown>;
}

/** A real HTTP receiver: answers with what `answer` says for each request. */
async function receiver(
  answer: (n: number) => number | 'hang',
): Promise<{ url: string; got: Received[]; server: Server }> {
  const got: Received[] = [];
  let n = 0;
  const server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (text += c));
    req.on('end', () => {
      const status = answer(++n);
      if (status === 'hang') return; // never answers
      const header = req.headers[SIGNATURE_HEADER] as string | undefined;
      got.push({
        id: req.headers[NOTIFICATION_ID_HEADER] as string | undefined,
        signatureValid: verifySignature(SECRET, header, text, Math.floor(Date.now() / 1000)),
        body: JSON.parse(text) as Record<string, unknown>,
      });
      res.statusCode = status;
      res.end(status === 200 ? '{"ok":true}' : 'busy');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got, server };
}

describe('notification outbox and dispatcher (real PostgreSQL, HTTP receivers and an SMTP server)', () => {
  const schema = uniqueName('notify');
  let pool: pg.Pool;
  let ds: DataSource;
  let event = 0;
  const servers: Server[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    pool = testPool(8);
    await runReadModelMigrations(pool, schema, [NotificationOutbox1767312000000], { grantTo: '' });
    ds = readModelDataSource({ pool, schema, entities: [NotificationRow] });
    await ds.initialize();
  });

  afterAll(async () => {
    for (const s of servers) s.close();
    await ds?.destroy();
    await dropSchema(pool, schema);
    await pool.end();
  });

  const dispatcher = (o: Partial<DispatcherOptions> & Pick<DispatcherOptions, 'senders'>) =>
    new NotificationDispatcher({
      dataSource: ds,
      random: () => 0,
      baseMs: 50,
      maxMs: 200,
      maxAttempts: 3,
      pollMs: 30,
      log: { debug: () => undefined, error: (m) => errors.push(m) },
      ...o,
    });

  const note = (
    channel: OutgoingNotification['channel'],
    recipient: string,
    sourceEventId = `ev-${++event}`,
  ): OutgoingNotification => ({
    kind: 'need_decided',
    channel,
    recipient,
    subject: '救助申请办理结果通知（案件编号 LH-2026-000123）',
    text: '【社会救助】王小明您好：您的“医疗救助”事项已办结：给予救助，金额 18000 元。',
    payload: { kind: 'need_decided', caseNumber: 'LH-2026-000123', amount: 18000 },
    sourceEventId,
    caseId: null,
  });
  const enqueue = (ns: OutgoingNotification[]) =>
    ds.transaction((m) => enqueueNotifications(m, ns, { newId: () => crypto.randomUUID() }));
  const rowOf = (sourceEventId: string) =>
    ds.getRepository(NotificationRow).findOneByOrFail({ sourceEventId });
  const webhook = () => new WebhookSender({ secret: SECRET, timeoutMs: 500, now: () => new Date() });

  it('one event, channel and recipient is written once, however often it is enqueued', async () => {
    const n = note('webhook', 'http://127.0.0.1:9/hook');
    await enqueue([n]);
    await enqueue([n, n]);
    expect(await ds.getRepository(NotificationRow).countBy({ sourceEventId: n.sourceEventId })).toBe(1);
    await ds.getRepository(NotificationRow).delete({ sourceEventId: n.sourceEventId });
  });

  it('a webhook is signed, carries the id, and a receiver that fails twice gets it on the third attempt', async () => {
    const r = await receiver((i) => (i <= 2 ? 500 : 200));
    servers.push(r.server);
    const n = note('webhook', r.url);
    await enqueue([n]);
    const d = dispatcher({ senders: [webhook()] });
    d.start();
    try {
      const row = await eventually(
        async () => {
          const x = await rowOf(n.sourceEventId);
          return x.status === 'sent' ? x : undefined;
        },
        { what: 'the webhook to be sent' },
      );
      expect(row.attempts).toBe(3);
      expect(r.got).toHaveLength(3);
      expect(r.got.every((g) => g.signatureValid && g.id === row.id)).toBe(true);
      expect(r.got[2]!.body).toMatchObject({
        id: row.id,
        kind: 'need_decided',
        data: { caseNumber: 'LH-2026-000123' },
      });
    } finally {
      await d.stop();
    }
  });

  it('after the last attempt a message is dead, logged once at error; resent, it goes out again', async () => {
    let up = false;
    const r = await receiver(() => (up ? 200 : 503));
    servers.push(r.server);
    const n = note('webhook', r.url);
    await enqueue([n]);
    const d = dispatcher({ senders: [webhook()] });
    const before = errors.length;
    d.start();
    try {
      const dead = await eventually(
        async () => {
          const x = await rowOf(n.sourceEventId);
          return x.status === 'dead' ? x : undefined;
        },
        { what: 'the webhook to be given up' },
      );
      expect(dead.attempts).toBe(3);
      expect(dead.lastError).toContain('HTTP 503');
      expect(errors.slice(before).filter((e) => e.includes(dead.id))).toHaveLength(1);
      await new Promise((res) => setTimeout(res, 150));
      expect(r.got).toHaveLength(3); // nothing more once dead
      up = true;
      expect(await d.resend(dead.id)).toBe(true);
      expect(await d.resend(dead.id)).toBe(false); // no longer dead
      const sent = await eventually(
        async () => {
          const x = await rowOf(n.sourceEventId);
          return x.status === 'sent' ? x : undefined;
        },
        { what: 'the resent webhook to be sent' },
      );
      expect(sent.attempts).toBe(1);
      expect(r.got).toHaveLength(4);
    } finally {
      await d.stop();
    }
  });

  it('a receiver that never answers fails the attempt after the timeout, with that reason', async () => {
    const r = await receiver(() => 'hang');
    servers.push(r.server);
    const n = note('webhook', r.url);
    await enqueue([n]);
    const d = dispatcher({ senders: [webhook()], maxAttempts: 1 });
    await d.runOnce();
    const row = await rowOf(n.sourceEventId);
    expect(row.status).toBe('dead');
    expect(row.lastError).toContain('500 ms 内无应答');
    r.server.closeAllConnections();
  });

  it('a channel this deployment did not configure is recorded dead at once, naming what is missing', async () => {
    const n = note('sms', '13800001234');
    await enqueue([n]);
    await dispatcher({ senders: [webhook()] }).runOnce();
    const row = await rowOf(n.sourceEventId);
    expect(row.status).toBe('dead');
    expect(row.lastError).toBe('未配置短信网关');
  });

  it('two dispatchers on one outbox send each of 40 messages once', async () => {
    const r = await receiver(() => 200);
    servers.push(r.server);
    const batch = Array.from({ length: 40 }, () => note('webhook', r.url));
    await enqueue(batch);
    // A receiver too slow to answer in time is sent the message again (at least once, by design): a generous
    // timeout leaves only the claims to decide how often each message goes out.
    const patient = () => new WebhookSender({ secret: SECRET, timeoutMs: 30_000, now: () => new Date() });
    const a = dispatcher({ senders: [patient()], batchSize: 3 });
    const b = dispatcher({ senders: [patient()], batchSize: 3 });
    await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);
    const ids = r.got.map((g) => g.id);
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
  });

  it('the SMS gateway receives { id, phone, text } signed like the webhook', async () => {
    const r = await receiver(() => 200);
    servers.push(r.server);
    const n = note('sms', '13800001234');
    await enqueue([n]);
    await dispatcher({
      senders: [new HttpSmsGateway({ url: r.url, secret: SECRET, timeoutMs: 1000, now: () => new Date() })],
    }).runOnce();
    const row = await rowOf(n.sourceEventId);
    expect(row.status).toBe('sent');
    expect(r.got).toEqual([
      { id: row.id, signatureValid: true, body: { id: row.id, phone: '13800001234', text: n.text } },
    ]);
  });

  it('email goes over SMTP in UTF-8 to a real server; a refused recipient is retried, not lost', async () => {
    const mails: Array<{ to: string[]; raw: string }> = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onRcptTo(address, _s, cb) {
        if (address.address.startsWith('refused'))
          return cb(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
        cb();
      },
      onData(stream, session, cb) {
        let raw = '';
        stream.setEncoding('utf8');
        stream.on('data', (c: string) => (raw += c));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((t) => t.address), raw });
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    const port = (smtp.server.address() as AddressInfo).port;
    const sender = new SmtpSender({
      url: `smtp://127.0.0.1:${port}`,
      from: '社会救助平台 <noreply@mzj.example.gov.cn>',
      timeoutMs: 2000,
    });
    try {
      const ok = note('email', 'wang@example.com');
      const refused = note('email', 'refused@example.com');
      await enqueue([ok, refused]);
      // A minute's backoff: the refused one is not tried again within this run.
      await dispatcher({ senders: [sender], baseMs: 60_000, maxMs: 60_000 }).runOnce();
      const sent = await rowOf(ok.sourceEventId);
      expect(sent.status).toBe('sent');
      expect(mails).toHaveLength(1);
      expect(mails[0]!.to).toEqual(['wang@example.com']);
      const parsed = await simpleParser(mails[0]!.raw);
      expect(parsed.subject).toBe(ok.subject);
      expect(parsed.text?.trim()).toBe(ok.text);
      expect(parsed.messageId).toBe(`<${sent.id}@mzj.example.gov.cn>`);
      const retried = await rowOf(refused.sourceEventId);
      expect(retried.status).toBe('pending');
      expect(retried.attempts).toBe(1);
      expect(retried.lastError).toContain('550');
    } finally {
      sender.close();
      await new Promise<void>((r) => smtp.close(() => r()));
    }
  });
});
