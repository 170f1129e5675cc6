// The citizens' public pages and the village committee's screens in a real Chromium against apps/platform.
// A citizen on a phone opens 公示公告 from the login page, finds a dibao application on its first notice by
// choosing the township and village by name, is refused an empty objection in Chinese (nothing filed), then
// files one and keeps its reference; the county sees that one objection. The standing list of recipients and
// its printable page open. The village committee reports a household through its form and follows it in
// 我上报的, where the department the window referred the need to appears.
import type { Browser, Page } from 'playwright-core';
import {
  BROWSER_CONTEXT,
  choose,
  expectAccessible,
  login,
  PHONE,
  reloadUntil,
  screenshot,
  startWebPlatform,
  tick,
} from './browser.js';
import { eventually } from '@platform/testing';
import { Api, residentId, type RunningService } from './harness.js';

const JINBU = '150802100201';

const randomDigits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
/** A valid resident ID of a person registered in 临河区, born 1950–1989. */
const linheResident = () =>
  residentId(
    `150802${1950 + Math.floor(Math.random() * 40)}0${1 + Math.floor(Math.random() * 9)}1${Math.floor(Math.random() * 9)}${randomDigits(3)}`,
  );
const beijingToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

/** Neither the page nor anything on it is wider than the phone's screen. */
async function expectNoHorizontalScroll(page: Page): Promise<void> {
  // Runs in the page (this spec's types have no DOM).
  const widths = await page.evaluate(() => {
    const w = globalThis as unknown as {
      innerWidth: number;
      document: { documentElement: { scrollWidth: number } };
    };
    return { scroll: w.document.documentElement.scrollWidth, viewport: w.innerWidth };
  });
  expect(widths.scroll).toBeLessThanOrEqual(widths.viewport);
}

