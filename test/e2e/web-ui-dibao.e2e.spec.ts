// 低保、特困审核确认 in the web UI (apps/web) in a real Chromium against apps/platform with a movable clock:
// the 双河镇 window starts the investigation, the 进步村 committee records it (a lone investigator refused by
// the server) and the 民主评议, the window records the verification, reviews, posts the first notice, is
// refused submitting before it ends, and submits eight days later; the 临河区 bureau reviews, is refused the
// second notice before the spot check, records it, posts the second notice and, eight days later,
// approves, opens the 保障决定书 and downloads the month's payment roster; the household is on the village's
// standing list of recipients; the bureau then takes the household to the joint meeting (一事一议), health
// marks the meeting's decision done and the joint meeting reads the item; the bureau registers a social-work
// organisation with its social worker's account and a purchased-service project, and sends it to the household
// (派单社会力量) charged to the project; the social worker records a visit and the outcome. Case creation and
// clock moves use the API.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
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

const DAY = 86_400_000;
const LINHE = '150802000000';
const JINBU = '150802100201';

// Generous timeouts: the machine's two cores are shared with other suites running at once.
describe('dibao review in the web UI (apps/platform, event-log transport, moved clock)', () => {
  let platform: RunningService | null = null;
  let browser: Browser | null = null;
  let admin: Api;
  let anon: Api;
  let applicationId = '';
  const applicant = { name: '高永福', masked: '高*福' };
  const spouse = '李桂芝';
  const birth = () =>
    `19${String(50 + Math.floor(Math.random() * 20))}0${1 + Math.floor(Math.random() * 9)}1${Math.floor(Math.random() * 9)}`;
  const applicantId = residentId(
    `150802${birth()}${String(Math.floor(Math.random() * 500)).padStart(3, '0')}`,
  );
  const spouseId = residentId(
    `150802${birth()}${String(500 + Math.floor(Math.random() * 499)).padStart(3, '0')}`,
  );

  const setClock = (offsetMs: number) => admin.ok('POST', '/admin/clock', { offsetMs });

  const status = (page: Page, text: string) =>
    page.getByTestId('dibao-status').filter({ hasText: text }).waitFor({ timeout: 30_000 });

  /** Opens a step's form, lets `fill` fill it, submits; returns the dialog (closed on success). */
  async function submitForm(
    page: Page,
    button: string,
    submit: string,
    fill: (d: ReturnType<Page['getByRole']>) => Promise<void>,
  ) {
    await page.getByRole('button', { name: button, exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await fill(dialog);
    await dialog.getByRole('button', { name: submit }).click();
    return dialog;
  }

  /**
   * Lists are read models behind the write, and the shared machine can hold them back longer than a
   * page's reloads wait: the list answers with the application in `status` before the page looks.
   */
  async function listed(user: string, status: string) {
    const as = anon.as(await anon.login(user));
    for (let i = 0; i < 300; i++) {
      const page = await as.ok<{ items: { applicationId: string; status: string }[] }>(
        'GET',
        `/civil-affairs/dibao/applications?status=${status}&pageSize=100`,
      );
      if (page.items.some((r) => r.applicationId === applicationId)) return;
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(`${user} does not list the application as ${status}`);
  }

  /** A menu entry; past the header's width antd folds entries into “…”, opened on hover. */
  async function openMenu(page: Page, name: string) {
    const item = page.getByRole('menuitem', { name });
    const rest = page.locator('.ant-menu-overflow-item-rest:visible');
    await item.or(rest).first().waitFor();
    if (!(await item.isVisible())) await rest.hover();
    await item.click();
  }

  async function failWithScreens(e: unknown, tag: string): Promise<never> {
    for (const [i, page] of browser!
      .contexts()
      .flatMap((c) => c.pages())
      .entries())
      await screenshot(page, `dibao-failure-${tag}-${i}`).catch(() => undefined);
    throw new Error(`${(e as Error).message}\n--- platform ---\n${platform!.output().slice(-3000)}`, {
      cause: e,
    });
  }

  afterAll(async () => {
    if (platform) await setClock(0).catch(() => undefined);
    await browser?.close();
    await platform?.stop();
  });

  it('the village committee and the township window investigate, review, post the notice and submit', async () => {
    [platform, browser] = await startWebPlatform('webdibao', { CLOCK_CONTROL: 'true' });
    const base = platform.url;
    anon = new Api(base);
    admin = anon.as(await anon.login('admin'));
    // 临河区's standards for the year: the approval computes the allowance from them.
    await admin.ok(
      'POST',
      '/admin/policy/allowance-standards',
      {
        content: {
          [LINHE]: { urbanDibaoMonthly: 870, ruralDibaoMonthly: 690, specialHardshipMonthly: 1131 },
        },
        effectiveFrom: '2026-01-01',
        reason: '临河区人民政府关于 2026 年城乡最低生活保障标准的通知',
      },
      201,
    );
    // Through the API: a 低保 need opened and accepted at the 双河镇 window becomes an application.
    const windowApi = anon.as(await anon.login('shuanghe.window'));
    const opened = await windowApi.ok<{ caseId: string }>(
      'POST',
      '/cases',
      {
        channel: 'window',
        villageCode: JINBU,
        consentToShare: true,
        household: [
          { name: applicant.name, idNumber: applicantId, relationship: 'applicant', phone: '13904780022' },
          { name: spouse, idNumber: spouseId, relationship: 'spouse' },
        ],
        needs: [{ category: 'dibao', description: '老两口年老体弱，妻子残疾，家庭收入低' }],
      },
      201,
    );
    const accepted = await windowApi.ok<{ needs: { referral: { referralId: string } | null }[] }>(
      'POST',
      `/cases/${opened.caseId}/accept`,
      {},
    );
    applicationId = accepted.needs[0]!.referral!.referralId;

    try {
      // The window finds it in 低保特困审核: masked, by village, in Chinese; and starts the investigation.
      await listed('shuanghe.window', 'received');
      const window = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
      await login(window, base, 'shuanghe.window');
      await openMenu(window, '低保特困审核');
      await window.waitForURL(/\/workbench\/civil-affairs\/dibao$/);
      await window.getByRole('table').first().waitFor();
      const row = window.getByRole('row').filter({ hasText: applicant.masked });
      await reloadUntil(window, row);
      await expect(row.textContent()).resolves.toMatch(
        /高\*福.*最低生活保障.*双河镇进步村.*已受理，待入户调查/,
      );
      expect(await row.textContent()).not.toContain(applicant.name);
      await expectAccessible(window, 'dibao list');
      await screenshot(window, 'dibao-01-list');
      await row.getByRole('link', { name: applicant.masked }).click();
      await window.waitForURL(new RegExp(`/workbench/civil-affairs/dibao/${applicationId}$`));
      await status(window, '已受理，待入户调查');
      await expect(window.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
        applicant.name,
      );
      await window.getByRole('button', { name: '开始入户调查' }).click();
      await status(window, '入户调查中');
      await expectAccessible(window, 'dibao application');

      // The village committee records the investigation on the township's behalf.
      await listed('jinbu.village', 'investigating');
      const village = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
      await login(village, base, 'jinbu.village');
      await openMenu(village, '低保特困审核');
      const villageRow = village.getByRole('row').filter({ hasText: applicant.masked });
      await village.getByRole('table').first().waitFor();
      await reloadUntil(village, villageRow.filter({ hasText: '入户调查中' }));
      await villageRow.getByRole('link', { name: applicant.masked }).click();
      await status(village, '入户调查中');
      // Only what a village committee may do: no verification, no review.
      await village.getByRole('button', { name: '记录入户调查' }).waitFor();
      expect(await village.getByRole('button', { name: '记录核对结果' }).count()).toBe(0);
      expect(await village.getByRole('button', { name: '开始入户调查' }).count()).toBe(0);

      await village.getByRole('button', { name: '记录入户调查', exact: true }).click();
      const form = village.getByRole('dialog');
      await form.waitFor();
      await expect(form.getByLabel('成员1 姓名').inputValue()).resolves.toBe(applicant.name);
      await form.getByLabel('调查人员（不少于2名').fill('张桂兰');
      await form.getByRole('button', { name: '添加家庭成员' }).click();
      await form.getByLabel('成员2 姓名').fill(spouse);
      await form.getByLabel('成员2 身份证号码').fill(spouseId);
      await tick(form.getByLabel('成员2 持有残疾证'));
      await form.getByLabel('在场的家庭成员').fill(`${applicant.name}、${spouse}`);
      await form.getByLabel('居住和生活状况').fill('土坯房两间，无大件家电，夫妻二人年老体弱');
      await form.getByRole('button', { name: '添加收入' }).click();
      await form.getByLabel('收入1 来源').fill('种植收入');
      await form.getByLabel('收入1 月收入（元）').fill('500');
      await form.getByRole('button', { name: '添加财产' }).click();
      await form.getByLabel('财产1 类别').fill('耕地');
      await form.getByLabel('财产1 说明').fill('承包地 5 亩');
      await tick(form.getByLabel('调查人员已签字确认'));
      await tick(form.getByLabel('申请人已签字确认'));
      await expectAccessible(village, 'dibao investigation form');
      // A lone investigator: the server's rule, in Chinese, in the form; nothing is recorded.
      await form.getByRole('button', { name: '提交调查记录' }).click();
      await form.getByRole('alert').filter({ hasText: '不少于 2 名' }).waitFor();
      await screenshot(village, 'dibao-02-investigation-refused');
      await form.getByLabel('调查人员（不少于2名').fill('李春梅、张桂兰');
      await form.getByRole('button', { name: '提交调查记录' }).click();
      await form.waitFor({ state: 'hidden' });
      await village.getByText('调查人员 李春梅、张桂兰').first().waitFor();
      await status(village, '入户调查中');
      await expect(village.getByRole('row').filter({ hasText: spouseId }).textContent()).resolves.toMatch(
        /李桂芝.*配偶.*持有残疾证/,
      );

      // 民主评议: 8 of 12 attend (two thirds), 7 agree.
      const appraisal = await submitForm(village, '记录民主评议', '提交评议记录', async (d) => {
        await d.getByLabel('应到人数').fill('12');
        await d.getByLabel('实到人数').fill('8');
        await d.getByLabel('同意人数').fill('7');
        await d.getByLabel('评议记录', { exact: true }).fill('村民代表会议评议，多数同意');
        await tick(d.getByLabel('评议记录已由参加人员签字'));
      });
      await appraisal.waitFor({ state: 'hidden' });
      await village.getByText('评议通过').first().waitFor();

      // The window: verification, review (the township review starts once all three are in), first notice.
      await window.reload();
      await status(window, '入户调查中');
      const verification = await submitForm(window, '记录核对结果', '提交核对结果', async (d) => {
        await d.getByLabel('核对部门1', { exact: true }).fill('公安');
        await d.getByLabel('核对部门1 核对结果').fill('家庭成员名下无机动车');
        await d.getByRole('button', { name: '添加核对部门' }).click();
        await d.getByLabel('核对部门2', { exact: true }).fill('不动产登记');
        await d.getByLabel('核对部门2 核对结果').fill('无城镇住房');
        await d.getByLabel('核对结论').fill('家庭收入和财产状况符合规定');
      });
      await verification.waitFor({ state: 'hidden' });
      await status(window, '乡镇（街道）审核中');
      const review = await submitForm(window, '提出审核意见', '提交审核意见', async (d) => {
        await tick(d.getByLabel('同意保障', { exact: true }));
        await d.getByLabel('审核意见').fill('经审核，家庭月人均收入低于农村低保标准，同意纳入保障');
      });
      await review.waitFor({ state: 'hidden' });
      await window.getByText('经审核，家庭月人均收入低于农村低保标准').first().waitFor();
      await window.getByRole('button', { name: '发布第一次公示（7天）' }).click();
      await status(window, '第一次公示中');
      // Submitting while the notice runs: the server refuses, the status stays.
      await window.getByRole('button', { name: '报送旗县区民政部门' }).click();
      await window.getByRole('alert').filter({ hasText: '公示期满后方可报送' }).waitFor();
      await status(window, '第一次公示中');
      await screenshot(window, 'dibao-03-notice-running');

      // Eight days later the notice has run: submitted to the county, the spot-check sample drawn.
      await setClock(8 * DAY);
      await window.getByRole('button', { name: '报送旗县区民政部门' }).click();
      await status(window, '旗县区民政部门审批中');
      expect(await window.getByRole('alert').filter({ hasText: '公示期满后方可报送' }).count()).toBe(0);
      await expect(window.getByTestId('dibao-steps').textContent()).resolves.toMatch(
        /李春梅.*第一次公示.*须入户抽查/,
      );
      await screenshot(window, 'dibao-04-submitted');
    } catch (e) {
      await failWithScreens(e, 'township');
    }
  }, 420_000);

  it('the county reviews, spot-checks, posts the second notice, approves and opens the decision', async () => {
    if (!platform || !browser || !applicationId) throw new Error('the first test submits the application');
    const base = platform.url;
    try {
      // County civil affairs lands on the work list, the application waiting for it.
      await listed('linhe.civil', 'county_review');
      const county = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
      await login(county, base, 'linhe.civil');
      await county.waitForURL(/\/workbench\/civil-affairs\/dibao$/);
      await choose(county, '办理状态', '旗县区民政部门审批中');
      await county.waitForURL(/status=county_review/);
      const row = county.getByRole('row').filter({ hasText: applicant.masked });
      await county.getByRole('table').first().waitFor();
      await reloadUntil(county, row);
      await expect(row.textContent()).resolves.toContain('旗县区民政部门审批中');
      await row.getByRole('link', { name: applicant.masked }).click();
      await status(county, '旗县区民政部门审批中');

      const countyReview = await submitForm(county, '审查申请材料', '提交审查意见', async (d) => {
        await tick(d.getByLabel('同意保障', { exact: true }));
        await d.getByLabel('审查意见').fill('材料齐全，调查属实');
      });
      await countyReview.waitFor({ state: 'hidden' });
      // The sampled household must be visited before the second notice: refused, status unchanged.
      await county.getByRole('button', { name: '发布第二次公示（7天）' }).click();
      await county.getByRole('alert').filter({ hasText: '须先记录入户核查结果' }).waitFor();
      await status(county, '旗县区民政部门审批中');
      const visit = await submitForm(county, '记录入户抽查', '提交核查结果', async (d) => {
        await d.getByLabel('核查人员').fill('刘海燕、赵敏');
        await d.getByLabel('核查情况').fill('入户核查，情况与调查记录一致');
      });
      await visit.waitFor({ state: 'hidden' });
      await county.getByText('核查人员 刘海燕、赵敏').first().waitFor();
      await county.getByRole('button', { name: '发布第二次公示（7天）' }).click();
      await status(county, '第二次公示中');
      await expectAccessible(county, 'dibao application (county)');
      await screenshot(county, 'dibao-05-second-notice');

      // Eight more days: approved under 临河区's rural standard, the 保障决定书 numbered.
      await setClock(16 * DAY);
      await county.reload();
      await status(county, '第二次公示中');
      const approve = await submitForm(county, '批准保障', '批准并出具保障决定书', async (d) => {
        await d.getByLabel('审批意见').fill('同意纳入农村最低生活保障');
      });
      await approve.waitFor({ state: 'hidden' });
      await status(county, '已批准保障');
      const decision = (await county.getByTestId('dibao-decision').textContent())!;
      expect(decision).toMatch(/旗县区民政部门审批：批准保障，月保障金 [\d,]+ 元/);
      const amount = Number(/月保障金 ([\d,]+) 元/.exec(decision)![1]!.replace(/,/g, ''));
      expect(amount).toBeGreaterThan(0);
      const number = /临河区民保决〔\d{4}〕\d{6}号/.exec(decision)![0];
      await screenshot(county, 'dibao-06-approved');

      const [popup] = await Promise.all([
        county.waitForEvent('popup'),
        county.getByRole('button', { name: '打开保障决定书' }).click(),
      ]);
      await popup.waitForURL(/^blob:/);
      await popup.getByText('最低生活保障决定书').first().waitFor();
      const printed = (await popup.locator('body').textContent())!;
      for (const text of [number, applicant.name, `${amount} 元`, '临河区民政局', '行政复议']) {
        expect(printed).toContain(text);
      }
      await screenshot(popup, 'dibao-07-decision-document');

      // The month's payment roster (the server's month, moved with its clock): the household in full. The
      // roster is read from the list's read model, a moment behind the approval: wait until it has it.
      await listed('linhe.civil', 'granted');
      const month = new Date(Date.now() + 16 * DAY + 8 * 3600_000).toISOString().slice(0, 7);
      await county.getByRole('link', { name: '返回审核列表' }).click();
      await county.waitForURL(/\/workbench\/civil-affairs\/dibao/);
      const picker = county.getByLabel('发放月份');
      await picker.click();
      await picker.fill(month);
      await picker.press('Enter');
      await county.locator('.ant-picker-dropdown').waitFor({ state: 'hidden' });
      const [csv] = await Promise.all([
        county.waitForEvent('download'),
        county.getByRole('button', { name: '下载发放花名册' }).click(),
      ]);
      expect(csv.suggestedFilename()).toBe(`巴彦淖尔市临河区低保特困发放花名册-${month}.csv`);
      const roster = readFileSync(await csv.path(), 'utf8');
      expect(roster).toContain(applicant.name);
      expect(roster).toContain(applicantId);
      expect(roster).toContain(number);
      await expectAccessible(county, 'dibao list (county, roster)');
      await screenshot(county, 'dibao-08-roster');

      // 长期公示: on 进步村's standing list of recipients, masked, with the amount.
      let recipient: { name: string; householdSize: number; monthlyAmount: number } | undefined;
      for (let i = 0; i < 50 && !recipient; i++) {
        const page = await anon.ok<{
          items: { name: string; householdSize: number; monthlyAmount: number }[];
        }>('GET', `/public/dibao/recipients?villageCode=${JINBU}`);
        recipient = page.items.find((r) => r.name === applicant.masked);
        if (!recipient) await new Promise((r) => setTimeout(r, 200));
      }
      expect(recipient).toMatchObject({ householdSize: 2, monthlyAmount: amount });
    } catch (e) {
      await failWithScreens(e, 'county');
    }
  }, 300_000);

  it('一事一议: the county opens an item from the application, records the meeting; health marks its decision done; the joint meeting reads; the county closes', async () => {
    if (!platform || !browser || !applicationId) throw new Error('the first test submits the application');
    const base = platform.url;
    const beijing = (offsetDays: number) =>
      new Date(Date.now() + 8 * 3600_000 + offsetDays * DAY).toISOString().slice(0, 10);
    const need = '患者住院费用缺口大，住房为危房，需卫生健康和住房部门共同解决';
    const decisionText = '为高永福落实医疗救助和疾病应急救助';
    try {
      const county = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
      await login(county, base, 'linhe.civil');
      await county.goto(`${base}/workbench/civil-affairs/dibao/${applicationId}`);
      await county.getByRole('button', { name: '一事一议立项' }).click();
      const opening = county.getByRole('dialog', { name: '一事一议立项' });
      await opening.getByLabel('需要协调解决的事项').fill(need);
      await tick(opening.getByLabel('卫生健康部门'));
      await tick(opening.getByLabel('住房和城乡建设部门'));
      await expectAccessible(county, 'coordination open (county)');
      await opening.getByRole('button', { name: /立\s*项/ }).click();
      await county.waitForURL(/\/workbench\/civil-affairs\/coordination$/);
      const row = county.getByRole('row').filter({ hasText: need });
      await reloadUntil(county, row);
      await expect(row.textContent()).resolves.toMatch(
        /卫生健康部门、住房和城乡建设部门.*进步村.*已办结 0 \/ 0.*协调中/,
      );
      await expectAccessible(county, 'coordination list (county)');
      await screenshot(county, 'coordination-01-list');

      // The joint meeting: minutes and one decision owned by health; a date in the future is refused.
      await row.getByRole('button').first().click();
      const drawer = county.getByRole('dialog').filter({ hasText: '记录联席会议' });
      await drawer.waitFor();
      const date = async (label: string, value: string) => {
        const input = drawer.getByLabel(label);
        await input.click();
        await input.fill(value);
        await input.press('Enter');
      };
      await date('会议日期', beijing(40));
      await drawer.getByLabel('会议纪要').fill('会议研究了该户情况，议定由卫生健康部门落实医疗救助');
      await drawer.getByLabel('内容').fill(decisionText);
      await choose(county, '责任部门', '卫生健康部门', drawer);
      await date('办理期限', beijing(30));
      await drawer.getByRole('button', { name: '保存会议记录' }).click();
      await drawer.getByRole('alert').filter({ hasText: '会议日期不能晚于今天' }).waitFor();
      await date('会议日期', beijing(0));
      await drawer.getByRole('button', { name: '保存会议记录' }).click();
      await drawer.getByText(decisionText).waitFor();
      await drawer.getByText('办理中').waitFor();
      await expectAccessible(county, 'coordination item (county)');
      await screenshot(county, 'coordination-02-meeting');

      // Health, the decision's owner, marks it done with its result.
      const health = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
      await login(health, base, 'linhe.health');
      await openMenu(health, '一事一议');
      const healthRow = health.getByRole('row').filter({ hasText: need });
      await reloadUntil(health, healthRow);
      await healthRow.getByRole('button').first().click();
      const healthDrawer = health.getByRole('dialog').filter({ hasText: decisionText });
      await healthDrawer.getByRole('button', { name: `办结：${decisionText}` }).click();
      await healthDrawer.getByLabel('办理结果').fill('已落实医疗救助 3.2 万元');
      await healthDrawer.getByRole('button', { name: '确认办结' }).click();
      await healthDrawer.getByText(/已落实医疗救助 3\.2 万元（陈静（卫生健康部门）/).waitFor();
      await expect(healthDrawer.getByText('记录联席会议').count()).resolves.toBe(0);
      await expectAccessible(health, 'coordination item (health)');
      await screenshot(health, 'coordination-03-health-done');

      // The joint meeting reads the item; it has no forms.
      const meeting = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
      await login(meeting, base, 'city.jointmeeting');
      await openMenu(meeting, '一事一议');
      const meetingRow = meeting.getByRole('row').filter({ hasText: need });
      await reloadUntil(meeting, meetingRow);
      await expect(meetingRow.textContent()).resolves.toContain('已办结 1 / 1');
      await meetingRow.getByRole('button').first().click();
      const readOnly = meeting.getByRole('dialog').filter({ hasText: decisionText });
      await readOnly.getByText('已落实医疗救助 3.2 万元', { exact: false }).waitFor();
      await expect(
        readOnly.getByRole('button', { name: /办结|记录跟进|保存会议记录/ }).count(),
      ).resolves.toBe(0);

      // Every decision done: the county closes the item without a reason.
      await county.reload();
      const again = county.getByRole('row').filter({ hasText: need });
      await reloadUntil(county, again);
      await again.getByRole('button').first().click();
      const closing = county.getByRole('dialog').filter({ hasText: '办结协调事项' });
      await closing.getByRole('button', { name: /^办\s*结$/ }).click();
      await county.getByTestId('coordination-status').filter({ hasText: '已办结' }).waitFor();
      await screenshot(county, 'coordination-04-closed');
    } catch (e) {
      await failWithScreens(e, 'coordination');
    }
  }, 300_000);

  it('社会力量: the county registers a provider and a purchased-service project and sends it to the household; the social worker records a visit and the outcome', async () => {
    if (!platform || !browser || !applicationId) throw new Error('the first test submits the application');
    const base = platform.url;
    // The platform's clock stands 16 days ahead (the second test): services are dated by it.
    await setClock(16 * DAY);
    const today = new Date(Date.now() + 16 * DAY + 8 * 3600_000).toISOString().slice(0, 10);
    const provider = `临河区暖心社会工作服务中心${Date.now() % 10_000}`;
    const project = '临河区困难群众生活照料服务项目';
    try {
      const county = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
      await login(county, base, 'linhe.civil');
      await openMenu(county, '社会力量');
      await county.getByRole('tab', { name: '社会力量名录' }).click();
      await county.getByRole('button', { name: '登记社会力量' }).click();
      const registering = county.getByRole('dialog', { name: '登记社会力量' });
      await registering.getByLabel('名称（社会组织名称或个人姓名）').fill(provider);
      await choose(county, '类别', '社会组织');
      await tick(registering.getByLabel('生活照料'));
      await registering.getByLabel('服务区域').click();
      await county
        .locator(
          '.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title$="全域"]',
        )
        .click();
      // A multiple select keeps its list open: a click elsewhere in the form closes it.
      await registering.getByLabel('名称（社会组织名称或个人姓名）').click();
      await choose(county, '工作人员账号（由其登记走访和服务成效）', '何芳（临河区阳光社会工作服务中心）');
      await registering.getByLabel('名称（社会组织名称或个人姓名）').click();
      await registering.getByLabel('联系方式').fill('0478-8123456');
      await expectAccessible(county, 'social forces: register provider (county)');
      await registering.getByRole('button', { name: /登\s*记/ }).click();
      const providerRow = county.getByRole('row').filter({ hasText: provider });
      await reloadUntil(county, providerRow);
      await expect(providerRow.textContent()).resolves.toMatch(/社会组织.*生活照料.*临河区.*服务中/);
      await screenshot(county, 'social-forces-01-providers');

      // A purchased-service project with that provider.
      await county.getByRole('tab', { name: '政府购买服务项目' }).click();
      await county.getByRole('button', { name: '购买服务立项' }).click();
      const creating = county.getByRole('dialog', { name: '政府购买服务立项' });
      await creating.getByLabel('项目名称').fill(project);
      await choose(county, '承接方', provider);
      await creating.getByLabel('项目预算（元）').fill('50000');
      for (const [label, value] of [
        ['服务期开始日期', `${today.slice(0, 4)}-01-01`],
        ['服务期结束日期', `${Number(today.slice(0, 4)) + 1}-12-31`],
      ] as const) {
        const input = creating.getByLabel(label);
        await input.click();
        await input.fill(value);
        await input.press('Enter');
      }
      await creating.getByRole('button', { name: /立\s*项/ }).click();
      const projectRow = county.getByRole('row').filter({ hasText: project });
      await reloadUntil(county, projectRow);
      await expect(projectRow.textContent()).resolves.toContain('50,000 元');
      await expectAccessible(county, 'social forces: projects (county)');

      // 派单 from the application: the household's consent, charged to the project.
      await county.goto(`${base}/workbench/civil-affairs/dibao/${applicationId}`);
      await county.getByRole('button', { name: '派单社会力量' }).click();
      const assigning = county.getByRole('dialog', { name: '派单社会力量' });
      await choose(county, '服务', '生活照料');
      await choose(county, '服务方', `${provider}（社会组织）`);
      await assigning.getByLabel('服务需求说明').fill('老人独居，需每周上门生活照料');
      // Without the consent ticked the form refuses before anything is sent.
      await assigning.getByRole('button', { name: /派\s*单/ }).click();
      await assigning.getByText('须有家庭签署的同意书才能派单').waitFor();
      await tick(assigning.getByLabel('家庭已签署同意书（同意接受服务并向服务方提供家庭信息）'));
      await choose(county, '列入政府购买服务项目（可不选）', `${project}（剩余 50000 元）`);
      await assigning.getByLabel('服务费用（元）').fill('1200');
      await expectAccessible(county, 'social forces: assign (county)');
      await assigning.getByRole('button', { name: /派\s*单/ }).click();
      await county.waitForURL(/\/workbench\/civil-affairs\/social-forces\?tab=services$/);
      const serviceRow = county.getByRole('row').filter({ hasText: provider });
      await reloadUntil(county, serviceRow);
      // Lists mask the household's name.
      await expect(serviceRow.textContent()).resolves.toMatch(
        new RegExp(`${applicant.masked}.*生活照料.*0 次.*服务中`),
      );
      await screenshot(county, 'social-forces-02-services');

      // The provider's social worker: home is the service list; a visit, then the outcome closes it.
      const worker = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
      await login(worker, base, 'linhe.socialworker');
      await worker.waitForURL(/\/workbench\/civil-affairs\/social-forces/);
      const workerRow = worker.getByRole('row').filter({ hasText: provider });
      await reloadUntil(worker, workerRow);
      await workerRow.getByRole('button').first().click();
      const drawer = worker.getByRole('dialog').filter({ hasText: '登记走访' });
      await drawer.getByText(applicant.name, { exact: true }).waitFor();
      const visited = drawer.getByLabel('走访日期');
      await visited.click();
      await visited.fill(today);
      await visited.press('Enter');
      await drawer.getByLabel('服务内容').fill('上门打扫卫生，协助购买生活用品');
      await drawer.getByRole('button', { name: '登记走访' }).last().click();
      await drawer
        .getByText(`${today}：上门打扫卫生，协助购买生活用品（何芳（社会工作者/志愿者/社会组织））`)
        .waitFor();
      await choose(worker, '服务成效', '服务目标达成');
      await drawer.getByLabel('服务成效说明').fill('老人生活环境明显改善，已链接社区助餐服务');
      await expectAccessible(worker, 'social forces: service (social worker)');
      await drawer.getByRole('button', { name: /结\s*案/ }).click();
      await worker.getByTestId('service-status').filter({ hasText: '已结案' }).waitFor();
      await expect(drawer.getByRole('button', { name: '登记走访' }).count()).resolves.toBe(0);
      await screenshot(worker, 'social-forces-03-closed');
      // The social worker sees services only: no registry, no projects.
      await expect(worker.getByRole('tab', { name: '社会力量名录' }).count()).resolves.toBe(0);

      // The project has been charged the service's cost.
      await county.goto(`${base}/workbench/civil-affairs/social-forces?tab=projects`);
      const charged = county.getByRole('row').filter({ hasText: project });
      await reloadUntil(county, charged);
      await charged.getByRole('button', { name: project }).click();
      await county.getByTestId('project-remaining').filter({ hasText: '48,800 元' }).waitFor();
    } catch (e) {
      await failWithScreens(e, 'social-forces');
    }
  }, 300_000);
});
