import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NOTIFICATION_ID_HEADER, SIGNATURE_HEADER, verifySignature } from '@platform/notifications';
import { eventually, requireDatabaseUrl, uniqueName } from '@platform/testing';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { Api, residentId, startService, type RunningService } from './harness.js';

const SECRET = 'e2e-notify-secret-that-is-long-enough-0123456789';

interface Hit {
  id: string;
  signed: boolean;
  body: Record<string, unknown>;
}

/** A real HTTP receiver (the webhook subscriber, the SMS gateway) that checks each signature. */
async function receiver(): Promise<{ url: string; hits: Hit[]; server: Server }> {
  const hits: Hit[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (text += c));
    req.on('end', () => {
      hits.push({
        id: String(req.headers[NOTIFICATION_ID_HEADER]),
        signed: verifySignature(
          SECRET,
          req.headers[SIGNATURE_HEADER] as string,
          text,
          Math.floor(Date.now() / 1000),
        ),
        body: JSON.parse(text) as Record<string, unknown>,
      });
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/in`, hits, server };
}

/**
 * A decided need tells the applicant who agreed to be told — by SMS through the gateway and by email
 * through a real SMTP server — and the subscribed webhook, signed, without personal data; apps/platform
 * as its own process on real PostgreSQL.
 */
describe('notifications: a decided need reaches the applicant and the subscribed systems', () => {
  const prefix = uniqueName('ntf');
  let platform: RunningService;
  let webhook: Awaited<ReturnType<typeof receiver>>;
  let sms: Awaited<ReturnType<typeof receiver>>;
  let smtp: SMTPServer;
  const mails: Array<{ to: string[]; raw: string }> = [];
  let window: Api;
  let health: Api;
  let admin: Api;
  let person = 0;

  beforeAll(async () => {
    webhook = await receiver();
    sms = await receiver();
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
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
    platform = await startService('platform', {
      DATABASE_URL: requireDatabaseUrl(),
      DATABASE_SCHEMA_PREFIX: prefix,
      JWT_SECRET: 'e2e-secret-that-is-long-enough-for-hs256-0123456789',
      TRANSPORT: 'event-log',
      KAFKA_BROKERS: '',
      DATABASE_POOL_SIZE: '8',
      NOTIFY_WEBHOOK_URL: webhook.url,
      NOTIFY_WEBHOOK_SECRET: SECRET,
      SMS_GATEWAY_URL: sms.url,
      SMS_GATEWAY_SECRET: SECRET,
      SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
      SMTP_FROM: '社会救助平台 <noreply@mzj.example.gov.cn>',
      NOTIFY_POLL_MS: '100',
      CLOCK_CONTROL: 'true',
      OVERDUE_SCAN_MS: '200',
    });
    const api = new Api(platform.url);
    window = api.as(await api.login('shuanghe.window'));
    health = api.as(await api.login('linhe.health'));
    admin = api.as(await api.login('admin'));
  }, 150_000);

  afterAll(async () => {
    await platform?.stop();
    webhook?.server.close();
    sms?.server.close();
    await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
  });

  const applicant = (extra: Record<string, unknown> = {}) => ({
    name: '通知测试',
    idNumber: residentId(`15080219800101${String(++person).padStart(3, '0')}`),
    relationship: 'applicant',
    ...extra,
  });
  const caseBody = (member: Record<string, unknown>, notify?: unknown) => ({
    channel: 'window',
    villageCode: '150802100201',
    household: [member],
    needs: [{ category: 'medical', description: '住院费用' }],
    consentToShare: true,
    ...(notify !== undefined ? { notify } : {}),
  });

  /** Opens and accepts a case with one medical need; returns once health holds the referral. */
  async function referred(
    body: unknown,
  ): Promise<{ caseId: string; caseNumber: string; referralId: string }> {
    const opened = await window.ok<{ caseId: string; caseNumber: string }>('POST', '/cases', body, 201);
    const accepted = await window.ok<{ needs: Array<{ referral: { referralId: string } }> }>(
      'POST',
      `/cases/${opened.caseId}/accept`,
    );
    const referralId = accepted.needs[0]!.referral.referralId;
    await eventually(
      async () =>
        (await health.call('GET', `/health/referrals/${referralId}`)).status === 200 ? true : undefined,
      { what: 'health to receive the referral' },
    );
    return { ...opened, referralId };
  }

  /** Opens and accepts a case, and has health grant its medical need. */
  async function decided(body: unknown): Promise<{ caseId: string; caseNumber: string; referralId: string }> {
    const { referralId, ...opened } = await referred(body);
    await health.ok('POST', `/health/referrals/${referralId}/acknowledge`);
    await health.ok('POST', `/health/referrals/${referralId}/accept`);
    await health.ok('POST', `/health/referrals/${referralId}/complete`, {
      outcome: 'granted',
      amount: 18000,
      service: '大病保险二次报销',
    });
    return { ...opened, referralId };
  }

  it('refuses consent without a phone or email, and a malformed email, naming the field; nothing is opened', async () => {
    const noContact = await window.call('POST', '/cases', caseBody(applicant(), { consent: true }));
    expect(noContact.status).toBe(422);
    expect(noContact.body).toMatchObject({ code: 'NOTIFY_CONTACT_REQUIRED' });
    expect(JSON.stringify(noContact.body)).toContain('notify.email');
    const badEmail = await window.call(
      'POST',
      '/cases',
      caseBody(applicant(), { consent: true, email: 'not-an-email' }),
    );
    expect(badEmail.status).toBe(422);
    expect(JSON.stringify(badEmail.body)).toContain('通知邮箱（notify.email）格式不正确');
    const list = await window.ok<{ items: Array<{ applicantName: string }> }>('GET', '/cases?pageSize=100');
    expect(list.items.some((c) => c.applicantName.startsWith('通'))).toBe(false);
  });

  it('with consent: one SMS, one email and one signed webhook, in plain Chinese, without personal data to the webhook', async () => {
    const phone = '13800001234';
    const c = await decided(caseBody(applicant({ phone }), { consent: true, email: 'tongzhi@example.com' }));
    const text = await eventually(
      async () => (sms.hits.find((h) => h.body.phone === phone)?.body.text as string) ?? undefined,
      {
        what: 'the SMS gateway to be called',
      },
    );
    expect(text).toContain(
      `通知测试您好：您的救助申请（案件编号 ${c.caseNumber}）中的“医疗救助”事项，卫生健康部门已于`,
    );
    expect(text).toContain('办结：给予救助，金额 18000 元（大病保险二次报销）');
    expect(text).toMatch(/已于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 办结/); // Beijing time, not UTC ISO
    const mail = await eventually(async () => mails.find((m) => m.to.includes('tongzhi@example.com')), {
      what: 'the email',
    });
    const parsed = await simpleParser(mail.raw);
    expect(parsed.subject).toBe(`救助申请办理结果通知（案件编号 ${c.caseNumber}）`);
    expect(parsed.text?.trim()).toBe(text);
    const hook = await eventually(
      async () =>
        webhook.hits.find((h) => (h.body.data as { caseNumber?: string }).caseNumber === c.caseNumber),
      { what: 'the webhook' },
    );
    expect(hook.signed).toBe(true);
    expect(hook.body).toMatchObject({
      kind: 'need_decided',
      data: { outcome: 'granted', amount: 18000, department: 'health', category: 'medical' },
    });
    expect(JSON.stringify(hook.body.data)).not.toMatch(/通知测试|13800001234|tongzhi/);
    // The window sees what the applicant agreed to; viewing the email is recorded like the phone.
    const view = await window.ok<{ resultNotice: unknown }>('GET', `/cases/${c.caseId}`);
    expect(view.resultNotice).toEqual({
      sms: true,
      email: 'tongzhi@example.com',
      text: '短信、邮件 tongzhi@example.com',
    });
    // Once each, however long we wait.
    await new Promise((r) => setTimeout(r, 600));
    expect(sms.hits.filter((h) => h.body.phone === phone)).toHaveLength(1);
    expect(mails.filter((m) => m.to.includes('tongzhi@example.com'))).toHaveLength(1);
    expect(
      webhook.hits.filter((h) => (h.body.data as { caseNumber?: string }).caseNumber === c.caseNumber),
    ).toHaveLength(1);
  });

  it('without consent the applicant is not messaged; the webhook still learns of the decision', async () => {
    const c = await decided(caseBody(applicant({ phone: '13900005678' })));
    await eventually(
      async () =>
        webhook.hits.find((h) => (h.body.data as { caseNumber?: string }).caseNumber === c.caseNumber),
      {
        what: 'the webhook',
      },
    );
    await new Promise((r) => setTimeout(r, 600));
    expect(sms.hits.some((h) => h.body.phone === '13900005678')).toBe(false);
  });

  it('administrators see what was sent, masked and in Beijing time; others may not; a sent message cannot be resent', async () => {
    const list = await admin.ok<{ items: Array<Record<string, unknown>>; total: number }>(
      'GET',
      '/notifications?status=sent&pageSize=100',
    );
    const smsRow = list.items.find((i) => i.channel === 'sms' && i.recipient === '138****1234');
    expect(smsRow).toMatchObject({
      channelName: '短信',
      kindName: '救助事项办结',
      statusName: '已发送',
      attempts: 1,
    });
    expect(String(smsRow!.sentAtText)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(JSON.stringify(list)).not.toContain('13800001234');
    expect(JSON.stringify(list)).not.toContain('tongzhi@');
    expect((await window.call('GET', '/notifications')).status).toBe(403);
    const again = await admin.call('POST', `/notifications/${String(smsRow!.id)}/resend`);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'NOTIFICATION_NOT_DEAD' });
    expect(
      (await admin.call('POST', '/notifications/00000000-0000-4000-8000-000000000000/resend')).status,
    ).toBe(404);
    expect((await admin.call('GET', '/notifications?status=lost')).status).toBe(422);
    // Operators see the outbox on /metrics: one SMS sent, nothing dead.
    const metrics = await (await fetch(`${platform.url}/metrics`)).text();
    expect(metrics).toMatch(/sap_notifications\{[^}]*channel="sms"[^}]*status="sent"[^}]*\} 1\n/);
    expect(metrics).not.toMatch(/sap_notifications\{[^}]*status="dead"/);
  });

  it("an overdue referral reminds the department's officers of the county and the city who gave an email, and nobody else", async () => {
    const userId = async (username: string) =>
      (
        await admin.ok<{ items: Array<{ id: string; username: string }> }>(
          'GET',
          `/admin/users?q=${username}&pageSize=10`,
        )
      ).items.find((u) => u.username === username)!.id;
    const set = (id: string, email: unknown) => admin.call('PUT', `/admin/users/${id}/email`, { email });
    const county = await userId('linhe.health');
    const city = await userId('city.health');
    const windowUser = await userId('shuanghe.window');
    // Bad input names the field and changes nothing; only administrators may set it.
    const bad = await set(county, 'not-an-email');
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('邮箱（email）格式不正确');
    expect((await health.call('PUT', `/admin/users/${county}/email`, { email: 'x@y.cn' })).status).toBe(403);
    const saved = await set(county, ' LinHe.Health@WSJ.example.gov.cn ');
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ email: 'linhe.health@wsj.example.gov.cn' });
    await set(city, 'city.health@wsj.example.gov.cn');
    await set(windowUser, 'shuanghe.window@mzj.example.gov.cn');
    // Changing an address does not end the officer's session.
    expect((await health.call('GET', '/health/referrals?pageSize=1')).status).toBe(200);
    const history = await admin.ok<{ history: Array<{ summary: string }> }>('GET', `/admin/users/${county}`);
    expect(history.history.map((h) => h.summary)).toContain('设置工作邮箱：linhe.health@wsj.example.gov.cn');

    // Deadlines are counted from when health receives the referral: only then does the clock move.
    const opened = await referred(caseBody(applicant()));
    try {
      await admin.ok('POST', '/admin/clock', { offsetMs: 40 * 24 * 3600_000 });
      const reminder = (to: string) =>
        eventually(
          async () => {
            for (const m of mails.filter((x) => x.to.includes(to))) {
              const parsed = await simpleParser(m.raw);
              if (parsed.subject?.includes(opened.caseNumber)) return parsed;
            }
            return undefined;
          },
          { timeoutMs: 30_000, what: `an overdue reminder to ${to}` },
        );
      const toCounty = await reminder('linhe.health@wsj.example.gov.cn');
      expect(toCounty.subject).toMatch(
        new RegExp(`^【逾期提醒】案件 ${opened.caseNumber} 的“医疗救助”事项已超过(签收|办结)时限$`),
      );
      expect(toCounty.text).toContain('临河区');
      expect(toCounty.text).toContain('卫生健康部门');
      // The officer looks the case up in the platform: no applicant's name in the mail.
      expect(toCounty.text).not.toContain('通知测试');
      await reminder('city.health@wsj.example.gov.cn');
      await new Promise((r) => setTimeout(r, 500));
      expect(mails.some((m) => m.to.includes('shuanghe.window@mzj.example.gov.cn'))).toBe(false);
    } finally {
      await admin.call('POST', '/admin/clock', { offsetMs: 0 });
    }
    // Removing the address: the next reminder would not go there.
    const removed = await set(county, null);
    expect(removed.body).toMatchObject({ email: null });
  }, 90_000);
});
