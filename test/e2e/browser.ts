// Shared by the browser specs: Debian's Chromium through playwright-core, axe checks, logging in through the
// login page, and the platform started as `npm start` would. No chromium fails the test (.ci/run installs it).
import { AxeBuilder } from '@axe-core/playwright';
import { requireDatabaseUrl, uniqueName } from '@platform/testing';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { startService, type RunningService } from './harness.js';

export const ARTEFACTS = path.resolve('test-results/ui');
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(): string {
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'chromium is not installed: apt-get install -y --no-install-recommends chromium fonts-noto-cjk (.ci/run does it)',
    );
  }
}

/** What the page's Web Animations API gives (this project's TypeScript has DOM types only in apps/web). */
interface PageAnimation {
  playState: string;
  effect: { getComputedTiming(): { iterations?: number } } | null;
}

/**
 * axe on the screen at rest, as a person reads it: no button under the pointer (antd's hover colour is
 * lighter than its resting one), none still loading, no fade or slide still running (half-faded text
 * fails the contrast check). Endless animations (spinners) are not waited for.
 */
/** Fades and slides running now (endless ones, spinners, left out). */
export function runningAnimations(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      (globalThis as unknown as { document: { getAnimations(): PageAnimation[] } }).document
        .getAnimations()
        .filter((a) => a.playState === 'running' && a.effect?.getComputedTiming().iterations !== Infinity)
        .length,
  );
}

