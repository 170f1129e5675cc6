// The partner departments in a real Chromium against apps/platform: the housing and the education officer
// take a referral from acknowledgement to a recorded outcome with their own forms (危房鉴定、批准改造；学籍、
// 学生资助), the township window sees the outcomes on its case page, opens the acceptance notice and re-routes
// a declined need; 五原县's education officer does not see 临河区's referral; county civil affairs records an
// off-platform department's answer to a household verification, a bad answer file refused in Chinese; the
// county files a township's staff member with a relative (人员备案), adds a relative, retires the filing, and
// an auditor reads it; health records a hospital's 疾病应急救助 report of an unidentified patient, reviews it,
// names the patient and records the payment.
import type { Browser, Locator, Page } from 'playwright-core';
import {
  BROWSER_CONTEXT,
  choose,
  expectAccessible,
  login,
  pickPlace,
  reloadUntil,
  runningAnimations,
  screenshot,
  startWebPlatform,
  tick,
} from './browser.js';
import { Api, residentId, type RunningService } from './harness.js';

const JINBU = '150802100201';

const random = (n: number) => String(Math.floor(Math.random() * 10 ** n)).padStart(n, '0');
/** A valid ID number born in `year` in 临河区, unique enough for one run. */
const idBornIn = (year: number) =>
  residentId(`150802${year}0${1 + Math.floor(Math.random() * 9)}1${random(1)}${random(3)}`);

/** Fills the 录入医疗救助结算 dialog; `costs`: total, in policy, basic insurance, critical-illness insurance. */
async function fillSettlement(
  dialog: Locator,
  person: { name: string; id: string },
  claimId: string,
  hospital: string,
  costs: string[],
) {
  await dialog.getByLabel('救助对象姓名').fill(person.name);
  await dialog.getByLabel('救助对象身份证号码').fill(person.id);
  await dialog.getByLabel('结算单号').fill(claimId);
  await dialog.getByLabel('医疗机构', { exact: true }).fill(hospital);
  const labels = ['医疗总费用（元）', '政策范围内费用（元）', '基本医保支付（元）', '大病保险支付（元）'];
  for (const [i, label] of labels.entries()) await dialog.getByLabel(label).fill(costs[i]!);
}

/** Opens the referral of `caseNumber` in the department's inbox. */
async function openReferral(page: Page, caseNumber: string) {
  // The inbox is a read model a moment behind the referral.
  const row = page.getByRole('main').getByRole('row').filter({ hasText: caseNumber });
  await reloadUntil(page, row);
  await row.getByRole('button', { name: caseNumber }).click();
  await page.getByTestId('referral-status').waitFor();
}

/** 签收 then 受理 in the open drawer. */
async function acknowledgeAndAccept(page: Page) {
  await page.getByRole('button', { name: /^签\s*收$/ }).click();
  await page.getByTestId('referral-status').filter({ hasText: '已签收' }).waitFor();
  await page.getByRole('button', { name: /^受\s*理$/ }).click();
  await page.getByTestId('referral-status').filter({ hasText: '已受理' }).waitFor();
}

/** 办结 with the amount the department's form computed, already filled in. */
async function completeGranted(page: Page, amount: string) {
  await page.getByRole('button', { name: /^办\s*结$/ }).click();
  const dialog = page.getByRole('dialog', { name: '办结' });
  await dialog.waitFor();
  await expect(dialog.getByLabel('救助金额（元）').inputValue()).resolves.toBe(amount);
  await dialog.getByRole('button', { name: '确认提交' }).click();
  await page.getByTestId('referral-status').filter({ hasText: '已办结' }).waitFor();
}

