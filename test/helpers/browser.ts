// A real browser for end-to-end tests: Debian's Chromium (`apt-get install chromium`) driven by
// playwright-core, which downloads no browser of its own. Where Chromium is missing the browser
// tests are skipped with a banner nobody can miss, except in CI (env CI set), where they fail.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

export type BrowserAvailability = { run: true } | { run: false; reason: string };

/** Whether the browser tests can run here; prints the skip banner when they cannot (outside CI). */
export function browserAvailability(env: NodeJS.ProcessEnv = process.env): BrowserAvailability {
  if (existsSync(chromiumPath)) return { run: true };
  const reason = `${chromiumPath} not found; install it with apt-get install chromium`;
  // In CI the tests run anyway and fail in launchChromium: a missing browser must not pass unnoticed.
  if (env.CI) return { run: true };
  const line = '!'.repeat(78);
  console.warn(`\n${line}\n!! BROWSER TEST SKIPPED: ${reason}\n!! The web client was NOT tested in a browser. (In CI, with CI set, this fails instead.)\n${line}\n`);
  return { run: false, reason };
}

/** Launches headless Chromium; a clear error when it is missing (which in CI fails the tests). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`the browser test cannot run: ${chromiumPath} not found; install it with apt-get install chromium (.ci/run does)`);
  }
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    timeout: 30_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// The page's sessionStorage, read and written from Node.js (this code runs in the page, typed
// without the DOM library the Node.js tests are compiled without).
interface PageStorage {
  length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export async function readSessionStorage(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const storage = (globalThis as unknown as { sessionStorage: PageStorage }).sessionStorage;
    const entries: Record<string, string> = {};
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key !== null) entries[key] = storage.getItem(key) ?? '';
    }
    return entries;
  });
}

export async function writeSessionStorage(page: Page, entries: Record<string, string>): Promise<void> {
  await page.evaluate((values) => {
    const storage = (globalThis as unknown as { sessionStorage: PageStorage }).sessionStorage;
    for (const [key, value] of Object.entries(values)) storage.setItem(key, value);
  }, entries);
}
