/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser)
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { repoRoot } from '../../support/processes.js';
import { CDN, productImage } from './seed-store.js';

/**
 * What every browser test does with a page: a context shaped like a real user's (a desk or a
 * phone, the store's locale), the store's product pictures served as its CDN would, the page's
 * own errors collected, axe-core's verdict, and screenshots for docs/images/.
 */

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Screenshots go to docs/images/ when STOREWIRE_SCREENSHOTS=1 (one database's run is enough). */
const SCREENSHOTS = process.env.STOREWIRE_SCREENSHOTS === '1' ? join(repoRoot, 'docs', 'images') : null;

export const DESK = { width: 1280, height: 860 };
export const PHONE = { width: 375, height: 812 };

export interface UserPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions and CSP violations seen so far: a page must have none. */
  problems: string[];
}

export async function openPage(browser: Browser, viewport = DESK): Promise<UserPage> {
  const context = await browser.newContext({
    viewport,
    locale: 'en-IN',
    timezoneId: 'Asia/Kolkata',
    deviceScaleFactor: 1,
    isMobile: viewport.width < 600,
    hasTouch: viewport.width < 600,
  });
  // The test machine has no network: the store's CDN answers from here.
  await context.route(`${CDN}/**`, (route) => {
    const name = new URL(route.request().url()).pathname.replace(/^\/|\.svg$/g, '');
    return route.fulfill({ status: 200, contentType: 'image/svg+xml', body: productImage(name) });
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content.Security.Policy|Refused to/i.test(message.text()))
      problems.push(`csp: ${message.text()}`);
  });
  return { context, page, problems };
}

export async function signIn(user: UserPage, baseUrl: string, email: string, password: string): Promise<void> {
  const { page } = user;
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/stores\/st_[^/]+\//);
}

/** No critical or serious axe-core finding on the page as it is now. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: any }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return (result.violations as any[]).map((v) => ({
      id: v.id as string,
      impact: v.impact as string,
      help: v.help as string,
      nodes: (v.nodes as any[]).slice(0, 3).map((n) => (n.target as string[]).join(' ')),
    }));
  });
  const blocking = violations.filter((v) => v.impact === 'critical' || v.impact === 'serious');
  expect(blocking, `${what}: ${JSON.stringify(blocking, null, 2)}`).toEqual([]);
}

/** The page fits the screen: nothing wider than the viewport (no sideways scrolling on a phone). */
export async function expectNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, `${what} is ${scrollWidth}px wide on a ${innerWidth}px screen`).toBeLessThanOrEqual(innerWidth);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Pictures (the store's products) drawn before the shot, as a user would see them after a moment.
  await page.waitForFunction(() => Array.from(document.images).every((image) => image.complete));
  // From the top: the sidebar sticks to the viewport, so a page scrolled down (a focused field)
  // would draw it halfway down a full-page picture, where no user sees it.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
}

/** Reads a store API path as the signed-in user's browser does: cookie, store header. */
export async function apiFromPage(page: Page, storeId: string, path: string) {
  return page.evaluate(
    async ({ storeId, path }) => {
      const res = await fetch(path, { headers: { 'x-store-id': storeId } });
      return { status: res.status, body: await res.json().catch(() => null) };
    },
    { storeId, path },
  );
}

/** A page for one user (an agent, a shopper, a phone) for the length of `use`; it must end without errors. */
export async function withPage<T>(browser: Browser, viewport: typeof DESK, use: (user: UserPage) => Promise<T>) {
  const user = await openPage(browser, viewport);
  try {
    const result = await use(user);
    expect(user.problems).toEqual([]);
    return result;
  } finally {
    await user.context.close();
  }
}
