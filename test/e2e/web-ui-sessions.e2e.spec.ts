// The web UI keeps a session going across short access tokens (3 s here, 15 min by default) by exchanging
// its refresh token, without the officer noticing; logging out ends the session on the server too. It also
// signs officers in through the government identity provider (OpenID Connect code flow with PKCE).
import type { Browser } from 'playwright-core';
import { BROWSER_CONTEXT, expectAccessible, login, screenshot, startWebPlatform } from './browser.js';
import { Api, type RunningService } from './harness.js';
import { startOidcProvider, type OidcProvider } from './oidc-provider.js';

describe('web UI: sessions across short access tokens, identity-provider sign-in (Chromium)', () => {
  let platform: RunningService | null = null;
  let browser: Browser | null = null;
  let provider: OidcProvider | null = null;

  beforeAll(async () => {
    provider = await startOidcProvider({
      clientId: 'social-assistance',
      clientSecret: 'provider-issued-secret',
      audience: 'social-assistance-platform-api',
      identities: [
        // A county health officer the platform has no local account for.
        {
          sub: 'idp-152801199001010042',
          name: '王建国',
          role: 'health_officer',
          department: 'health',
          jurisdiction: '150802000000',
        },
        // A division the platform does not know: the provider's word is not enough.
        {
          sub: 'idp-unknown-division',
          name: '赵某',
          role: 'health_officer',
          department: 'health',
          jurisdiction: '159999000000',
        },
      ],
    });
    [platform, browser] = await startWebPlatform('wses', { JWT_TTL_SECONDS: '3', ...provider.env() });
    provider.registerRedirectUri(`${platform.url}/login/idp`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await provider?.close();
  });

  it('the work queue loads after the access token expired; logout revokes the refresh token', async () => {
    if (!platform || !browser) throw new Error('platform not started');
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

  it('signs in through the identity provider; refuses a forged callback, a spent code and an identity it cannot place', async () => {
    if (!platform || !browser || !provider) throw new Error('platform not started');
    const base = platform.url;
    const api = new Api(base);

    // What the login page learns: enough to send a person to the provider, never the client secret.
    const options = await api.call('GET', '/auth/providers');
    expect(options.status).toBe(200);
    expect(options.body).toEqual({
      identityProvider: {
        name: '政务服务统一身份认证',
        authorizeUrl: `${provider.url}/authorize`,
        clientId: 'social-assistance',
        scope: 'openid',
      },
    });
    expect(options.text).not.toContain('provider-issued-secret');

    // Bad input is refused before the provider is asked; an unknown code is refused by the provider.
    const verifier = 'v'.repeat(43);
    const malformed = await api.call('POST', '/auth/idp/token', {
      code: 'x',
      codeVerifier: 'short',
      redirectUri: `${base}/login/idp`,
    });
    expect(malformed.status).toBe(422);
    expect(malformed.text).toContain('codeVerifier');
    const before = provider.tokenRequests.length;
    const unknown = await api.call('POST', '/auth/idp/token', {
      code: 'never-issued',
      codeVerifier: verifier,
      redirectUri: `${base}/login/idp`,
    });
    expect([unknown.status, (unknown.body as { code: string }).code]).toEqual([401, 'IDP_CODE_REFUSED']);
    expect(provider.tokenRequests.slice(before)).toEqual([{ status: 400, error: 'invalid_grant' }]);

    // Tokens the provider signs but that must not work here: for another application, for a division the
    // platform does not have, for a role outside its department.
    const claims = { sub: 'idp-x', name: '钱某', role: 'health_officer', department: 'health' };
    const otherApp = await provider.sign({ ...claims, jurisdiction: '150802000000' }, 'another-application');
    expect((await api.as(otherApp).call('GET', '/auth/me')).status).toBe(401);
    const nowhere = await provider.sign({ ...claims, jurisdiction: '159999000000' });
    const refused = await api.as(nowhere).call('GET', '/auth/me');
    expect([refused.status, (refused.body as { code: string }).code]).toEqual([403, 'IDP_IDENTITY_REFUSED']);
    expect((refused.body as { message: string }).message).toContain('159999000000');
    const wrongDept = await provider.sign({ ...claims, department: 'housing', jurisdiction: '150802000000' });
    expect((await api.as(wrongDept).call('GET', '/auth/me')).status).toBe(403);
    const fitting = await provider.sign({ ...claims, jurisdiction: '150802000000' });
    expect((await api.as(fitting).call('GET', '/auth/me')).body).toMatchObject({
      id: 'idp-x',
      name: '钱某',
      jurisdictionName: expect.stringContaining('临河区'),
    });

    const context = await browser.newContext(BROWSER_CONTEXT);
    const page = await context.newPage();
    try {
      // The whole trip: login page → provider → back with a code → the health inbox, by name.
      let callback = '';
      page.on('request', (r) => {
        if (r.isNavigationRequest() && r.url().includes('/login/idp?')) callback = r.url();
      });
      await page.goto(`${base}/login`);
      const signIn = page.getByRole('button', { name: '使用政务服务统一身份认证登录' });
      await signIn.waitFor();
      await expectAccessible(page, 'login page with identity provider');
      await screenshot(page, 'login-identity-provider');
      await signIn.click();
      await page.waitForURL(`${provider.url}/authorize?**`);
      const authorize = new URL(page.url());
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorize.searchParams.get('redirect_uri')).toBe(`${base}/login/idp`);
      await page.getByLabel('身份').selectOption('idp-152801199001010042');
      await page.getByRole('button', { name: '同意并登录' }).click();
      await page.waitForURL(/\/workbench\/health\/referrals$/);
      await page.getByText('王建国').first().waitFor();
      await page.getByRole('table').waitFor();
      expect(provider.tokenRequests.at(-1)).toEqual({ status: 200 });
      const stored = await page.evaluate(() => {
        const store = (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } })
          .sessionStorage;
        return { token: store.getItem('sap.token'), pending: store.getItem('sap.idp') };
      });
      expect(stored.pending).toBeNull(); // the pending sign-in is used once
      const me = await api.as(stored.token!).call('GET', '/auth/me');
      expect(me.body).toMatchObject({ id: 'idp-152801199001010042', name: '王建国', role: 'health_officer' });
      await screenshot(page, 'identity-provider-signed-in');

      // The same callback again (the back button, or a copied address): its pending sign-in is gone and
      // the provider would refuse the spent code anyway.
      expect(callback).toContain('code=');
      const spent = new URL(callback).searchParams.get('code')!;
      await page.goto(callback);
      await page.getByText('登录请求已失效或不是从本页面发起的').waitFor();
      expect(page.url()).toBe(`${base}/login/idp`); // the code left the address bar
      const again = await api.call('POST', '/auth/idp/token', {
        code: spent,
        codeVerifier: verifier,
        redirectUri: `${base}/login/idp`,
      });
      expect((again.body as { code: string }).code).toBe('IDP_CODE_REFUSED');

      // A callback this tab never started (a link someone sends): refused without asking the provider.
      const fresh = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
      const asked = provider.tokenRequests.length;
      await fresh.goto(`${base}/login/idp?code=attacker-code&state=attacker-state`);
      await fresh.getByText('登录请求已失效或不是从本页面发起的').waitFor();
      await expectAccessible(fresh, 'identity-provider callback refused');
      expect(provider.tokenRequests.length).toBe(asked);
      expect(
        await fresh.evaluate(() => (globalThis as unknown as { location: { href: string } }).location.href),
      ).toBe(`${base}/login/idp`);

      // Cancelled at the provider: said so, and the login page is one click away.
      await fresh.goto(`${base}/login`);
      await fresh.getByRole('button', { name: '使用政务服务统一身份认证登录' }).click();
      await fresh.getByRole('button', { name: '取消' }).click();
      await fresh.getByText('已取消统一身份认证登录').waitFor();
      await fresh.getByRole('button', { name: /返回登录页/ }).click();
      await fresh.waitForURL(/\/login$/);

      // An identity the platform cannot place: the provider signed it, the platform still refuses it.
      await fresh.getByRole('button', { name: '使用政务服务统一身份认证登录' }).click();
      await fresh.getByLabel('身份').selectOption('idp-unknown-division');
      await fresh.getByRole('button', { name: '同意并登录' }).click();
      await fresh.getByText('不在本平台的行政区划中').waitFor();
      expect(fresh.url()).toBe(`${base}/login/idp`);
      await screenshot(fresh, 'identity-provider-refused');
    } catch (e) {
      await screenshot(page, 'identity-provider-failure').catch(() => undefined);
      throw e;
    }
  }, 180_000);
});
