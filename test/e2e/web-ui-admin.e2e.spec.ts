// The auditor's integrity screens and the administrators' screens in a real Chromium against apps/platform:
// the auditor verifies every department's hash chains and seals, finds a view of a person's data in the access
// records, and compares a case before and after its acceptance; the city administrator creates a user who then
// logs in and must change the password, and publishes a policy table version (an invalid one is refused in
// Chinese and changes nothing); the county administrator sees only its county's users.
import type { Browser, Page } from 'playwright-core';
import {
  BROWSER_CONTEXT,
  choose as chooseOption,
  expectAccessible,
  login,
  screenshot,
  startWebPlatform,
} from './browser.js';
import { Api, residentId, type RunningService } from './harness.js';

/** An instant as the Beijing wall time the pickers take, `2026-11-28 08:41:05`. */
const beijingWall = (at: Date) =>
  new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function pick(page: Page, label: string, value: string) {
  const picker = page.getByLabel(label);
  await picker.click();
  await picker.fill(value);
  await picker.press('Enter');
  // The panel closes (fading panels fail axe's contrast check while they fade).
  await page.locator('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden)').waitFor({ state: 'hidden' });
}

describe('auditor and administrator screens in Chromium (apps/platform)', () => {
  let platform: RunningService | null = null;
  let browser: Browser | null = null;
  // What the auditor's tests share: the case, the moment before its acceptance, the auditor's page.
  let subject: { caseId: string; caseNumber: string; beforeAcceptance: string; purpose: string } | null =
    null;
  let auditor: Page | null = null;
  let admin: Page | null = null;
  let county: Page | null = null;
  let newUser: { username: string; initial: string } | null = null;

  beforeAll(async () => {
    [platform, browser] = await startWebPlatform('webadmin');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  async function onFailure(e: unknown, prefix: string): Promise<never> {
    for (const [i, page] of browser!
      .contexts()
      .flatMap((c) => c.pages())
      .entries())
      await screenshot(page, `admin-failure-${prefix}-${i}`).catch(() => undefined);
    throw new Error(`${(e as Error).message}\n--- platform ---\n${platform!.output().slice(-3000)}`, {
      cause: e,
    });
  }

  it('the auditor runs the verification and sees every log intact, and the seals at Beijing times', async () => {
    const base = platform!.url;
    const anon = new Api(base);
    const window = anon.as(await anon.login('shuanghe.window'));
    const auditorApi = anon.as(await anon.login('city.auditor'));
    const birth = `19${String(60 + Math.floor(Math.random() * 40))}0${1 + Math.floor(Math.random() * 9)}1${Math.floor(Math.random() * 9)}`;
    const { caseId, caseNumber } = await window.ok<{ caseId: string; caseNumber: string }>(
      'POST',
      '/cases',
      {
        channel: 'window',
        villageCode: '150802100201',
        consentToShare: true,
        household: [
          {
            name: '周小梅',
            idNumber: residentId(
              `150802${birth}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`,
            ),
            relationship: 'applicant',
            phone: '13800000011',
          },
        ],
        needs: [{ category: 'medical', description: '患慢性肾病，需长期治疗', requestedAmount: 8000 }],
      },
      201,
    );
    // A moment between registration and acceptance, to the second (the pickers' precision).
    await sleep(1500);
    const beforeAcceptance = beijingWall(new Date());
    await sleep(1500);
    await window.ok('POST', `/cases/${caseId}/accept`, {});
    // The auditor looks at the applicant's details for a stated purpose: that view is recorded.
    const purpose = '核查申请人家庭信息（责任追究线索）';
    await auditorApi.ok('GET', `/cases/${caseId}?purpose=${encodeURIComponent(purpose)}`);
    // The ledger follows the departments a moment behind: wait until it has the acceptance.
    for (let i = 0; i < 100; i++) {
      const s = await auditorApi.ok<{ state: { status: string; referrals: unknown[] } }>(
        'GET',
        `/cases/${caseId}/state`,
      );
      if (s.state.status === 'accepted' && s.state.referrals.length > 0) break;
      await sleep(200);
    }
    // Seal now (the timer may just have sealed it all: then its seal is the latest).
    await auditorApi.ok('POST', '/intake/audit/seals');
    const seal = (
      await auditorApi.ok<{ items: { sealNo: number; sealedAt: string }[] }>(
        'GET',
        '/intake/audit/seals?page=1&pageSize=1',
      )
    ).items[0]!;
    expect(seal.sealNo).toBeGreaterThanOrEqual(1);

    subject = { caseId, caseNumber, beforeAcceptance, purpose };

    try {
      auditor = await (await browser!.newContext(BROWSER_CONTEXT)).newPage();
      await login(auditor, base, 'city.auditor');
      await auditor.waitForURL(/\/workbench\/audit\/cases$/);
      for (const item of ['差异比对', '访问记录', '完整性校验'])
        expect(await auditor.getByRole('navigation', { name: '主菜单' }).textContent()).toContain(item);

      // 完整性校验: every department's hash chains and seals intact, named in Chinese.
      await auditor.goto(`${base}/workbench/audit/integrity`);
      await auditor.getByRole('heading', { name: '完整性校验' }).waitFor();
      await auditor.getByRole('button', { name: '开始校验' }).click();
      const summary = auditor.getByTestId('verify-summary');
      await summary.waitFor();
      await expect(summary.textContent()).resolves.toContain('全部 6 个事件库的哈希链和封存记录完好');
      const results = auditor.getByRole('table').first();
      for (const name of [
        '一门受理（乡镇、街道窗口）',
        '民政部门',
        '卫生健康部门',
        '住房部门',
        '教育部门',
        '监督账本',
      ])
        await expect(
          results.getByRole('row').filter({ hasText: name }).first().textContent(),
        ).resolves.toMatch(/完好.*哈希链均完好.*签名均有效/);
      expect(await results.getByText('发现问题').count()).toBe(0);

      // 封存记录 of 一门受理, with the seal just made at its Beijing time.
      await chooseOption(auditor, '事件库', '一门受理（乡镇、街道窗口）');
      const sealedAt = new Date(new Date(seal.sealedAt).getTime() + 8 * 3600_000).toISOString();
      const sealRow = auditor
        .getByRole('row')
        .filter({ hasText: `第 ${seal.sealNo} 次` })
        .filter({ hasText: `${sealedAt.slice(0, 10).replaceAll('-', '/')} ${sealedAt.slice(11, 19)}` });
      await sealRow.waitFor();
      await expect(sealRow.textContent()).resolves.toContain('定期封存');
      await expectAccessible(auditor, 'audit integrity');
      await screenshot(auditor, 'admin-01-integrity');
    } catch (e) {
      await onFailure(e, 'integrity');
    }
  }, 180_000);

  it('the auditor finds the view of the applicant’s data in the access records', async () => {
    if (!subject || !auditor) throw new Error('the first test sets up the case and the auditor');
    const base = platform!.url;
    const { caseId, caseNumber, purpose } = subject;
    try {
      // 访问记录: the view above, by name, of that case, for that purpose.
      await auditor.goto(`${base}/workbench/audit/access`);
      await auditor.getByRole('heading', { name: '访问记录' }).waitFor();
      await auditor.getByLabel('按案件编号筛选').fill(caseNumber);
      await auditor.getByRole('button', { name: /^筛\s*选$/ }).click();
      await auditor.waitForURL(new RegExp(`case=${caseId}`));
      // Names are looked up after the rows arrive.
      const view = auditor
        .getByRole('row')
        .filter({ hasText: purpose })
        .filter({ hasText: '黄立（责任追究调查人员，巴彦淖尔市）' });
      await view.waitFor();
      await expect(view.textContent()).resolves.toMatch(
        new RegExp(
          `黄立（责任追究调查人员，巴彦淖尔市）.*${caseNumber}（临河区双河镇进步村）.*案件详情：家庭成员姓名、家庭成员身份证号码、家庭成员联系电话`,
        ),
      );
      await auditor.getByText(`案件：${caseNumber}`).waitFor();
      // Only that case's views are listed.
      const rows = auditor.locator('.ant-table-tbody .ant-table-row');
      for (let i = 0; i < (await rows.count()); i++)
        await expect(rows.nth(i).textContent()).resolves.toContain(caseNumber);
      await expectAccessible(auditor, 'audit access records');
      await screenshot(auditor, 'admin-02-access-records');
    } catch (e) {
      await onFailure(e, 'access');
    }
  }, 180_000);

  it('the auditor compares the case before and after its acceptance', async () => {
    if (!subject || !auditor) throw new Error('the first test sets up the case and the auditor');
    const base = platform!.url;
    const { caseId, caseNumber, beforeAcceptance } = subject;
    try {
      // 差异比对: the case before and after its acceptance, what changed highlighted.
      await auditor.goto(`${base}/workbench/audit/diff`);
      await auditor.getByRole('heading', { name: '差异比对' }).waitFor();
      await auditor.getByLabel('案件编号').fill(caseNumber);
      await auditor.getByRole('button', { name: '选择案件' }).click();
      await auditor.waitForURL(new RegExp(`case=${caseId}`));
      await pick(auditor, '时刻一（北京时间）', beforeAcceptance);
      const later = beijingWall(new Date(Date.now() + 60_000));
      await pick(auditor, '时刻二（北京时间）', later);
      await auditor.getByRole('button', { name: /^比\s*对$/ }).click();
      const table = auditor.getByTestId('diff-table');
      await table.waitFor();
      await expect(
        auditor
          .getByRole('heading', { name: new RegExp(`${caseNumber} 在 ${beforeAcceptance} 与 ${later}`) })
          .count(),
      ).resolves.toBe(1);
      const status = table.locator('tr[data-kind="changed"]').filter({ hasText: '案件状态' });
      await expect(status.textContent()).resolves.toMatch(/案件状态变更已登记，待受理已受理/);
      const referral = table
        .locator('tr[data-kind="added"]')
        .filter({ hasText: '转办（医疗救助 · 卫生健康部门）：转办状态' });
      await expect(referral.textContent()).resolves.toMatch(/新增—部门已(接收|签收)|新增—已转办/);
      expect(await table.locator('tr[data-kind="same"]').filter({ hasText: '求助类别' }).count()).toBe(1);
      await expect(auditor.getByTestId('diff-summary').textContent()).resolves.toMatch(/共 \d+ 项变化/);
      const acceptedBy = auditor
        .getByRole('row')
        .filter({ hasText: /^.*受理.*李春梅（乡镇（街道）窗口经办人员，临河区双河镇）/ });
      await acceptedBy.first().waitFor();
      await expectAccessible(auditor, 'audit diff');
      await screenshot(auditor, 'admin-03-diff');

      // The comparison itself is in the ledger's access records.
      await auditor.goto(`${base}/workbench/audit/access?source=oversight&case=${caseId}`);
      const ledgerRead = auditor
        .getByRole('row')
        .filter({ hasText: '两个时刻的差异' })
        .filter({ hasText: '黄立（责任追究调查人员，巴彦淖尔市）' });
      await ledgerRead.first().waitFor();
      await expect(ledgerRead.first().textContent()).resolves.toMatch(
        new RegExp(
          `${subject.caseNumber}（临河区双河镇进步村）.*案件账本：两个时刻的差异.*责任追究（审计查阅）`,
        ),
      );
    } catch (e) {
      await onFailure(e, 'diff');
    }
  }, 180_000);

  it('the city administrator creates a user through the form, choosing the role and the division by name', async () => {
    const base = platform!.url;
    const username = `e2e.window${Math.floor(Math.random() * 1e6)}`;
    const initial = 'Chushi#Mima2026x';
    try {
      admin = await (await browser!.newContext(BROWSER_CONTEXT)).newPage();
      await login(admin, base, 'admin');
      await admin.waitForURL(/\/workbench\/admin\/users$/);
      await admin.getByRole('heading', { name: '用户管理' }).waitFor();
      const wuyuan = admin.getByRole('row').filter({ hasText: 'wuyuan.civil' });
      await wuyuan.waitFor();
      await expect(wuyuan.textContent()).resolves.toMatch(/旗县区民政局.*五原县.*民政部门.*在用/);
      await expectAccessible(admin, 'admin users');
      await screenshot(admin, 'admin-04-users');

      // 新建用户: role and division chosen by name.
      await admin.getByRole('button', { name: '新建用户' }).click();
      const dialog = admin.getByRole('dialog', { name: '新建用户' });
      await dialog.getByLabel('姓名').fill('韩晓东');
      await dialog.getByLabel('用户名').fill(username);
      // Under CI load a choice in one of the form's selects was twice found empty at submit (once the role,
      // once the division; cause not found, see the stop's note): choose each until the field shows it, and
      // check both again before submitting.
      // A click on a select toggles its list: one that lands while the list is open (or is lost to a
      // re-render under load) leaves it closed, and the option stays in the page hidden. Each attempt
      // opens the list, waits for the option to be visible, then picks it; a failed step tries again.
      const settled = (p: Promise<unknown>) =>
        p.then(
          () => true,
          () => false,
        );
      const choose = async (label: string, typed: string | null, option: string, shows: string) => {
        const item = admin!.locator(
          `.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="${option}"]`,
        );
        const chosen = dialog.locator('.ant-select-selection-item', { hasText: shows });
        for (let attempt = 0; ; attempt++) {
          if (typed === null) await dialog.getByLabel(label).click();
          else await dialog.getByLabel(label).fill(typed);
          if (
            (await settled(item.waitFor({ state: 'visible', timeout: 5000 }))) &&
            (await settled(item.click({ timeout: 5000 }))) &&
            (await settled(chosen.waitFor({ timeout: 3000 })))
          )
            return;
          if (attempt === 5) throw new Error(`${label}: ${option} could not be chosen`);
          // Close whatever list is open (a click outside it; Escape would close the dialog) and try again.
          await dialog.locator('.ant-modal-title').click();
        }
      };
      const role = ['角色', null, '乡镇（街道）窗口经办人员', '乡镇（街道）窗口经办人员'] as const;
      const division = ['辖区', '双河', '临河区双河镇（苏木乡镇（街道））', '双河镇'] as const;
      await choose(...role);
      await choose(...division);
      await dialog.getByLabel('工作邮箱').fill('HanXD@mzj.example.gov.cn');
      await dialog.getByLabel('初始密码').fill(initial);
      await expectAccessible(admin, 'admin create user');
      await screenshot(admin, 'admin-05-create-user');
      for (const [label, typed, option, shows] of [role, division])
        if (!(await dialog.locator('.ant-select-selection-item', { hasText: shows }).count()))
          await choose(label, typed, option, shows);
      await dialog.getByRole('button', { name: /创\s*建/ }).click();
      // The dialog closes once the server has created the user (its toast lasts 3 s: too short to wait on
      // under load); the row below shows what was created.
      await dialog.waitFor({ state: 'hidden', timeout: 60_000 });
      await admin.getByLabel('按姓名或用户名查找').fill(username);
      await admin.getByLabel('按姓名或用户名查找').press('Enter');
      const created = admin.getByRole('row').filter({ hasText: username });
      await created.waitFor();
      await expect(created.textContent()).resolves.toMatch(
        /韩晓东.*乡镇（街道）窗口经办人员.*临河区双河镇.*一门受理.*hanxd@mzj\.example\.gov\.cn.*在用.*待修改密码/,
      );
      // 邮箱: a malformed address is refused beside the field; an empty one removes the address.
      await created.getByRole('button', { name: '设置 韩晓东 的工作邮箱' }).click();
      const mail = admin.getByRole('dialog', { name: '设置 韩晓东 的工作邮箱' });
      await mail.getByLabel('工作邮箱').fill('hanxd@');
      await mail.getByRole('button', { name: /保\s*存/ }).click();
      await mail.getByText('邮箱格式不正确').waitFor();
      await expectAccessible(admin, 'admin user email');
      await mail.getByLabel('工作邮箱').fill('');
      await mail.getByRole('button', { name: /保\s*存/ }).click();
      await mail.waitFor({ state: 'hidden', timeout: 60_000 });
      await created.getByText('未设置', { exact: true }).waitFor();
      newUser = { username, initial };
    } catch (e) {
      await onFailure(e, 'user');
    }
  }, 180_000);

  it('the new officer logs in with the initial password and must change it first', async () => {
    if (!newUser) throw new Error('the previous test creates the user');
    const base = platform!.url;
    const { username, initial } = newUser;
    try {
      const officer = await (await browser!.newContext(BROWSER_CONTEXT)).newPage();
      await officer.goto(`${base}/login`);
      await officer.getByLabel('用户名').fill(username);
      await officer.getByLabel('密码', { exact: true }).fill(initial);
      await officer.getByRole('button', { name: /^登\s*录$/ }).click();
      await officer.waitForURL(/\/workbench\/password$/);
      await officer.getByText('首次登录或密码已被重置，请先设置新密码').waitFor();
      await officer.getByLabel('原密码').fill(initial);
      await officer.getByLabel('新密码', { exact: true }).fill('Xinmima#2026yz');
      await officer.getByLabel('确认新密码').fill('Xinmima#2026yz');
      await officer.locator('form').getByRole('button', { name: '修改密码' }).click();
      await officer.waitForURL(/\/workbench\/cases$/);
      await expect(officer.getByTestId('current-user').textContent()).resolves.toContain('韩晓东');
    } catch (e) {
      await onFailure(e, 'first-login');
    }
  }, 180_000);

  it('the city administrator publishes a policy version; an invalid one is refused in Chinese and changes nothing', async () => {
    if (!admin) throw new Error('the previous test logs the administrator in');
    const base = platform!.url;
    try {
      // 政策参数: the tables by name; 保障标准 gets a new version in force today.
      await admin.goto(`${base}/workbench/admin/policy`);
      await admin.getByRole('heading', { name: '政策参数' }).waitFor();
      const standards = admin.getByRole('row').filter({ hasText: '保障标准（按旗县区，元/月）' });
      await expect(standards.textContent()).resolves.toMatch(/第 1 版.*平台初始数据/);
      await expect(
        admin.getByRole('row').filter({ hasText: '办理时限（工作日，普通与紧急）' }).count(),
      ).resolves.toBe(1);
      await expectAccessible(admin, 'admin policy tables');
      await standards.getByRole('button', { name: '查看 保障标准（按旗县区，元/月）' }).click();
      await admin.getByRole('heading', { name: '保障标准（按旗县区，元/月）' }).waitFor();
      await expect(admin.getByTestId('policy-current').textContent()).resolves.toContain('第 1 版');
      await admin.getByRole('tab', { name: '发布新版本' }).click();
      const content = admin.getByLabel('内容（JSON）');
      await content.fill(
        JSON.stringify({
          '150802000000': { urbanDibaoMonthly: 870, ruralDibaoMonthly: 690, specialHardshipMonthly: 1131 },
        }),
      );
      await admin.getByLabel('调整依据').fill('临河区人民政府关于 2026 年城乡最低生活保障标准的通知');
      await screenshot(admin, 'admin-06-policy-publish');
      await admin.getByRole('button', { name: /发\s*布/ }).click();
      await admin.getByText(/已发布第 2 版/).waitFor();
      await admin.getByTestId('policy-current').filter({ hasText: '第 2 版' }).waitFor();
      await admin.getByTestId('policy-current').filter({ hasText: '系统管理员' }).waitFor();
      await expect(admin.getByTestId('policy-current').textContent()).resolves.toMatch(
        /第 2 版.*临河区人民政府关于 2026 年城乡最低生活保障标准的通知.*系统管理员/,
      );
      await expect(admin.getByLabel('现行版本内容').textContent()).resolves.toContain(
        '"urbanDibaoMonthly": 870',
      );
      await expect(standards.textContent()).resolves.toMatch(/第 2 版/);
      await admin.getByRole('tab', { name: '历史版本' }).click();
      await admin.getByRole('row').filter({ hasText: '第 2 版' }).filter({ hasText: '现行' }).waitFor();
      await expectAccessible(admin, 'admin policy table');
      await screenshot(admin, 'admin-07-policy-current');

      // An invalid version is refused with the server's Chinese reason, and nothing changes.
      await admin.getByRole('tab', { name: '发布新版本' }).click();
      await content.fill(
        JSON.stringify({
          '150802000000': { urbanDibaoMonthly: -5, ruralDibaoMonthly: 690, specialHardshipMonthly: 1131 },
        }),
      );
      await admin.getByLabel('调整依据').fill('错误录入的保障标准');
      await admin.getByRole('button', { name: /发\s*布/ }).click();
      const refusal = admin.getByTestId('policy-error');
      await refusal.waitFor();
      await expect(refusal.textContent()).resolves.toMatch(/临河区.*金额不能为负/);
      await screenshot(admin, 'admin-08-policy-invalid');
      const api = new Api(base);
      const now = await api
        .as(await api.login('admin'))
        .ok<{ version: number; content: Record<string, { urbanDibaoMonthly: number }> }>(
          'GET',
          '/admin/policy/allowance-standards',
        );
      expect([now.version, now.content['150802000000']!.urbanDibaoMonthly]).toEqual([2, 870]);
      await admin.getByRole('tab', { name: '现行版本' }).click();
      await expect(admin.getByTestId('policy-current').textContent()).resolves.toContain('第 2 版');
      await expect(standards.textContent()).resolves.toMatch(/第 2 版.*临河区人民政府关于/);
    } catch (e) {
      await onFailure(e, 'policy');
    }
  }, 180_000);

  it('the county administrator sees and manages only its county’s users', async () => {
    const base = platform!.url;
    try {
      county = await (await browser!.newContext(BROWSER_CONTEXT)).newPage();
      await login(county, base, 'linhe.admin');
      await county.waitForURL(/\/workbench\/admin\/users$/);
      const rows = county.locator('.ant-table-tbody .ant-table-row');
      await county.getByRole('row').filter({ hasText: 'linhe.civil' }).waitFor();
      const n = await rows.count();
      expect(n).toBeGreaterThan(3);
      for (let i = 0; i < n; i++) {
        const text = (await rows.nth(i).textContent())!;
        expect(text).toContain('临河区');
        expect(text).not.toContain('五原县');
      }
      await county.getByText('（仅本辖区用户）').waitFor();
      await screenshot(county, 'admin-09-county-users');
      // Looking for 五原县's officers finds none.
      await county.getByLabel('按姓名或用户名查找').fill('wuyuan');
      await county.getByLabel('按姓名或用户名查找').press('Enter');
      await county.getByText('没有符合条件的用户').waitFor();
      expect(await county.getByRole('row').filter({ hasText: 'wuyuan' }).count()).toBe(0);
      await screenshot(county, 'admin-10-county-search');
      // Divisions to choose from are the county's own.
      await county.getByRole('button', { name: '新建用户' }).click();
      await county.getByRole('dialog', { name: '新建用户' }).getByLabel('辖区').fill('隆兴昌');
      await county.getByText('没有匹配的区划').waitFor();
      await county.getByRole('button', { name: /取\s*消/ }).click();
    } catch (e) {
      await onFailure(e, 'county');
    }
  }, 180_000);

  it('the county administrator browses its own divisions by name', async () => {
    if (!county) throw new Error('the previous test logs the county administrator in');
    const base = platform!.url;
    try {
      // 行政区划: the county's townships by name.
      await county.goto(`${base}/workbench/admin/jurisdictions`);
      await county.getByRole('heading', { name: '行政区划' }).waitFor();
      const township = county.getByRole('row').filter({ hasText: '双河镇' });
      await township.waitFor();
      await township.getByRole('button', { name: /查看 双河镇 的下级/ }).click();
      await county.getByRole('row').filter({ hasText: '进步村' }).waitFor();
      expect(await county.getByRole('row').filter({ hasText: '五原县' }).count()).toBe(0);
      await expectAccessible(county, 'county admin jurisdictions');
      await screenshot(county, 'admin-11-jurisdictions');
    } catch (e) {
      await onFailure(e, 'divisions');
    }
  }, 180_000);
});
