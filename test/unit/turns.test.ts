import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import type { Request, Response } from 'express';
import { createTurns, MAX_TURNS_GIVEN_WAY, takeTurns } from '../../src/http/turns';

/** A job that runs until the test lets it finish. */
function heldJob(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const job = async () => {
    log.push(`start ${name}`);
    await done;
    log.push(`end ${name}`);
    return name;
  };
  return { job, finish };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('jobs that take turns', () => {
  it('runs one job at a time, the others in the order they came', async () => {
    const turns = createTurns();
    const log: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((name) => heldJob(log, name));
    const results = [turns.run(a!.job), turns.run(b!.job), turns.run(c!.job)];
    await settle();
    expect(log).toEqual(['start a']);
    c!.finish();
    b!.finish();
    a!.finish();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('starts the next job on a later turn of the event loop, after what was queued meanwhile', async () => {
    const turns = createTurns();
    const log: string[] = [];
    const first = turns.run(async () => {
      log.push('first');
      setImmediate(() => log.push('other work queued meanwhile'));
    });
    const second = turns.run(async () => void log.push('second'));
    await Promise.all([first, second]);
    expect(log).toEqual(['first', 'other work queued meanwhile', 'second']);
  });

  it('hands the turn on when a job fails', async () => {
    const turns = createTurns();
    const failing = turns.run(() => Promise.reject(new Error('broken')));
    const next = turns.run(async () => 'ran');
    await expect(failing).rejects.toThrow('broken');
    expect(await next).toBe('ran');
    expect(await turns.run(async () => 'and again')).toBe('and again');
  });
});

describe('requests that take turns', () => {
  const request = {} as Request;
  const response = {} as Response;

  it('starts one request per turn of the event loop, in the order they came, with other work between', async () => {
    const turn = takeTurns();
    const log: string[] = [];
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    // Each request's own work takes 3 ms; the first one sets a timer that is due after 1 ms.
    let lastRan!: () => void;
    const allRan = new Promise<void>((resolve) => (lastRan = resolve));
    for (const name of ['a', 'b', 'c']) {
      turn(request, response, () => {
        log.push(name);
        if (name === 'a') setTimeout(() => log.push('timer'), 1);
        busy(3);
        if (name === 'c') lastRan();
      });
    }
    expect(log).toEqual([]); // none runs inside the turn that brought them
    await allRan;
    // The timer waited for one request, not for all three (as it did when they ran back to back).
    expect(log).toEqual(['a', 'timer', 'b', 'c']);
  });

  it('goes on after the queue ran empty', async () => {
    const turn = takeTurns();
    const log: string[] = [];
    turn(request, response, () => log.push('first'));
    await settle();
    await settle();
    turn(request, response, () => log.push('later'));
    await settle();
    await settle();
    expect(log).toEqual(['first', 'later']);
  });

  it('goes on in the async context each request arrived in, not in the one that started its turn', async () => {
    const turn = takeTurns();
    const requestId = new AsyncLocalStorage<string>();
    const seen: (string | undefined)[] = [];
    let lastRan!: () => void;
    const allRan = new Promise<void>((resolve) => (lastRan = resolve));
    for (const id of ['r1', 'r2', 'r3']) {
      requestId.run(id, () =>
        turn(request, response, () => {
          seen.push(requestId.getStore());
          if (id === 'r3') lastRan();
        }),
      );
    }
    await allRan;
    expect(seen).toEqual(['r1', 'r2', 'r3']);
  });
});

describe('bulk work that gives way to pages', () => {
  it('lets a waiting request go first: its page before the next page of an export', async () => {
    const turn = takeTurns();
    const exportPages = createTurns(turn.waiting);
    const log: string[] = [];
    turn({} as Request, {} as Response, () => log.push('a page someone waits for'));
    await exportPages.run(async () => log.push('a page of an export'));
    expect(log).toEqual(['a page someone waits for', 'a page of an export']);
  });

  it('gives way for a few turns at most, so that a full load never starves it', async () => {
    let asked = 0;
    const exportPages = createTurns(() => (asked++, true)); // requests always waiting
    expect(await exportPages.run(async () => 'done')).toBe('done');
    expect(asked).toBe(MAX_TURNS_GIVEN_WAY);
  });
});
