import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { freePort, startServer, tempDataDir, type ServerProcess } from './server-process';

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

/**
 * One built server (fresh DATA_DIR, no SMTP_URL: emails land in DATA_DIR/outbox) and one
 * Chromium for the whole test file.
 */
export function useServerAndBrowser(): { server: ServerProcess; browser: Browser; dataDir: string } {
  const shared = {} as {
    server: ServerProcess;
    browser: Browser;
    dataDir: string;
    close: () => Promise<void>;
  };
  beforeAll(async () => {
    shared.dataDir = tempDataDir();
    // A port named up front, so that links in emails (http://HOST:PORT without BASE_URL) reach this server.
    shared.server = await startServer({ dataDir: shared.dataDir, built: true, port: await freePort() });
    Object.assign(shared, await launchBrowser());
  });
  afterAll(async () => {
    await shared.close?.();
    shared.server?.child.kill('SIGTERM');
  });
  return shared;
}