export async function expectAccessible(page: Page, what: string): Promise<void> {
  await page.mouse.move(0, 0);
  // Visible ones only: a closed dialog keeps its footer as last rendered while open (rc-dialog does not
  // re-render hidden content), so a hidden confirm button may still carry its loading class.
  await page.locator('.ant-btn-loading:visible').first().waitFor({ state: 'detached' });
  await page.waitForFunction(() =>
    (globalThis as unknown as { document: { getAnimations(): PageAnimation[] } }).document
      .getAnimations()
      .every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity),
  );
  // Toasts leave on a timer: one fading out while axe runs fails its contrast check. They are antd's own
  // dark-on-white notices, left out of the check rather than waited for (3 s each).
  // Only violations are described (not every passing node), and axe runs in the page itself: the default
  // (runPartial per frame, then finishRun in a new blank page) took 3–6 s a check here, this ~1 s. The
  // screens have no cross-origin frames, which is all the default adds.
  const result = await new AxeBuilder({ page })
    .exclude('.ant-message')
    .options({ resultTypes: ['violations'] })
    .setLegacyMode()
    .analyze();
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    serious.map(
      (v) =>
        `${what}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    ),
  ).toEqual([]);
}

/** The JavaScript a first visit loads before any screen: the entry script and its preloads, gzipped. */
export function initialJsGzipBytes(): number {
  const html = readFileSync('dist/web/index.html', 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  return files.reduce(
    (sum, f) => sum + gzipSync(readFileSync(path.join('dist/web', f)), { level: 9 }).length,
    0,
  );
}

export async function login(page: Page, base: string, username: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill('Demo@2026');
  await page.getByRole('button', { name: /^登\s*录$/ }).click();
  await page.waitForURL(/\/workbench\//);
}

/**
 * Lists are read models a moment behind the write: wait for the row, reloading now and then. The row is
 * waited for after each reload: under load a list takes longer to arrive than any fixed pause, and a
 * reload before it arrives only starts it over.
 */
export async function reloadUntil(page: Page, row: Locator): Promise<void> {
  const shown = () =>
    row
      .first()
      .waitFor({ timeout: 1500 })
      .then(
        () => true,
        () => false,
      );
  for (let i = 0; i < 40 && !(await shown()); i++) await page.reload();
  await row.first().waitFor({ timeout: 5000 });
}

/** The platform as `npm start` runs it (event-log transport, demo users; `env` adds e.g. CLOCK_CONTROL) and a Chromium beside it. */
export async function startWebPlatform(
  schemaPrefix: string,
  env: Record<string, string> = {},
): Promise<[RunningService, Browser]> {
  const executablePath = chromiumPath();
  mkdirSync(ARTEFACTS, { recursive: true });
  const started = await Promise.allSettled([
    startService('platform', {
      DATABASE_URL: requireDatabaseUrl(),
      DATABASE_SCHEMA_PREFIX: uniqueName(schemaPrefix),
      JWT_SECRET: 'e2e-secret-that-is-long-enough-for-hs256-0123456789',
      TRANSPORT: 'event-log',
      KAFKA_BROKERS: '',
      DATABASE_POOL_SIZE: '5',
      ...env,
    }),
    chromium.launch({ executablePath, args: CHROMIUM_ARGS }),
  ]);
  const [platform, browser] = started;
  if (platform.status === 'fulfilled' && browser.status === 'fulfilled')
    return [platform.value, browser.value];
  // One of the two failed: close the other, or Jest waits for it forever.
  if (platform.status === 'fulfilled') await platform.value.stop();
  if (browser.status === 'fulfilled') await browser.value.close();
  throw platform.status === 'rejected' ? platform.reason : (browser as PromiseRejectedResult).reason;
}

/** A full-page screenshot kept as a test artefact (test-results/ui/<name>.png). */
export function screenshot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: path.join(ARTEFACTS, `${name}.png`), fullPage: true });
}

/**
 * Checks an antd checkbox or radio until it shows checked. Under CI load a click can land before React has
 * taken it in, and Playwright's `check()` then reports "did not change its state" although the form takes
 * the click a moment later; a second `check()` does nothing to a box that is checked by then.
 */
export async function tick(box: Locator): Promise<void> {
  for (let attempt = 0; attempt < 6; attempt++) {
    if (await box.isChecked()) return;
    await box.check({ timeout: 10_000 }).catch(() => undefined);
    if (await box.isChecked()) return;
    await box.page().waitForTimeout(300);
  }
  throw new Error(`could not check ${box.toString()}`);
}

/**
 * What a Chinese user's browser sends, asking for reduced motion: the screens without their fades and
 * slides, as such a user sees them (nothing half-faded for axe, no animation to wait for).
 */
export const BROWSER_CONTEXT = {
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
  reducedMotion: 'reduce',
} as const;
/** A phone-sized viewport for the public pages. */
export const PHONE = {
  ...BROWSER_CONTEXT,
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
} as const;

/**
 * Picks `option` in the antd select labelled `field`. Under load a pick can be lost (the list closed by the
 * click that opened it, or the choice not taken in): open the list when it is not open, pick, and check
 * the field shows the choice; else again.
 */
export async function choose(page: Page, field: string, option: string, within: Page | Locator = page) {
  // `within`: the dialog or drawer holding the field, where another (hidden) form has one of that name.
  // (`has` is matched inside each select: a page-rooted locator.)
  const select = within.locator('.ant-select').filter({ has: page.getByLabel(field, { exact: true }) });
  const item = page.locator(
    `.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="${option}"]`,
  );
  const chosen = select.locator('.ant-select-selection-item', { hasText: option });
  for (let attempt = 0; ; attempt++) {
    if (!(await item.isVisible())) await select.click();
    const picked = await item
      .click({ timeout: 5000 })
      .then(() => chosen.waitFor({ timeout: 3000 }))
      .then(
        () => true,
        () => false,
      );
    if (picked) return;
    if (attempt === 5) throw new Error(`${field}: ${option} could not be chosen`);
  }
}

/**
 * Picks a place in an open cascading place picker, level by level: `path[0]` is shown, each next level is
 * loaded when the one above is opened. A level that did not arrive (a load failed under load) is asked for
 * again by opening the place above once more.
 */
export async function pickPlace(page: Page, path: string[]) {
  for (let i = 1; i < path.length; i++) {
    const item = page.locator(`.ant-cascader-menu-item[title="${path[i]}"]`);
    for (let attempt = 0; !(await item.isVisible()); attempt++) {
      if (attempt === 15) throw new Error(`${path[i - 1]}: ${path[i]} did not load`);
      await page.locator(`.ant-cascader-menu-item[title="${path[i - 1]}"]`).click();
      await item.waitFor({ timeout: 5000 }).catch(() => undefined);
    }
    await item.click();
  }
}
