import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { describe } from 'vitest';
import { describeEachDatabase, type DatabaseTarget } from '../../support/databases.js';

/**
 * Debian's Chromium, driven by playwright-core (no browser download). Without it the browser
 * suites are skipped with a warning, as the PostgreSQL half is without STOREWIRE_TEST_PG_URL;
 * under CI they fail instead (.ci/run installs it).
 */
export const CHROMIUM = process.env.STOREWIRE_CHROMIUM ?? '/usr/bin/chromium';
const REQUIRED = process.env.CI === 'true' || process.env.CI === '1';
export const chromiumAvailable = existsSync(CHROMIUM);

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true, timeout: 60_000 });
}

let warned = false;

/** Runs the suite on each database in a real browser; skips (or fails in CI) without Chromium. */
export function describeInBrowser(title: string, body: (target: DatabaseTarget) => void): void {
  if (chromiumAvailable) return describeEachDatabase(title, body);
  if (REQUIRED) throw new Error(`${CHROMIUM} is missing, but CI must run the browser tests (apt-get install chromium)`);
  if (!warned) {
    warned = true;
    console.warn(`\n⚠ ${CHROMIUM} not found: the browser tests are SKIPPED. Install it: apt-get install -y chromium\n`);
  }
  describe.skip(title, () => body({ dialect: 'sqlite', create: async () => Promise.reject(new Error('skipped')) }));
}
