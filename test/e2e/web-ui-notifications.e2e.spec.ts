// Notifications in Chromium: the window records the applicant's consent to result notifications on the
// case form; when health decides the need, the email reaches a real SMTP server; the webhook receiver is
// down, so its message runs out of attempts, and the administrator finds it on 通知发送 and sends it again.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NOTIFICATION_ID_HEADER } from '@platform/notifications';
import { eventually } from '@platform/testing';
import { simpleParser } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import {
  BROWSER_CONTEXT,
  choose,
  expectAccessible,
  login,
  reloadUntil,
  screenshot,
  startWebPlatform,
  tick,
} from './browser.js';
import { Api, residentId, type RunningService } from './harness.js';

describe('web UI: result notifications and the administrator’s list (Chromium)', () => {
  let platform: RunningService | null = null;
  let browser: Browser | null = null;
  let hook: Server;
  let smtp: SMTPServer;
  let up = false;
  const delivered: string[] = [];
  const mails: string[] = [];

  beforeAll(async () => {
    hook = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (up) delivered.push(String(req.headers[NOTIFICATION_ID_HEADER]));
        res.statusCode = up ? 200 : 503;
        res.end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _s, cb) {
        let raw = '';
        stream.setEncoding('utf8');
        stream.on('data', (c: string) => (raw += c));
        stream.on('end', () => (mails.push(raw), cb()));
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    [platform, browser] = await startWebPlatform('wntf', {
      NOTIFY_WEBHOOK_URL: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`,
      NOTIFY_WEBHOOK_SECRET: 'web-notify-secret-that-is-long-enough-0123456789',
      SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
      SMTP_FROM: '社会救助平台 <noreply@mzj.example.gov.cn>',
      NOTIFY_MAX_ATTEMPTS: '2',
      NOTIFY_RETRY_BASE_MS: '100',
      NOTIFY_POLL_MS: '100',
    });
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    hook?.close();
    await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
  });

  async function onFailure(e: unknown): Promise<never> {
    for (const [i, page] of browser!
      .contexts()
      .flatMap((c) => c.pages())
      .entries())
      await screenshot(page, `notifications-failure-${i}`).catch(() => undefined);
    throw e;
  }

  it('consent on the case form, the email sent, a failed webhook resent by the administrator', async () => {
    const base = platform!.url;
    try {
      const window: Page = await (await browser!.newContext(BROWSER_CONTEXT)).newPage();
      await login(window, base, 'shuanghe.window');
      await window.goto(`${base}/workbench/cases/new`);
      await window.getByLabel('所在村（社区）区划代码').fill('150802100201');
      await window.getByLabel('成员1 姓名').fill('赵通知');
      await window
        .getByLabel('成员1 身份证号码')
        .fill(residentId(`15080219710205${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`));
      await choose(window, '事项1 类别', '医疗救助');
      await window.getByLabel('事项1 困难情况').fill('住院费用负担重');
      await tick(window.getByLabel('申请人同意向承办部门共享本人及家庭成员的信息'));
      await tick(window.getByLabel('申请人同意接收办理结果通知（短信发至申请人手机号码）'));
      // No phone and no email: the platform names what is missing.
      await window.getByRole('button', { name: /提交登记/ }).click();
      await window.getByText('同意接收办理结果通知时，须填写申请人手机号').first().waitFor();
      await window.getByLabel('同时发送到邮箱（选填）').fill('zhao@example.com');
      await screenshot(window, 'notifications-01-consent');
      await window.getByRole('button', { name: /提交登记/ }).click();
      await window.waitForURL(/\/workbench\/cases\/[0-9a-f-]{36}$/);
      const caseId = window.url().split('/').at(-1)!;
      await window.getByRole('button', { name: /受\s*理/ }).click();
      await window.getByTestId('case-status').filter({ hasText: '已受理' }).waitFor();
      const caseNumber = (await window.getByRole('heading', { level: 1, name: /^案件/ }).textContent())!
        .replace(/^案件\s*/, '')
        .trim();

      // Health decides through its API (its screens are another spec's).
      const api = new Api(base);
      const health = api.as(await api.login('linhe.health'));
      const referralId = await eventually(
        async () => {
          const v = await api
            .as(await api.login('shuanghe.window'))
            .ok<{ referrals: Array<{ referralId: string; department: string }> }>('GET', `/cases/${caseId}`);
          return v.referrals.find((r) => r.department === 'health')?.referralId;
        },
        { what: 'the health referral' },
      );
      await eventually(
        async () =>
          (await health.call('GET', `/health/referrals/${referralId}`)).status === 200 ? true : undefined,
        {
          what: 'health to receive it',
        },
      );
      await health.ok('POST', `/health/referrals/${referralId}/acknowledge`);
      await health.ok('POST', `/health/referrals/${referralId}/accept`);
      await health.ok('POST', `/health/referrals/${referralId}/complete`, {
        outcome: 'not_eligible',
        reason: '家庭收入超过认定标准',
      });

      const mail = await simpleParser(await eventually(async () => mails[0], { what: 'the email' }));
      expect(mail.subject).toBe(`救助申请办理结果通知（案件编号 ${caseNumber}）`);
      expect(mail.text).toContain('经审核不符合救助条件（家庭收入超过认定标准）');

      // The administrator finds the webhook that ran out of attempts.
      const admin = await (await browser!.newContext(BROWSER_CONTEXT)).newPage();
      await login(admin, base, 'admin');
      await admin.getByRole('menuitem', { name: '通知发送' }).click();
      await admin.waitForURL(/\/workbench\/admin\/notifications/);
      await admin
        .getByRole('radio', { name: '发送失败' })
        .click()
        .catch(async () => admin.getByText('发送失败', { exact: true }).click());
      await admin.waitForURL(/status=dead/);
      const dead = admin.getByRole('row').filter({ hasText: '业务系统推送' }).filter({ hasText: caseNumber });
      await admin.getByRole('table').waitFor();
      await reloadUntil(admin, dead);
      await expect(dead.textContent()).resolves.toMatch(
        /救助事项办结.*发送失败（已停止重试）.*已尝试 2 次.*接收方答复 HTTP 503/,
      );
      await expectAccessible(admin, 'notifications');
      await screenshot(admin, 'notifications-02-dead');

      up = true;
      await dead.getByRole('button', { name: '重新发送' }).click();
      await admin.getByText('已重新排入发送').waitFor();
      await eventually(async () => (delivered.length > 0 ? true : undefined), {
        what: 'the webhook to be delivered',
      });
      await admin.getByText('已发送', { exact: true }).first().click();
      const sent = admin.getByRole('row').filter({ hasText: '业务系统推送' }).filter({ hasText: caseNumber });
      await reloadUntil(admin, sent);
      await expect(sent.textContent()).resolves.toMatch(
        /已发送.*已尝试 1 次.*发送于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/,
      );
      await expect(sent.textContent()).resolves.not.toContain('重新发送');
      const emailRow = admin.getByRole('row').filter({ hasText: 'z***@example.com' });
      await emailRow.first().waitFor();
    } catch (e) {
      await onFailure(e);
    }
  }, 240_000);
});
