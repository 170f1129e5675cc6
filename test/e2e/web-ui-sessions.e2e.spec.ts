// The web UI keeps a session going across short access tokens (3 s here, 15 min by default) by exchanging
// its refresh token, without the officer noticing; logging out ends the session on the server too.
import type { Browser } from 'playwright-core';
import { BROWSER_CONTEXT, login, screenshot, startWebPlatform } from './browser.js';
import { Api, type RunningService } from './harness.js';

describe('web UI: sessions across short access tokens (Chromium)', () => {
  let platform: RunningService | null = null;
  let browser: Browser | null = null;

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('the work queue loads after the access token expired; logout revokes the refresh token', async () => {
    [platform, browser] = await startWebPlatform('wses', { JWT_TTL_SECONDS: '3' });
    const base = platform.url;
    const page = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
    // The tab's refresh token, as the web UI keeps it (sessionStorage; tests run without the DOM types).
    const storedRefresh = () =>
      page.evaluate(() =>
        (
          globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }
        ).sessionStorage.getItem('sap.refresh'),
      );
    try {
      await login(page, base, 'shuanghe.window');
      await page.getByRole('table').waitFor();
      const first = await storedRefresh();
      expect(first).toMatch(/^[\w-]{43}$/);

      await page.waitForTimeout(3_500); // the access token has expired
      const refreshed = page.waitForResponse((r) => r.url().endsWith('/auth/refresh') && r.status() === 200);
      await page.getByRole('menuitem', { name: '上报事项' }).click();
      await refreshed;
      await page.getByRole('table').waitFor();
      expect(page.url()).toMatch(/\/workbench\/government\/reports$/);
      await page.getByRole('menuitem', { name: '待办案件' }).click();
      await page.locator('.ant-table-tbody .ant-table-row, .ant-table-placeholder').first().waitFor();
      expect(page.url()).toMatch(/\/workbench\/cases$/);
      const second = await storedRefresh();
      expect(second).not.toBe(first);

      const loggedOut = page.waitForResponse((r) => r.url().endsWith('/auth/logout'));
      await page.getByRole('button', { name: /退\s*出/ }).click();
      await page.waitForURL(/\/login$/);
      expect((await loggedOut).status()).toBe(204);
      expect(await storedRefresh()).toBeNull();
      const after = await new Api(base).call('POST', '/auth/refresh', { refreshToken: second });
      expect([after.status, (after.body as { code: string }).code]).toEqual([401, 'REFRESH_INVALID']);
    } catch (e) {
      await screenshot(page, 'sessions-failure').catch(() => undefined);
      throw e;
    }
  }, 180_000);
});
