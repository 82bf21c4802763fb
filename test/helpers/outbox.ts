import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { simpleParser, type ParsedMail } from 'mailparser';

/** The messages a server without SMTP_URL wrote to DATA_DIR/outbox, oldest first. */
export async function readOutbox(dataDir: string): Promise<ParsedMail[]> {
  const dir = path.join(dataDir, 'outbox');
  if (!fs.existsSync(dir)) return [];
  const files = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.eml'))
    .sort();
  return Promise.all(files.map((name) => simpleParser(fs.readFileSync(path.join(dir, name)))));
}

/**
 * Waits for the `nth` email to `to` (the server writes it just after answering) and gives the
 * link in it, as a person would click it.
 */
export async function waitForLink(dataDir: string, to: string, nth = 1): Promise<string> {
  for (;;) {
    const mine = (await readOutbox(dataDir)).filter(
      (mail) => mail.to && 'text' in mail.to && mail.to.text === to,
    );
    const link = /https?:\/\/\S+/.exec(mine[nth - 1]?.text ?? '')?.[0];
    if (link) return link;
    await sleep(50);
  }
}