/** Picks an option of an antd Select by the label beside it. */
// Timeouts are generous (300 s a step): axe and Chromium on a shared two-core machine are slow.
describe('public notices and the village committee in Chromium (apps/platform)', () => {
  let platform: RunningService | null = null;
  let browser: Browser | null = null;

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  async function withFailureScreenshots(prefix: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (e) {
      for (const [i, page] of browser!
        .contexts()
        .flatMap((c) => c.pages())
        .entries())
        await screenshot(page, `public-failure-${prefix}-${i}`).catch(() => undefined);
      throw new Error(`${(e as Error).message}\n--- platform ---\n${platform!.output().slice(-3000)}`, {
        cause: e,
      });
    }
  }

  // The platform, and a dibao application on its first notice in 进步村 (双河镇, 临河区), made through the API.
  let county: Api;
  let name: string;
  let applicationId: string;
  beforeAll(async () => {
    [platform, browser] = await startWebPlatform('webpub');
    const anon = new Api(platform.url);
    const window = anon.as(await anon.login('shuanghe.window'));
    county = anon.as(await anon.login('linhe.civil'));

    const applicant = linheResident();
    name = `孙${['秀', '玉', '桂'][Math.floor(Math.random() * 3)]}英`;
    const opened = await window.ok<{ caseId: string }>(
      'POST',
      '/cases',
      {
        channel: 'window',
        villageCode: JINBU,
        household: [{ name, idNumber: applicant, relationship: 'applicant' }],
        needs: [{ category: 'dibao', description: '独居老人，无固定收入' }],
        consentToShare: true,
      },
      201,
    );
    const accepted = await window.ok<{ needs: { referral: { referralId: string } | null }[] }>(
      'POST',
      `/cases/${opened.caseId}/accept`,
    );
    applicationId = accepted.needs[0]!.referral!.referralId;
    const step = (s: string) => `/civil-affairs/dibao/applications/${applicationId}/${s}`;
    for (let i = 0; i < 100; i++) {
      const r = await window.call('GET', `/civil-affairs/dibao/applications/${applicationId}`);
      if (r.status === 200) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    await window.ok('POST', step('investigation/start'));
    await window.ok('POST', step('investigation'), {
      date: beijingToday(),
      investigators: ['李春梅', '王强'],
      membersPresent: [name],
      household: [{ name, idNumber: applicant, relationship: 'applicant' }],
      area: 'rural',
      livingConditions: '独居，平房两间',
      incomes: [{ source: '零工', monthlyAmount: 200 }],
      assets: [],
      investigatorsConfirmed: true,
      applicantConfirmed: true,
    });
    await window.ok('POST', step('verification'), {
      findings: [{ department: '民政', findings: '无其他救助' }],
      conclusion: '符合规定',
    });
    await window.ok('POST', step('appraisal/skip'), { reason: '情况清楚，无需评议' });
    await window.ok('POST', step('township-review'), {
      recommendation: 'approve',
      opinion: '符合农村低保条件',
    });
    await window.ok('POST', step('first-notice'));
    // The public list is the dibao read model, a moment behind the notice: wait (signed in, so the
    // public pages' per-address limit is left to the phone) until the county lists it as on notice.
    await eventually(
      async () => {
        const page = await county.ok<{ items: { applicationId: string }[] }>(
          'GET',
          '/civil-affairs/dibao/applications?status=first_notice&pageSize=100',
        );
        return page.items.some((a) => a.applicationId === applicationId) ? true : undefined;
      },
      { what: 'the application to be listed on its first notice' },
    );
  }, 300_000);

  it('a citizen on a phone finds an application on notice by place names and objects to it', async () => {
    const base = platform!.url;
    const anon = new Api(base);
    // Place names for citizens: the city's counties, a county's townships, a township's villages.
    const townships = await anon.ok<{ items: { code: string; name: string }[]; total: number }>(
      'GET',
      '/public/places?parentCode=150802000000&pageSize=100',
    );
    expect(townships.items).toContainEqual(expect.objectContaining({ code: '150802100000', name: '双河镇' }));
    const unknown = await anon.call('GET', '/public/places?parentCode=159999999999');
    expect(unknown.status).toBe(404);
    expect((unknown.body as { message: string }).message).toContain('没有区划代码为 159999999999');

    const masked = `${name[0]}*${name[2]}`;

    await withFailureScreenshots('notice', async () => {
      // A citizen on a phone: from the login page's link, without an account.
      const phone = await (await browser!.newContext(PHONE)).newPage();
      await phone.goto(`${base}/login`);
      await phone.getByRole('link', { name: '低保、特困供养公示' }).click();
      await phone.waitForURL(/\/notices$/);
      await phone.getByRole('heading', { name: '低保、特困供养公示' }).waitFor();
      await phone.getByText('请先选择村（社区），再查看该村（社区）的公示。').waitFor();
      await expectNoHorizontalScroll(phone);
      await screenshot(phone, 'public-01-notices-choose');

      // By names: 临河区 → 双河镇 → 进步村 (the village list follows the township chosen).
      await choose(phone, '旗县区', '临河区');
      await choose(phone, '乡镇（街道）', '双河镇');
      await choose(phone, '村（社区）', '进步村');
      await phone.waitForURL(/village=150802100201/);
      const entry = phone.getByTestId('notice').filter({ hasText: masked });
      await entry.waitFor();
      const text = (await entry.textContent())!;
      expect(text).toContain('第一次公示');
      expect(text).toContain('最低生活保障');
      expect(text).toContain('双河镇进步村');
      // 公示期 in Beijing time: seven days from now, to the minute, no UTC `T…Z`.
      expect(text).toMatch(/公示期\d{4}\/\d{2}\/\d{2} \d{2}:\d{2} 至 \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/);
      expect(text).not.toMatch(/\dT\d|Z\b|[0-9a-f]{8}-[0-9a-f]{4}/);
      expect(text).not.toContain(name); // the full name is never shown
      await expectAccessible(phone, 'public notices list');
      await expectNoHorizontalScroll(phone);
      await screenshot(phone, 'public-02-notices-listed');

      // An empty objection: the server's Chinese words, and nothing is filed.
      await entry.getByRole('button', { name: '提出异议' }).click();
      const dialog = phone.getByRole('dialog');
      await dialog.getByText(`对 ${masked}（最低生活保障）提出异议`).waitFor();
      await dialog.getByRole('button', { name: /提交异议/ }).click();
      await dialog.getByRole('alert').filter({ hasText: '异议内容不能为空' }).waitFor();
      await expectAccessible(phone, 'objection form');
      await screenshot(phone, 'public-03-objection-empty');
      const before = await county.ok<{ objections: unknown[] }>(
        'GET',
        `/civil-affairs/dibao/applications/${applicationId}`,
      );
      expect(before.objections).toEqual([]);

      // Then a real one: the reference number to keep.
      await dialog.getByLabel('异议内容').fill('申请人儿子在城里开饭店，经常接济');
      await dialog.getByLabel('联系方式（可不填）').fill('13904781234');
      await dialog.getByRole('button', { name: /提交异议/ }).click();
      const reference = (await dialog.getByTestId('objection-reference').textContent())!.trim();
      expect(reference).toMatch(/^YY\d{8}-[0-9A-F]{6}$/);
      await dialog.getByText('个工作日内复核').waitFor();
      await expectNoHorizontalScroll(phone);
      await screenshot(phone, 'public-04-objection-filed');

      // The county sees exactly that objection on the application.
      const after = await county.ok<{ objections: { reference: string; content?: string }[] }>(
        'GET',
        `/civil-affairs/dibao/applications/${applicationId}`,
      );
      expect(after.objections.map((o) => o.reference)).toEqual([reference]);
      await dialog.getByRole('button', { name: /完\s*成/ }).click();
      await dialog.waitFor({ state: 'hidden' });
      // The standing list of the same village, the choice carried over.
      await phone.getByRole('link', { name: '查看本村（社区）已纳入保障的对象（长期公示）' }).click();
      await phone.waitForURL(/\/notices\/recipients\?.*village=150802100201/);
      await phone.getByRole('heading', { name: '保障对象长期公示' }).waitFor();
    });
  }, 300_000);

  it('the standing list of recipients opens by place names, and prints', async () => {
    const base = platform!.url;
    await withFailureScreenshots('recipients', async () => {
      // From the progress page's link: 长期公示, by names; then its printable page.
      const phone = await (await browser!.newContext(PHONE)).newPage();
      await phone.goto(`${base}/progress`);
      await phone.getByRole('link', { name: '保障对象长期公示' }).click();
      await phone.waitForURL(/\/notices\/recipients$/);
      await phone.getByRole('heading', { name: '保障对象长期公示' }).waitFor();
      await phone.getByText('请先选择乡镇（街道），再查看公示名单。').waitFor();
      await choose(phone, '旗县区', '临河区');
      await choose(phone, '乡镇（街道）', '双河镇');
      // A whole township first, then one village (only a village's list prints).
      const list = phone.getByTestId('recipient-list');
      await list.getByText(/^巴彦淖尔市临河区双河镇 共 \d+ 户/).waitFor();
      expect(await phone.getByRole('link', { name: /打印本村（社区）公示名单/ }).count()).toBe(0);
      await choose(phone, '村（社区）', '进步村');
      await phone.waitForURL(/village=150802100201/);
      await list
        .getByText(/巴彦淖尔市临河区双河镇进步村 共 \d+ 户（截至 \d{4}年\d{1,2}月\d{1,2}日）/)
        .waitFor();
      await expectAccessible(phone, 'public recipients');
      await expectNoHorizontalScroll(phone);
      await screenshot(phone, 'public-05-recipients');
      const [print] = await Promise.all([
        phone.waitForEvent('popup'),
        phone.getByRole('link', { name: /打印本村（社区）公示名单/ }).click(),
      ]);
      await print.waitForLoadState();
      await print.getByText('最低生活保障和特困人员救助供养对象长期公示').first().waitFor();
      expect(await print.textContent('body')).toContain('巴彦淖尔市临河区双河镇进步村');
      await screenshot(print, 'public-06-recipients-print');

      // The pages link to each other: to the notices, keeping the place chosen.
      await phone.getByRole('link', { name: '查看正在公示的申请，或提出异议' }).click();
      await phone.waitForURL(/\/notices\?.*village=150802100201/);
      await phone.getByTestId('notice').filter({ hasText: '第一次公示' }).first().waitFor();
      await phone.getByRole('link', { name: '办理进度查询' }).click();
      await phone.waitForURL(/\/progress$/);
      await phone.getByRole('link', { name: '低保、特困供养公示（提出异议）' }).click();
      await phone.waitForURL(/\/notices$/);
    });
  }, 300_000);

  it('the village committee reports a household and follows it in 我上报的', async () => {
    if (!platform || !browser) throw new Error('the first test starts the platform and the browser');
    const base = platform.url;
    const anon = new Api(base);
    const window = anon.as(await anon.login('shuanghe.window'));
    const villageApi = anon.as(await anon.login('jinbu.village'));

    await withFailureScreenshots('village', async () => {
      const village = await (await browser!.newContext(BROWSER_CONTEXT)).newPage();
      await login(village, base, 'jinbu.village');
      await village.waitForURL(/\/workbench\/village\/reported$/);
      await village.getByRole('heading', { name: '我上报的困难家庭' }).waitFor();
      await expect(village.getByTestId('current-user').textContent()).resolves.toContain(
        '村（居）委会核查人员',
      );
      await village.getByRole('table').waitFor();

      // 上报困难家庭: the committee's own village, by name; the household and its needs.
      await village.getByRole('menuitem', { name: '上报困难家庭' }).click();
      await village.waitForURL(/\/workbench\/village\/report$/);
      await expect(village.getByLabel('所在村（社区）').inputValue()).resolves.toBe(
        '巴彦淖尔市临河区双河镇进步村',
      );
      await village.getByLabel('成员1 姓名').fill('周大勇');
      await village.getByLabel('成员1 身份证号码').fill(linheResident());
      await choose(village, '事项1 类别', '医疗救助');
      await village.getByLabel('事项1 困难情况').fill('突发脑梗住院，家中无力支付医药费');
      await tick(village.getByLabel('申请人同意向承办部门共享本人及家庭成员的信息'));
      await expectAccessible(village, 'village report form');
      await screenshot(village, 'public-07-village-report');
      await village.getByRole('button', { name: /提交上报/ }).click();
      const toast = village.locator('.ant-message').getByText(/已上报，案件编号/);
      const caseNumber = /案件编号 (\S+)，/.exec((await toast.textContent())!)![1]!;
      expect(caseNumber).toMatch(/^150802-\d{4}-\d{6}$/);
      await village.waitForURL(/\/workbench\/village\/reported$/);

      // 我上报的: waiting for the window, no department yet.
      const row = village.getByRole('row').filter({ hasText: caseNumber });
      await village.getByRole('table').waitFor();
      await reloadUntil(village, row);
      await expect(row.textContent()).resolves.toMatch(/已登记，待受理.*医疗救助 · 待确定办理部门 · 待转办/);

      // The window accepts it; the committee sees the department that handles the need.
      const reported = await villageApi.ok<{ items: { caseId: string; caseNumber: string }[] }>(
        'GET',
        '/cases/reported?pageSize=100',
      );
      const caseId = reported.items.find((c) => c.caseNumber === caseNumber)!.caseId;
      await window.ok('POST', `/cases/${caseId}/accept`);
      const referred = village
        .getByRole('row')
        .filter({ hasText: '卫生健康部门' })
        .filter({ hasText: caseNumber });
      await reloadUntil(village, referred);
      await expect(referred.textContent()).resolves.toMatch(
        /已受理（\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}）.*医疗救助 · 卫生健康部门 · (已转办|部门已接收)/,
      );
      await expectAccessible(village, 'village reported list');
      await screenshot(village, 'public-08-village-reported');
    });
  }, 300_000);
});
