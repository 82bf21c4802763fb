import fs from 'node:fs';
import type session from 'express-session';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger';
import { createSqliteSessionStore, type ClosableStore } from '../../src/sessions/store';
import { tempDataDir } from '../helpers/server-process';

// Two workers each open the session store file: their connections read and write it at once.

const stores: ClosableStore[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const sessionFor = (userId: number) =>
  ({
    cookie: { originalMaxAge: 60_000, expires: new Date(Date.now() + 60_000) },
    userId,
  }) as session.SessionData;
const save = (store: ClosableStore, sid: string, data: session.SessionData) =>
  new Promise<void>((resolve, reject) => store.set(sid, data, (err) => (err ? reject(err) : resolve())));
const load = (store: ClosableStore, sid: string) =>
  new Promise<session.SessionData | null | undefined>((resolve, reject) =>
    store.get(sid, (err, data) => (err ? reject(err) : resolve(data))),
  );

describe('the SQLite session store shared by two processes', () => {
  it('reads and saves sessions while another connection writes the same file, with no "database is locked"', async () => {
    const dataDir = tempDataDir('gid-store-');
    dirs.push(dataDir);
    const logger = createLogger('silent');
    const mine = await createSqliteSessionStore(dataDir, logger);
    stores.push(mine);
    const theirs = await createSqliteSessionStore(dataDir, logger); // the other worker's store
    stores.push(theirs);
    for (let i = 0; i < 10; i++) await save(mine, `mine-${i}`, sessionFor(i));

    // Like one worker's requests (a session read, another request's save) while the other
    // worker saves its own sessions: all at once, on each store's single connection.
    const failures: string[] = [];
    const note = (err: unknown) => failures.push(String(err));
    for (let round = 0; round < 20; round++) {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => [
          load(mine, `mine-${i}`).then((data) => expect(data?.userId).toBe(i), note),
          save(mine, `mine-${(i + 1) % 10}`, sessionFor((i + 1) % 10)).catch(note),
          save(theirs, `theirs-${round}-${i}`, sessionFor(100 + i)).catch(note),
        ]).flat(),
      );
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
