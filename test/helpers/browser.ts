import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startServer, tempDataDir, type ServerProcess } from './server-process';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, with the flags this sandboxed, offline machine needs. */
export async function launchBrowser(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
  return {
    browser,
    // launch() gives every run a fresh, temporary profile of its own.
    close: () => browser.close(),
  };
}

export const screenshotDir = path.join(process.cwd(), 'screenshots');

/** One built server (fresh DATA_DIR) and one Chromium for the whole test file. */
export function useServerAndBrowser(): { server: ServerProcess; browser: Browser } {
  const shared = {} as { server: ServerProcess; browser: Browser; close: () => Promise<void> };
  beforeAll(async () => {
    shared.server = await startServer({ dataDir: tempDataDir(), built: true });
    Object.assign(shared, await launchBrowser());
  });
  afterAll(async () => {
    await shared.close?.();
    shared.server?.child.kill('SIGTERM');
  });
  return shared;
}
