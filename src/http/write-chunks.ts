import type { Response } from 'express';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Turns } from './turns';

/** Resolves when the response can take more, or when the client has gone. */
function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve();
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Writes the chunks to the response as they come and ends it; answers false, having stopped,
 * when the client went away first. Each chunk is made in its turn (see turns.ts), and after each
 * one the event loop gets a turn too, so other requests are served between chunks. When the
 * socket's buffer is full it waits for 'drain' (outside any turn: a slow client holds up nobody
 * else), so the server holds one chunk, not the file. Stopping ends the iteration, which stops
 * whatever makes the chunks (an export's queries).
 */
export async function writeChunks(
  res: Response,
  chunks: AsyncIterable<string>,
  turns: Turns,
): Promise<boolean> {
  let gone = res.destroyed;
  const onClose = () => (gone = true);
  res.on('close', onClose);
  const iterator = chunks[Symbol.asyncIterator]();
  try {
    for (;;) {
      if (gone || res.destroyed) return false;
      const next = await turns.run(() => iterator.next());
      if (next.done) break;
      if (gone || res.destroyed) return false;
      if (!res.write(next.value)) await drained(res);
      // On loopback or a fast network the socket takes each write at once and 'drain' follows
      // without an I/O turn (nor does a SQLite query take one), so without this the export would
      // run to its end in one go.
      await nextTurn();
    }
    res.end();
    return true;
  } finally {
    res.off('close', onClose);
    await iterator.return?.(); // a generator stops here (and runs its finally blocks)
  }
}