describe('partner departments in Chromium (apps/platform, event-log transport)', () => {
  let platform: RunningService;
  let browser: Browser;
  let base: string;
  let anon: Api;
  let window: Api;
  let applicant: string;
  let household: { name: string; idNumber: string; relationship: string; phone?: string }[];
  let a: { caseId: string; caseNumber: string };
  let b: { caseId: string; caseNumber: string };
  let township: Page;

  /** Runs a step; on failure keeps a screenshot of every page and the platform's last output. */
  const step = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (e) {
      for (const [i, page] of browser
        .contexts()
        .flatMap((c) => c.pages())
        .entries())
        await screenshot(page, `dept-failure-${i}`).catch(() => undefined);
      throw new Error(`${(e as Error).message}\n--- platform ---\n${platform.output().slice(-3000)}`, {
        cause: e,
      });
    }
  };

  beforeAll(async () => {
    [platform, browser] = await startWebPlatform('webdept');
    base = platform.url;
    anon = new Api(base);
    window = anon.as(await anon.login('shuanghe.window'));
    applicant = idBornIn(1975);
    const child = idBornIn(2010);
    household = [
      { name: '韩立军', idNumber: applicant, relationship: 'applicant', phone: '13800000011' },
      { name: '韩小雪', idNumber: child, relationship: 'child' },
    ];
    const open = (
      members: typeof household,
      needs: {
        category: string;
        description: string;
        requestedAmount?: number;
        memberIdNumbers?: string[];
      }[],
    ) =>
      window.ok<{ caseId: string; caseNumber: string }>(
        'POST',
        '/cases',
        { channel: 'window', villageCode: JINBU, consentToShare: true, household: members, needs },
        201,
      );
    // Case A: a house in danger and a child at senior high school; case B: a need housing will decline.
    a = await open(household, [
      { category: 'housing', description: '土坯房墙体开裂，屋顶漏雨', requestedAmount: 40_000 },
      { category: 'education', description: '女儿上高中，学费生活费困难', memberIdNumbers: [child] },
    ]);
    b = await open(
      [{ name: '孟凡荣', idNumber: idBornIn(1968), relationship: 'applicant', phone: '13800000012' }],
      [{ category: 'housing', description: '租住房屋到期，无力续租' }],
    );
    await window.ok('POST', `/cases/${a.caseId}/accept`, {});
    await window.ok('POST', `/cases/${b.caseId}/accept`, {});
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it(
    'housing takes a referral from acknowledgement to a recorded outcome and declines another',
    () =>
      step(async () => {
        // 住房: acknowledge, accept, record the appraisal (D级) and approve the renovation; the subsidy the
        // policy sets becomes the outcome.
        const housing = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
        await login(housing, base, 'linhe.housing');
        await housing.waitForURL(/\/workbench\/housing\/referrals$/);
        await housing.getByRole('heading', { name: '转办事项（住房和城乡建设部门）' }).waitFor();
        await expectAccessible(housing, 'housing inbox');
        await openReferral(housing, a.caseNumber);
        await acknowledgeAndAccept(housing);
        await housing.getByLabel('房屋地址').fill('临河区双河镇进步村三组 8 号');
        await choose(housing, '家庭类别', '低保边缘家庭');
        await choose(housing, '鉴定等级', 'D级（整体危险）');
        await housing.getByLabel('鉴定单位').fill('临河区房屋安全鉴定站');
        await housing.getByLabel('鉴定报告编号').fill(`JD-${random(6)}`);
        await housing.getByLabel('鉴定结论').fill('承重墙体开裂，屋架腐朽，整体危险');
        await housing.getByRole('button', { name: '登记鉴定' }).click();
        await housing.getByText('危房改造：已鉴定，待审批').waitFor();
        await housing.getByLabel('批准文号').fill(`临住建改〔2026〕${random(3)}号`);
        await housing.getByRole('button', { name: '批准改造' }).click();
        await housing.getByText(/拆除重建，补助 40,000 元/).waitFor();
        await expectAccessible(housing, 'housing referral with renovation');
        await screenshot(housing, 'dept-01-housing-renovation');
        await completeGranted(housing, '40000.00');
        await expect(housing.getByTestId('referral-outcome').textContent()).resolves.toMatch(
          /给予救助，救助金额 40,000 元，农村危房改造（拆除重建）/,
        );
        await screenshot(housing, 'dept-02-housing-completed');

        // Case B: housing declines it, with its reason.
        await housing.locator('.ant-drawer-close').click();
        await housing.locator('.ant-drawer-open').waitFor({ state: 'detached' });
        await openReferral(housing, b.caseNumber);
        await housing.getByRole('button', { name: /^签\s*收$/ }).click();
        await housing.getByTestId('referral-status').filter({ hasText: '已签收' }).waitFor();
        await housing.getByRole('button', { name: '不予受理' }).click();
        const decline = housing.getByRole('dialog', { name: '不予受理' });
        await decline.getByLabel('不予受理理由').fill('租房困难属临时救助范围，请民政部门办理');
        await decline.getByRole('button', { name: '确认提交' }).click();
        await housing.getByTestId('referral-status').filter({ hasText: '不予受理' }).waitFor();
      }),
    300_000,
  );

  it(
    'education records a student’s aid as the outcome; 五原县’s officer does not see 临河区’s referral',
    () =>
      step(async () => {
        // 教育: the student's school record, then 国家助学金 of 普通高中 from the policy table.
        const education = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
        await login(education, base, 'linhe.education');
        await education.waitForURL(/\/workbench\/education\/referrals$/);
        await openReferral(education, a.caseNumber);
        await acknowledgeAndAccept(education);
        // The student is the household's child, from the referral.
        await expect(
          education
            .locator('.ant-select')
            .filter({ has: education.getByLabel('学生', { exact: true }) })
            .textContent(),
        ).resolves.toBe('韩小雪（子女）');
        await choose(education, '学段', '普通高中');
        await education.getByLabel('学校名称').fill('临河区第三中学');
        await education.getByLabel('学校标识码').fill('2150802003');
        await education.getByRole('button', { name: '登记学籍' }).click();
        await education.getByRole('heading', { name: '批准学生资助（韩小雪）' }).waitFor();
        // 大学新生入学资助 is granted by where the university is: the card asks for it, and only for it.
        await choose(education, '资助项目', '大学新生入学资助');
        await education.getByLabel('录取院校所在地').waitFor();
        await choose(education, '资助项目', '国家助学金');
        await education.getByLabel('录取院校所在地').waitFor({ state: 'detached' });
        await education.getByLabel('资助文号').fill(`临教助〔2026〕${random(3)}号`);
        await education.getByRole('button', { name: '批准资助' }).click();
        await education.getByText(/已批准国家助学金（2026—2027学年），全年 2,300 元/).waitFor();
        await expectAccessible(education, 'education referral with student aid');
        await screenshot(education, 'dept-03-education-aid');
        await completeGranted(education, '2300.00');
        await expect(education.getByTestId('referral-outcome').textContent()).resolves.toContain(
          '给予救助，救助金额 2,300 元，国家助学金（2026—2027学年）',
        );

        // 五原县's education officer sees only 五原县's referrals: not 临河区's case.
        const wuyuan = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
        await login(wuyuan, base, 'wuyuan.education');
        await wuyuan.waitForURL(/\/workbench\/education\/referrals$/);
        await wuyuan.locator('.ant-table-tbody .ant-table-row, .ant-table-placeholder').first().waitFor();
        await expect(wuyuan.getByRole('row').filter({ hasText: a.caseNumber }).count()).resolves.toBe(0);
        // Nor can it open it by its address.
        const { needs } = await window.ok<{
          needs: { category: string; referral: { referralId: string } }[];
        }>('GET', `/cases/${a.caseId}`);
        const educationReferral = needs.find((n) => n.category === 'education')!.referral.referralId;
        const wuyuanApi = anon.as(await anon.login('wuyuan.education'));
        await expect(
          wuyuanApi.call('GET', `/education/referrals/${educationReferral}`),
        ).resolves.toMatchObject({
          status: 403,
        });
      }),
    300_000,
  );

  it(
    'the window sees the outcomes, opens the acceptance notice and re-routes the declined need',
    () =>
      step(async () => {
        // The window sees both outcomes on the case page.
        township = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
        await login(township, base, 'shuanghe.window');
        await township.goto(`${base}/workbench/cases/${a.caseId}`);
        const housingRow = township.getByRole('row').filter({ hasText: '住房救助' });
        const educationRow = township.getByRole('row').filter({ hasText: '教育救助' });
        await reloadUntil(township, housingRow.filter({ hasText: '已办结' }));
        await reloadUntil(township, educationRow.filter({ hasText: '已办结' }));
        await expect(housingRow.textContent()).resolves.toMatch(
          /住房和城乡建设部门.*已办结.*给予救助，40,000 元/,
        );
        await expect(educationRow.textContent()).resolves.toMatch(/教育部门.*已办结.*给予救助，2,300 元/);
        await expectAccessible(township, 'case detail with outcomes');
        await screenshot(township, 'dept-04-case-outcomes');

        // The acceptance notice opens printable, in Chinese, with the case number and the query code.
        const queryCode = (await township.getByTestId('query-code').textContent())!.trim();
        const [notice] = await Promise.all([
          township.context().waitForEvent('page'),
          township.getByRole('button', { name: /^受理通知书/ }).click(),
        ]);
        await notice.waitForURL(/^blob:/);
        await notice.getByText('申请受理通知书').first().waitFor();
        const noticeText = (await notice.locator('body').textContent())!;
        expect(noticeText).toContain(`案件编号：${a.caseNumber}`);
        expect(noticeText).toContain(queryCode);
        expect(noticeText).toMatch(/住房救助[\s\S]*教育救助/);
        await screenshot(notice, 'dept-05-acceptance-notice');
        await notice.close();

        // Case B: housing's decline is shown with its reason; the window re-routes it to civil affairs.
        await township.goto(`${base}/workbench/cases/${b.caseId}`);
        const declined = township.getByRole('row').filter({ hasText: '住房救助' });
        await reloadUntil(township, declined.filter({ hasText: '不予受理' }));
        await expect(declined.textContent()).resolves.toContain(
          '部门不予受理，待重新转办（理由：租房困难属临时救助范围，请民政部门办理）',
        );
        await declined.getByRole('button', { name: /^改\s*派$/ }).click();
        const reroute = township.getByRole('dialog', { name: /改派其他部门/ });
        // No reason: refused before anything is sent.
        await choose(township, '改派部门', '民政部门');
        await reroute.getByRole('button', { name: '确认提交' }).click();
        await reroute.getByText('请填写理由').waitFor();
        await expectAccessible(township, 'reroute dialog');
        await reroute.getByLabel('改派理由').fill('住房部门退回，改由民政部门给予临时救助');
        await reroute.getByRole('button', { name: '确认提交' }).click();
        await reroute.waitFor({ state: 'hidden' });
        await expect(declined.textContent()).resolves.toMatch(/民政部门.*已转办/);
        await screenshot(township, 'dept-06-rerouted');
      }),
    300_000,
  );

  it(
    'county civil affairs records an off-platform department’s answer; a bad file is refused',
    () =>
      step(async () => {
        // 家庭经济状况核对: the window asks from the case page, with the household's signed authorisation;
        // county civil affairs reads the report and records the answer file of the real-estate registry,
        // which is not on the platform.
        await township.goto(`${base}/workbench/cases/${a.caseId}`);
        await township.getByRole('button', { name: '发起家庭经济状况核对' }).click();
        const ask = township.getByRole('dialog', { name: '发起家庭经济状况核对' });
        await expect(ask.getByRole('checkbox', { checked: true }).count()).resolves.toBe(2);
        await ask.getByLabel('核对授权书编号').fill(`SQ-${random(6)}`);
        await ask.getByRole('button', { name: '确认发起' }).click();
        await township.waitForURL(/\/workbench\/civil-affairs\/verifications$/);
        const county = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
        await login(county, base, 'linhe.civil');
        await county.getByRole('menuitem', { name: '家庭经济状况核对' }).click();
        await county.waitForURL(/\/workbench\/civil-affairs\/verifications$/);
        const request = county.getByRole('row').filter({ hasText: '进步村' });
        await county.getByRole('table').waitFor();
        await reloadUntil(county, request);
        await expectAccessible(county, 'verifications');
        await request.first().getByRole('button').first().click();
        await county.getByTestId('verification-complete').waitFor();
        await expect(county.getByRole('dialog').textContent()).resolves.toContain('韩立军（申请人）');
        await county.getByRole('button', { name: '登记未接入平台部门的回复' }).click();
        const importer = county.getByRole('dialog', { name: '登记未接入平台部门的回复' });
        await choose(county, '回复部门', '不动产登记机构');
        const file = importer.getByLabel(/回复内容/);
        // A line with a malformed ID number: refused with the line named, nothing recorded.
        await file.fill(`身份证号码,项目,金额（元）,说明\n${applicant.slice(0, 17)}Z,城镇住房一套,,\n`);
        await importer.getByRole('button', { name: '确认登记' }).click();
        await importer.getByText(/第 2 行/).waitFor();
        await screenshot(county, 'dept-07-import-refused');
        await importer.getByRole('button', { name: '取 消' }).click();
        const report = county.getByRole('region', { name: '核对报告内容' });
        await expect(report.getByRole('row').filter({ hasText: '不动产登记机构' }).count()).resolves.toBe(0);
        await county.getByRole('button', { name: '登记未接入平台部门的回复' }).click();
        await choose(county, '回复部门', '不动产登记机构');
        await importer
          .getByLabel(/回复内容/)
          .fill(`身份证号码,项目,金额（元）,说明\n${applicant},城镇住房一套,,临河区 62㎡\n`);
        await importer.getByRole('button', { name: '确认登记' }).click();
        await importer.waitFor({ state: 'hidden' });
        const realEstate = report.getByRole('row').filter({ hasText: '不动产登记机构' });
        await realEstate.waitFor();
        await expect(realEstate.textContent()).resolves.toMatch(/已回复.*城镇住房一套.*回复文件导入/);
        await expectAccessible(county, 'verification report');
        await screenshot(county, 'dept-08-verification-report');
      }),
    300_000,
  );

  it(
    '人员备案: the county files a staff member with a relative, adds one, retires the filing; the auditor reads',
    () =>
      step(async () => {
        const staffName = `备案测试${random(4)}`;
        const staffId = idBornIn(1980);
        const spouse = { name: '王秀英', id: idBornIn(1982) };
        const child = { name: '李小明', id: idBornIn(2008) };
        const county = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
        await login(county, base, 'linhe.civil');
        await county.getByRole('menuitem', { name: '人员备案' }).click();
        await county.getByRole('button', { name: '新增备案' }).click();
        const filing = county.getByRole('dialog', { name: '新增备案' });
        await filing.getByLabel('备案人姓名').fill(staffName);
        // A wrong check digit is named as it is typed.
        await filing
          .getByLabel('备案人身份证号码')
          .fill(`${staffId.slice(0, 17)}${staffId[17] === '1' ? '2' : '1'}`);
        await filing.getByText('身份证号码校验位不正确').waitFor();
        await filing.getByLabel('备案人身份证号码').fill(staffId);
        await choose(county, '备案对象', '民政部门、乡镇（街道）社会救助经办人员');
        await filing.getByLabel('职务').fill('低保专干');
        await filing.getByLabel('工作单位').fill('双河镇人民政府');
        // 任职地: the county, then its township (loaded when the county is opened).
        await filing.getByLabel('任职地').click();
        await pickPlace(county, ['巴彦淖尔市临河区', '双河镇']);
        await filing.getByLabel('备案人姓名').click();
        await filing.getByRole('button', { name: '增加近亲属' }).click();
        await filing.getByLabel('姓名', { exact: true }).fill(spouse.name);
        await filing.getByLabel('身份证号码', { exact: true }).fill(spouse.id);
        await choose(county, '与备案人的关系', '配偶', filing);
        await expectAccessible(county, 'staff filing: new (county)');
        await filing.getByRole('button', { name: /备\s*案/ }).click();
        const row = county.getByRole('row').filter({ hasText: staffName });
        await reloadUntil(county, row);
        // The list masks the ID number.
        await expect(row.textContent()).resolves.toContain(
          `${staffId.slice(0, 6)}********${staffId.slice(14)}`,
        );
        await expect(row.textContent()).resolves.toMatch(/低保专干.*双河镇人民政府.*双河镇.*1 人.*在册/);
        await expectAccessible(county, 'staff filing: list (county)');
        await screenshot(county, 'staff-filing-01-list');

        // The detail shows the numbers whole (and says the view was recorded); a child is added.
        await row.getByRole('button', { name: staffName }).click();
        const drawer = county.getByRole('dialog').filter({ hasText: '本次查看已记入个人信息查看记录' });
        await drawer.getByText(staffId, { exact: true }).waitFor();
        await drawer.getByText(spouse.id, { exact: true }).waitFor();
        await drawer.getByRole('button', { name: '变更近亲属' }).click();
        const amending = county.getByRole('dialog', { name: '变更近亲属' });
        await amending.getByRole('button', { name: '增加近亲属' }).click();
        await amending.getByLabel('姓名', { exact: true }).fill(child.name);
        await amending.getByLabel('身份证号码', { exact: true }).fill(child.id);
        await choose(county, '与备案人的关系', '子女', amending);
        await amending.getByLabel('变更理由').fill('补报子女');
        await amending.getByRole('button', { name: '保存变更' }).click();
        await drawer.getByText(child.id, { exact: true }).waitFor();
        await drawer.getByText(`增加 ${child.name}（子女）：补报子女`, { exact: false }).waitFor();

        // Retired: the filing leaves the list of those in post.
        await drawer.getByRole('button', { name: '注销备案' }).click();
        const retiring = county.getByRole('dialog', { name: '注销备案' });
        const leftOn = retiring.getByLabel('离岗日期');
        await leftOn.click();
        await leftOn.fill(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10));
        await leftOn.press('Enter');
        await retiring.getByLabel('注销理由').fill('调离社会救助岗位');
        await retiring.getByRole('button', { name: /注\s*销/ }).click();
        await county.getByTestId('filing-status').filter({ hasText: '已注销' }).waitFor();
        await screenshot(county, 'staff-filing-02-retired');

        // The city's auditor reads it, and may not file.
        const auditor = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
        await login(auditor, base, 'city.auditor');
        await auditor.goto(`${base}/workbench/civil-affairs/staff-filings`);
        // The list is a read model a moment behind: choose 已注销 again until it shows the filing.
        const seen = auditor.getByRole('row').filter({ hasText: staffName });
        for (let attempt = 0; !(await seen.isVisible()); attempt++) {
          if (attempt === 20) throw new Error('the auditor does not list the retired filing');
          await auditor.locator('.ant-segmented-item-label[title="全部"]').click();
          await auditor.locator('.ant-segmented-item-label[title="已注销"]').click();
          await seen.waitFor({ timeout: 2000 }).catch(() => undefined);
        }
        await expect(seen.textContent()).resolves.toContain('2 人');
        await expect(auditor.getByRole('button', { name: '新增备案' }).count()).resolves.toBe(0);
      }),
    300_000,
  );

  it(
    '疾病应急救助: health records a hospital’s report of an unidentified patient, reviews it, names the patient and pays',
    () =>
      step(async () => {
        const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
        const hospital = `临河区人民医院${random(4)}`;
        const patient = { name: '赵铁柱', id: idBornIn(1986) };
        const health = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
        await login(health, base, 'linhe.health');
        await health.getByRole('menuitem', { name: '疾病应急救助' }).click();
        await health.getByRole('button', { name: '登记医疗机构报告' }).click();
        const reporting = health.getByRole('dialog', { name: '登记医疗机构报告' });
        await reporting.getByLabel('医疗机构名称').fill(hospital);
        await reporting.getByLabel('医疗机构代码').fill('H150802001');
        await choose(health, '救助原因', '身份不明');
        await reporting.getByLabel('患者特征（身份不明）').fill('男性，约40岁，于路边昏迷被送医');
        const admitted = reporting.getByLabel('入院（急救）日期');
        await admitted.click();
        await admitted.fill(today);
        await admitted.press('Enter');
        await reporting.getByLabel('急救情况').fill('颅脑外伤急诊手术，重症监护 3 日');
        await reporting.getByLabel('急救费用（元）').fill('12480.5');
        await expectAccessible(health, 'disease emergency: report (health)');
        await reporting.getByRole('button', { name: /登\s*记/ }).click();
        const row = health.getByRole('row').filter({ hasText: hospital });
        await reloadUntil(health, row);
        await expect(row.textContent()).resolves.toMatch(/身份不明.*身份不明.*12,480\.5 元.*已报告，待审核/);

        await row.getByRole('button', { name: hospital }).click();
        const drawer = health.getByRole('dialog').filter({ hasText: '急救情况' });
        await drawer.getByLabel('审核意见').fill('急救病历、费用清单齐全，属于疾病应急救助范围');
        await drawer.getByRole('button', { name: '审核通过' }).click();
        await health.getByTestId('emergency-status').filter({ hasText: '已审核，待支付' }).waitFor();
        const approved = (await health.getByTestId('emergency-approved').textContent())!;
        expect(approved).toMatch(/^[\d,.]+ 元$/);
        // The patient is identified after admission; the number is checked as typed.
        await drawer.getByLabel('姓名', { exact: true }).fill(patient.name);
        await drawer.getByLabel('身份证号码', { exact: true }).fill(patient.id);
        await drawer.getByRole('button', { name: '确认身份' }).click();
        await drawer.getByText(`${patient.name}（${patient.id}）`).waitFor();
        await drawer.getByLabel('支付凭证号').fill('ZF-2026-1129-01');
        await expectAccessible(health, 'disease emergency: report (health)');
        const paidOn = drawer.getByLabel('支付日期');
        await paidOn.click();
        await paidOn.fill(today);
        // Enter in the date field sends the form, as in any form; the button is there for the mouse.
        await paidOn.press('Enter');
        const paid = health.getByTestId('emergency-status').filter({ hasText: '已支付' });
        if (
          !(await paid.waitFor({ timeout: 5000 }).then(
            () => true,
            () => false,
          ))
        )
          await drawer.getByRole('button', { name: '登记支付' }).click();
        await paid.waitFor();
        await drawer.getByText(`${approved} 支付给 ${hospital}`, { exact: false }).waitFor();
        await screenshot(health, 'disease-emergency-01-paid');
        // No step is left to take.
        await expect(
          drawer.getByRole('button', { name: /审核通过|登记支付|不予救助|确认身份/ }).count(),
        ).resolves.toBe(0);

        // The payment is on the county's register (masked), and a lookup by the patient's number shows it
        // whole with what a household verification would answer.
        await health
          .getByRole('button', { name: 'Close' })
          .or(health.locator('.ant-drawer-close'))
          .first()
          .click();
        await health.getByRole('menuitem', { name: '医疗救助台账' }).click();
        const entry = health.getByRole('row').filter({ hasText: hospital });
        await reloadUntil(health, entry);
        await expect(entry.textContent()).resolves.toMatch(/疾病应急救助.*赵\*柱/);
        await health.getByRole('tab', { name: '按身份证号码查询' }).click();
        const ids = health.getByLabel('家庭成员身份证号码（每行一个，最多30人）');
        await ids.fill(`${patient.id.slice(0, 17)}${patient.id[17] === '1' ? '2' : '1'}`);
        await health.getByRole('button', { name: /查\s*询/ }).click();
        await health.getByText('身份证号码校验位不正确', { exact: false }).waitFor();
        await ids.fill(patient.id);
        await health.getByRole('button', { name: /查\s*询/ }).click();
        await health
          .getByTestId('register-answer')
          .filter({ hasText: `获得救助 ${approved}` })
          .waitFor();
        await health
          .getByRole('row')
          .filter({ hasText: patient.id })
          .filter({ hasText: patient.name })
          .waitFor();
        await expectAccessible(health, 'health register: lookup');
        await screenshot(health, 'health-register-01-lookup');

        // The auditor reads the list, the patient's name masked.
        const auditor = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
        await login(auditor, base, 'city.auditor');
        await auditor.goto(`${base}/workbench/health/disease-emergency`);
        const seen = auditor.getByRole('row').filter({ hasText: hospital });
        await reloadUntil(auditor, seen);
        await expect(seen.textContent()).resolves.toMatch(/赵\*柱.*已支付/);
        await expect(auditor.getByRole('button', { name: '登记医疗机构报告' }).count()).resolves.toBe(0);
      }),
    300_000,
  );

  it(
    '农村危房改造 and 租赁补贴: housing carries the approved project through the works, a failed and a passed inspection, to payment; grants and pays a rental subsidy',
    () =>
      step(async () => {
        const housing = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
        await login(housing, base, 'linhe.housing');
        await housing.getByRole('menuitem', { name: '农村危房改造' }).click();
        await housing.waitForURL(/\/workbench\/housing\/renovations$/);
        // The project approved from case A's referral, its household masked in the list.
        const row = housing
          .getByRole('row')
          .filter({ hasText: '韩*军' })
          .filter({ hasText: '已批准，待开工' });
        await reloadUntil(housing, row);
        await expect(row.textContent()).resolves.toMatch(/韩\*军\d 人.*进步村.*D级.*40,000 元/);
        await expectAccessible(housing, 'renovations (housing)');
        await screenshot(housing, 'housing-01-renovations');
        await row.getByRole('button', { name: '韩*军' }).click();
        const drawer = housing.getByRole('dialog').filter({ hasText: '家庭成员' });
        const status = (name: string) =>
          housing.getByTestId('renovation-status').filter({ hasText: name }).waitFor();
        await drawer.getByText(`韩立军（${applicant}）`).waitFor();
        await drawer.getByRole('button', { name: '登记开工' }).click();
        await status('施工中');
        await drawer.getByRole('button', { name: '登记竣工' }).click();
        await status('已竣工，待验收');
        // One inspector is refused, in Chinese, and nothing is recorded.
        await tick(drawer.getByLabel('不合格，整改'));
        await drawer.getByLabel('验收人员（以顿号分隔，不少于2人）').fill('张工');
        await drawer.getByLabel('验收意见').fill('屋面防水未完成');
        await drawer.getByRole('button', { name: '登记验收结果' }).click();
        await drawer.getByRole('alert').filter({ hasText: '不少于 2 人' }).waitFor();
        await expect(housing.getByTestId('renovation-status').textContent()).resolves.toBe('已竣工，待验收');
        await drawer.getByLabel('验收人员（以顿号分隔，不少于2人）').fill('张工、李工');
        await drawer.getByRole('button', { name: '登记验收结果' }).click();
        await status('验收未通过，整改中');
        await drawer.getByText(/第 1 次验收.*验收不合格，整改：屋面防水未完成/).waitFor();
        await drawer.getByRole('button', { name: '登记竣工' }).click();
        await status('已竣工，待验收');
        await drawer.getByLabel('验收人员（以顿号分隔，不少于2人）').fill('张工、李工');
        await drawer.getByLabel('验收意见').fill('整改完成，合格');
        await drawer.getByRole('button', { name: '登记验收结果' }).click();
        await status('已验收，待拨付补助');
        await drawer.getByRole('heading', { name: '拨付补助 40,000 元' }).waitFor();
        await drawer.getByLabel('拨付凭证号').fill(`BF-${random(6)}`);
        await expectAccessible(housing, 'renovation: payment (housing)');
        await drawer.getByRole('button', { name: '登记拨付' }).click();
        await status('补助已拨付');
        await expect(housing.getByTestId('renovation-paid').textContent()).resolves.toBe('40,000 元');
        await expect(drawer.getByRole('button', { name: /登记|批准/ }).count()).resolves.toBe(0);
        await screenshot(housing, 'housing-02-renovation-paid');
        await housing.locator('.ant-drawer-close').click();
        await reloadUntil(
          housing,
          housing.getByRole('row').filter({ hasText: '韩*军' }).filter({ hasText: '补助已拨付' }),
        );

        // 租赁补贴 for a tenant family of three, living in 进步村.
        const tenant = { name: '孙桂兰', id: idBornIn(1979), child: idBornIn(2012), spouse: idBornIn(1977) };
        await housing.getByRole('menuitem', { name: '租赁补贴' }).click();
        await housing.getByRole('button', { name: '批准租赁补贴' }).click();
        const granting = housing.getByRole('dialog', { name: '批准租赁补贴' });
        await granting.getByLabel('户主姓名').fill(tenant.name);
        await granting.getByLabel('户主身份证号码').fill(tenant.id);
        const others = granting.getByLabel('其他家庭成员身份证号码（每行一个）');
        await others.fill(
          `${tenant.spouse}\n${tenant.child.slice(0, 17)}${tenant.child[17] === '1' ? '2' : '1'}`,
        );
        await granting.getByLabel('批准文号').fill(`临住补〔2026〕${random(3)}号`);
        await granting.getByLabel('批准文号').blur();
        await granting.getByText('身份证号码校验位不正确', { exact: false }).waitFor();
        await others.fill(`${tenant.spouse}\n${tenant.child}`);
        // 居住地: county, township, village (each level loaded when the one above is opened).
        await granting.getByLabel('居住地（村、社区）').click();
        await pickPlace(housing, ['巴彦淖尔市临河区', '双河镇', '进步村']);
        await granting.locator('.ant-cascader').filter({ hasText: '进步村' }).waitFor();
        await expectAccessible(housing, 'rental subsidy: grant (housing)');
        // A family of no category the policy covers is refused, naming the field; then as 低保边缘家庭.
        await granting.getByRole('button', { name: /批\s*准/ }).click();
        await granting.getByRole('alert').filter({ hasText: 'category' }).waitFor();
        await expect(housing.getByRole('row').filter({ hasText: '孙*兰' }).count()).resolves.toBe(0);
        await choose(housing, '家庭类别', '低保边缘家庭', granting);
        await granting.getByRole('button', { name: /批\s*准/ }).click();
        const subsidyDrawer = housing.getByRole('dialog').filter({ hasText: '累计发放' });
        await subsidyDrawer.getByText(`${tenant.name}（${tenant.id}）`).waitFor();
        await expect(subsidyDrawer.textContent()).resolves.toContain('（3 人）');
        const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
        const reference = `FF-${random(6)}`;
        await subsidyDrawer.getByLabel('发放凭证号').fill(reference);
        await subsidyDrawer.getByRole('button', { name: '登记发放' }).click();
        await subsidyDrawer
          .getByRole('row')
          .filter({ hasText: reference })
          .filter({ hasText: month })
          .waitFor();
        const total = (await housing.getByTestId('subsidy-total').textContent())!;
        expect(total).toMatch(/^[1-9][\d,.]* 元$/);
        // The same month again is not paid twice.
        await subsidyDrawer.getByLabel('发放凭证号').fill(`FF-${random(6)}`);
        await subsidyDrawer.getByRole('button', { name: '登记发放' }).click();
        await subsidyDrawer.getByRole('alert').waitFor();
        await expect(housing.getByTestId('subsidy-total').textContent()).resolves.toBe(total);
        await screenshot(housing, 'housing-03-rental-subsidy');
        // Not from a month already paid (that is recovered separately): from the next, as offered.
        const stopFrom = subsidyDrawer.getByLabel('停发起始月份');
        const offered = await stopFrom.inputValue();
        expect(offered > month).toBe(true);
        await stopFrom.fill(month);
        await subsidyDrawer.getByLabel('停发理由').fill('家庭已购买住房');
        await subsidyDrawer.getByRole('button', { name: /停\s*发/ }).click();
        await subsidyDrawer.getByRole('alert').filter({ hasText: '已发放，停发月份应在其后' }).waitFor();
        await stopFrom.fill(offered);
        await subsidyDrawer.getByRole('button', { name: /停\s*发/ }).click();
        await housing.getByTestId('subsidy-status').filter({ hasText: '已停发' }).waitFor();
        await housing.locator('.ant-drawer-close').click();
        const listed = housing.getByRole('row').filter({ hasText: '孙*兰' });
        await reloadUntil(housing, listed);
        await expect(listed.textContent()).resolves.toMatch(new RegExp(`3 人.*进步村.*${month}.*已停发`));

        // The auditor reads both lists and opens nothing to act on.
        const auditor = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
        await login(auditor, base, 'city.auditor');
        await auditor.goto(`${base}/workbench/housing/renovations`);
        await reloadUntil(
          auditor,
          auditor.getByRole('row').filter({ hasText: '韩*军' }).filter({ hasText: '补助已拨付' }),
        );
        await auditor.goto(`${base}/workbench/housing/rental-subsidies`);
        await reloadUntil(auditor, auditor.getByRole('row').filter({ hasText: '孙*兰' }));
        await expect(auditor.getByRole('button', { name: '批准租赁补贴' }).count()).resolves.toBe(0);
      }),
    300_000,
  );

  it(
    '公租房轮候: housing registers two households, allocates a unit to the first in line only, removes the other; the auditor reads',
    () =>
      step(async () => {
        const housing = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
        await login(housing, base, 'linhe.housing');
        await housing.getByRole('menuitem', { name: '公租房轮候' }).click();
        await housing.getByRole('heading', { name: '公共租赁住房轮候 · 巴彦淖尔市临河区' }).waitFor();
        await housing.getByText('轮候名单为空').waitFor();
        const families = [
          { name: '周丽华', id: idBornIn(1981), appliedOn: '2025-03-01' },
          { name: '吴建国', id: idBornIn(1972), appliedOn: '2025-06-01' },
        ];
        // The later applicant is registered first: the list is in allocation order, not in order entered.
        for (const f of [...families].reverse()) {
          await housing.getByRole('button', { name: '登记轮候' }).click();
          const joining = housing.getByRole('dialog', { name: '登记轮候' });
          await joining.getByLabel('户主姓名').fill(f.name);
          await joining.getByLabel('户主身份证号码').fill(f.id);
          await joining.getByLabel('申请日期').fill(f.appliedOn);
          await joining.getByLabel('居住地（村、社区）').click();
          await pickPlace(housing, ['巴彦淖尔市临河区', '双河镇', '进步村']);
          await joining.locator('.ant-cascader').filter({ hasText: '进步村' }).waitFor();
          await joining.getByRole('button', { name: /登\s*记/ }).click();
          await joining.waitFor({ state: 'hidden' });
        }
        const row = (name: string) => housing.getByRole('row').filter({ hasText: name });
        await row(families[1]!.name).waitFor();
        await expect(row(families[0]!.name).textContent()).resolves.toMatch(
          /^第 1 位周丽华.*2025-03-01.*进步村/,
        );
        await expect(row(families[1]!.name).textContent()).resolves.toMatch(/^第 2 位吴建国/);
        // Only the first in line can be allocated a unit.
        // (antd spaces a two-character button's label: 配 租.)
        await row(families[0]!.name)
          .getByRole('button', { name: /配\s*租/ })
          .waitFor();
        await expect(
          row(families[1]!.name)
            .getByRole('button', { name: /配\s*租/ })
            .count(),
        ).resolves.toBe(0);
        await expectAccessible(housing, 'public rental waiting list (housing)');
        await screenshot(housing, 'housing-04-public-rental');
        await row(families[0]!.name)
          .getByRole('button', { name: /配\s*租/ })
          .click();
        const allocating = housing.getByRole('dialog', { name: `配租 · ${families[0]!.name}` });
        await allocating.getByLabel('房源编号').fill('GZF-3-502');
        await allocating.getByLabel('配租文号').fill(`临住配〔2026〕${random(3)}号`);
        await allocating.getByLabel('房源地址').fill('临河区新华街公租房小区 3 号楼 502');
        await allocating.getByLabel('卧室数').fill('1');
        await allocating.getByLabel('建筑面积（平方米）').fill('48.5');
        await allocating.getByRole('button', { name: /配\s*租/ }).click();
        await allocating.waitFor({ state: 'hidden' });
        await row(families[0]!.name).waitFor({ state: 'detached' });
        await expect(row(families[1]!.name).textContent()).resolves.toMatch(/^第 1 位吴建国/);
        // Removal needs a reason.
        await row(families[1]!.name)
          .getByRole('button', { name: /移\s*出/ })
          .click();
        const removing = housing.getByRole('dialog', { name: `移出轮候名单 · ${families[1]!.name}` });
        await removing.getByRole('button', { name: /移\s*出/ }).click();
        await removing.getByText('移出须写明理由').waitFor();
        await removing.getByLabel('移出理由').fill('家庭已购买住房');
        await removing.getByRole('button', { name: /移\s*出/ }).click();
        await removing.waitFor({ state: 'hidden' });
        await housing.getByText('轮候名单为空').waitFor();

        // The auditor chooses the county and reads its list, with nothing to act on.
        const auditor = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
        await login(auditor, base, 'city.auditor');
        await auditor.goto(`${base}/workbench/housing/public-rental`);
        await auditor.getByText('请选择旗县区').waitFor();
        await choose(auditor, '旗县区', '临河区');
        await auditor.getByRole('heading', { name: '公共租赁住房轮候 · 巴彦淖尔市临河区' }).waitFor();
        await auditor.getByText('轮候名单为空').waitFor();
        await expect(auditor.getByRole('button', { name: '登记轮候' }).count()).resolves.toBe(0);
      }),
    300_000,
  );

  it(
    '学生资助: education pays the term begun of the aid granted from the referral, once; records the student leaving; the auditor reads',
    () =>
      step(async () => {
        const education = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
        await login(education, base, 'linhe.education');
        await education.getByRole('menuitem', { name: '学生资助' }).click();
        await education.waitForURL(/\/workbench\/education\/students$/);
        // 待发放 is the first view: 韩小雪's national grant, its autumn term begun and not paid.
        const row = education.getByRole('row').filter({ hasText: '韩*雪' });
        await reloadUntil(education, row);
        await expect(row.textContent()).resolves.toMatch(
          /普通高中.*临河区第三中学.*在校.*\d{4}-09-01 开学，待发放/,
        );
        await expectAccessible(education, 'students (education)');
        await screenshot(education, 'education-01-students');
        await row.getByRole('button', { name: '韩*雪' }).click();
        const drawer = education.getByRole('dialog').filter({ hasText: '学籍' });
        await drawer.getByText(/^韩小雪（\d{17}[\dX]）$/).waitFor();
        await drawer.getByRole('button', { name: '发放秋季学期' }).click();
        const paying = education.getByRole('dialog', { name: /^发放 · .*秋季学期国家助学金$/ });
        await paying.getByLabel('发放凭证号').fill(`FF-${random(6)}`);
        // Not a day still to come.
        const tomorrow = new Date(Date.now() + 32 * 3600_000).toISOString().slice(0, 10);
        await paying.getByLabel('发放日期').fill(tomorrow);
        await paying.getByRole('button', { name: /发\s*放/ }).click();
        await paying.getByRole('alert').filter({ hasText: '发放日期不能晚于今天' }).waitFor();
        await paying
          .getByLabel('发放日期')
          .fill(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10));
        await expectAccessible(education, 'students: pay a term (education)');
        await paying.getByRole('button', { name: /发\s*放/ }).click();
        await paying.waitFor({ state: 'hidden' });
        await drawer.getByRole('row').filter({ hasText: '秋季学期' }).filter({ hasText: '已发放' }).waitFor();
        // Paid once: no button for it any more, and the spring term has not begun.
        await expect(drawer.getByRole('button', { name: /^发放/ }).count()).resolves.toBe(0);
        await expect(
          drawer.getByRole('row').filter({ hasText: '春季学期' }).textContent(),
        ).resolves.toContain('未开学');
        await screenshot(education, 'education-02-term-paid');

        // Another programme of her stage is granted from the record itself: 免学费 for the school year.
        await choose(education, '资助项目', '免学费', drawer);
        await expect(drawer.getByLabel('录取院校所在地').count()).resolves.toBe(0);
        await drawer.getByLabel('资助文号').fill(`临教助〔2026〕${random(3)}号`);
        await drawer.getByRole('button', { name: '批准资助' }).click();
        await drawer.getByRole('heading', { name: /学年 免学费（普通高中），全年/ }).waitFor();

        // She leaves school; the spring term will not be paid and she is no longer waiting.
        await choose(education, '离校原因', '转出本地', drawer);
        await drawer.getByLabel('说明').fill('随父母迁往外省');
        await drawer.getByRole('button', { name: '登记离校' }).click();
        await education.getByTestId('student-status').filter({ hasText: '已离校' }).waitFor();
        await expect(drawer.getByRole('button', { name: /批准资助|登记离校/ }).count()).resolves.toBe(0);
        await education.locator('.ant-drawer-close').click();
        await education.locator('.ant-segmented-item-label[title="已离校"]').click();
        await education.waitForURL(/view=left/);
        await reloadUntil(education, education.getByRole('row').filter({ hasText: '韩*雪' }));
        await expect(education.getByRole('row').filter({ hasText: '韩*雪' }).textContent()).resolves.toMatch(
          /已离校.*\d[\d,.]* 元/,
        );

        // A student the school reports directly, without a referral: registered from the list.
        await education.getByRole('button', { name: '登记学生' }).click();
        const enrolling = education.getByRole('dialog', { name: '登记学生学籍' });
        await enrolling.getByLabel('学生姓名').fill('白小兰');
        await enrolling.getByLabel('学生身份证号码').fill(idBornIn(2012));
        const head = idBornIn(1980);
        const wrongHead = `${head.slice(0, 17)}${head[17] === '1' ? '2' : '1'}`;
        await enrolling.getByLabel(/^户主身份证号码/).fill(wrongHead);
        await choose(education, '学段', '初中', enrolling);
        await enrolling.getByLabel('学校名称').fill('临河区第五中学');
        await enrolling.getByLabel('学校标识码').fill('2150802005');
        await tick(enrolling.getByLabel('寄宿生'));
        await enrolling.getByRole('button', { name: /登\s*记/ }).click();
        await enrolling
          .locator('.ant-form-item-explain-error', { hasText: '身份证号码校验位不正确' })
          .waitFor();
        await enrolling.getByLabel(/^户主身份证号码/).fill(head);
        await expectAccessible(education, 'students: register a student (education)');
        await screenshot(education, 'education-03-register-student');
        await enrolling.getByRole('button', { name: /登\s*记/ }).click();
        await enrolling.waitFor({ state: 'hidden' });
        // Her record opens: at school, at the county's school, a boarder.
        const record = education.getByRole('dialog').filter({ hasText: '白小兰（' });
        await record.getByText(/^初中，临河区第五中学（.*临河区），寄宿$/).waitFor();
        await expect(record.getByTestId('student-status').textContent()).resolves.toBe('在校');
        // She moves to another school: a new school record from the day of the move, on the same file.
        await choose(education, '学段', '初中', record);
        await record.getByLabel('学校名称').fill('临河区第六中学');
        await record.getByLabel('学校标识码').fill('2150802006');
        await record.getByRole('button', { name: '登记学籍变动' }).click();
        await record.getByText(/^初中，临河区第六中学（.*临河区）$/).waitFor();
        await expectAccessible(education, 'students: a record change (education)');
        await screenshot(education, 'education-04-record-change');
        await expect(record.getByText(/^初中，临河区第五中学（.*临河区），寄宿$/).count()).resolves.toBe(1);
        await education.locator('.ant-drawer-close').click();
        await education.locator('.ant-segmented-item-label[title="在校"]').click();
        await reloadUntil(education, education.getByRole('row').filter({ hasText: '白*兰' }));

        // The auditor reads the list and the record, with nothing to act on.
        const auditor = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
        await login(auditor, base, 'city.auditor');
        await auditor.goto(`${base}/workbench/education/students`);
        await auditor.locator('.ant-segmented-item-label[title="全部"]').click();
        await auditor.waitForURL(/view=all/);
        const seen = auditor.getByRole('row').filter({ hasText: '韩*雪' });
        await reloadUntil(auditor, seen);
        await seen.getByRole('button', { name: '韩*雪' }).click();
        await auditor.getByTestId('student-status').filter({ hasText: '已离校' }).waitFor();
        await expect(auditor.getByRole('button', { name: /^发放|批准资助|登记离校/ }).count()).resolves.toBe(
          0,
        );
      }),
    300_000,
  );

  it(
    '医疗救助结算: health enters a settlement and the amount is computed, once; records a category on the person’s record, which the next settlement uses; the auditor reads',
    () =>
      step(async () => {
        const patient = { name: '白玉兰', id: idBornIn(1962) };
        const health = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
        await login(health, base, 'linhe.health');
        await health.getByRole('menuitem', { name: '医疗救助结算' }).click();
        await health.waitForURL(/\/workbench\/health\/medical-assistance$/);
        const enter = async (claimId: string, costs = ['15000', '12000', '6600', '1400']) => {
          await health.getByRole('button', { name: '录入结算' }).click();
          const dialog = health.getByRole('dialog', { name: '录入医疗救助结算' });
          await dialog.waitFor();
          // The browser asks for reduced motion (BROWSER_CONTEXT): the dialog is there without its zoom.
          await expect(runningAnimations(health)).resolves.toBe(0);
          await fillSettlement(dialog, patient, claimId, '巴彦淖尔市医院', costs);
          return dialog;
        };
        const first = `JS${random(8)}`;
        let dialog = await enter(first);
        await expectAccessible(health, 'medical assistance: enter a settlement (health)');
        await dialog.getByRole('button', { name: '核定救助金额' }).click();
        const assessed = dialog.getByTestId('claim-assessed');
        await assessed.waitFor();
        const once = (await assessed.textContent())!;
        expect(once).toMatch(new RegExp(`^结算单 ${first}：核定医疗救助 [\\d,.]+ 元（其他人员）`));
        // The same settlement sent again is assessed once: the same result.
        await dialog.getByRole('button', { name: '核定救助金额' }).click();
        await health.getByText('该结算单此前已核定，结果如下').waitFor();
        await expect(assessed.textContent()).resolves.toBe(once);
        await screenshot(health, 'health-medical-01-assessed');
        await dialog.getByRole('button', { name: /取\s*消/ }).click();
        const row = health.getByRole('row').filter({ hasText: first });
        await reloadUntil(health, row);
        // Other people get nothing from this settlement (0 % for 其他人员); name and ID number are masked.
        await expect(row.textContent()).resolves.toContain(
          `白*兰${patient.id.slice(0, 6)}********${patient.id.slice(14)}`,
        );
        await expect(row.textContent()).resolves.toMatch(
          /巴彦淖尔市医院15,000 元其他人员（0%）0 元无救助金额/,
        );

        // The person's record: a wrong number is refused as typed; the right one opens it (and is recorded).
        const lookup = health.getByRole('textbox', { name: /^个人医疗救助记录/ });
        await lookup.fill(`${patient.id.slice(0, 17)}${patient.id[17] === '1' ? '2' : '1'}`);
        await health.getByText('身份证号码校验位不正确').waitFor();
        await lookup.fill(patient.id);
        await health.getByRole('button', { name: /查\s*询/ }).click();
        const drawer = health.getByRole('dialog').filter({ hasText: '救助对象类别' });
        await drawer.getByText(`${patient.name}（${patient.id}）`).waitFor();
        await expect(drawer.getByTestId('medical-standing').textContent()).resolves.toMatch(/^其他人员/);
        await drawer.getByRole('row').filter({ hasText: first }).waitFor();
        await choose(health, '救助对象类别', '因病致贫重病患者', drawer);
        await drawer.getByLabel('认定依据').fill('临河区医疗保障局 因病致贫重病患者认定〔2026〕8号');
        await expectAccessible(health, 'medical assistance: person record (health)');
        await drawer.getByRole('button', { name: '登记类别' }).click();
        await drawer
          .getByRole('row')
          .filter({ hasText: '因病致贫重病患者' })
          .filter({ hasText: '认定' })
          .waitFor();
        await drawer
          .getByTestId('medical-standing')
          .filter({ hasText: /^因病致贫重病患者/ })
          .waitFor();
        await screenshot(health, 'health-medical-02-person');
        await health.locator('.ant-drawer-close').click();
        await drawer.waitFor({ state: 'hidden' });

        // Someone with no settlement yet: the category recognised first can still be recorded.
        const newcomer = idBornIn(1958);
        await lookup.fill(newcomer);
        await health.getByRole('button', { name: /查\s*询/ }).click();
        await drawer.getByTestId('medical-standing').filter({ hasText: '尚无医疗救助记录' }).waitFor();
        await choose(health, '救助对象类别', '防止返贫监测对象', drawer);
        await drawer.getByLabel('认定依据').fill('临河区乡村振兴局 防止返贫监测对象认定〔2026〕3号');
        await drawer.getByRole('button', { name: '登记类别' }).click();
        await drawer
          .getByTestId('medical-standing')
          .filter({ hasText: /^防止返贫监测对象/ })
          .waitFor();
        await health.locator('.ant-drawer-close').click();
        await drawer.waitFor({ state: 'hidden' });

        // The next settlement is assessed with the category now on record.
        // (In-policy out of pocket 14,000 元: past the year's deductible, so some is paid.)
        dialog = await enter(`JS${random(8)}`, ['40000', '36000', '18000', '4000']);
        await dialog.getByRole('button', { name: '核定救助金额' }).click();
        const second = dialog.getByTestId('claim-assessed').filter({ hasText: '（因病致贫重病患者）' });
        await second.waitFor();
        await expect(second.textContent()).resolves.toMatch(/核定医疗救助 [1-9][\d,.]* 元/);

        // The auditor reads the county's settlements (ID numbers masked) and enters none.
        const auditor = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
        await login(auditor, base, 'city.auditor');
        await auditor.goto(`${base}/workbench/health/medical-assistance`);
        await reloadUntil(auditor, auditor.getByRole('row').filter({ hasText: first }));
        await expect(auditor.getByRole('row').filter({ hasText: first }).textContent()).resolves.toContain(
          `${patient.id.slice(0, 6)}********`,
        );
        await expect(auditor.getByRole('button', { name: '录入结算' }).count()).resolves.toBe(0);
      }),
    300_000,
  );

  it(
    '医疗救助结算: the city’s health officer chooses the county by name; without one nothing is sent',
    () =>
      step(async () => {
        const person = { name: '乔建国', id: idBornIn(1955) };
        const city = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
        await login(city, base, 'city.health');
        await city.getByRole('menuitem', { name: '医疗救助结算' }).click();
        await city.waitForURL(/\/workbench\/health\/medical-assistance$/);
        await city.getByRole('button', { name: '录入结算' }).click();
        const dialog = city.getByRole('dialog', { name: '录入医疗救助结算' });
        const claimId = `JS${random(8)}`;
        await fillSettlement(dialog, person, claimId, '临河区人民医院', ['8000', '7000', '4000', '0']);
        await dialog.getByRole('button', { name: '核定救助金额' }).click();
        await dialog.locator('.ant-form-item-explain-error', { hasText: '请选择旗县区' }).waitFor();
        await expect(dialog.getByTestId('claim-assessed').count()).resolves.toBe(0);
        await choose(city, '旗县区', '临河区', dialog);
        await expectAccessible(city, 'medical assistance: enter a settlement (city health)');
        await dialog.getByRole('button', { name: '核定救助金额' }).click();
        await dialog.getByTestId('claim-assessed').filter({ hasText: claimId }).waitFor();
        await dialog.getByRole('button', { name: /取\s*消/ }).click();
        // The city's list names each settlement's county.
        const row = city.getByRole('row').filter({ hasText: claimId });
        await reloadUntil(city, row);
        await expect(row.textContent()).resolves.toContain(`${claimId}临河区乔*国`);

        // A hospital's 疾病应急救助 report: the city's officer names the hospital's county the same way.
        await city.getByRole('menuitem', { name: '疾病应急救助' }).click();
        await city.getByRole('button', { name: '登记医疗机构报告' }).click();
        const reporting = city.getByRole('dialog', { name: '登记医疗机构报告' });
        const hospital = `临河区第二人民医院${random(4)}`;
        await reporting.getByLabel('医疗机构名称').fill(hospital);
        await reporting.getByLabel('医疗机构代码').fill('H150802002');
        await choose(city, '救助原因', '身份不明', reporting);
        await reporting.getByLabel('患者特征（身份不明）').fill('女性，约70岁，独自倒地被送医');
        const admitted = reporting.getByLabel('入院（急救）日期');
        await admitted.click();
        await admitted.fill(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10));
        await admitted.press('Enter');
        await reporting.getByLabel('急救情况').fill('急性心肌梗死，急诊介入治疗');
        await reporting.getByLabel('急救费用（元）').fill('30000');
        await reporting.getByRole('button', { name: /登\s*记/ }).click();
        await reporting.locator('.ant-form-item-explain-error', { hasText: '请选择旗县区' }).waitFor();
        await choose(city, '旗县区', '临河区', reporting);
        await reporting.getByRole('button', { name: /登\s*记/ }).click();
        await reporting.waitFor({ state: 'hidden' });
        const report = city.getByRole('row').filter({ hasText: hospital });
        await reloadUntil(city, report);
        await expect(report.textContent()).resolves.toMatch(
          /^临河区第二人民医院\d{4}临河区身份不明身份不明[\d-]{10}30,000 元/,
        );
      }),
    180_000,
  );
});
