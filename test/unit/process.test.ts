import { describe, expect, it } from 'vitest';
import { isPrimaryMessage, isWorkerMessage } from '../../src/process/messages';
import { replacementDelayMs } from '../../src/process/primary';

describe('replacing workers', () => {
  it('replaces a worker at once, then waits longer each time its replacements die young, up to 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map(replacementDelayMs)).toEqual([
      0, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });

  it('takes only the messages it knows from the IPC channel', () => {
    expect(isWorkerMessage({ type: 'listening', port: 3000 })).toBe(true);
    expect(isWorkerMessage({ type: 'startup-failed', reason: 'port taken' })).toBe(true);
    expect(isWorkerMessage({ type: 'startup-failed' })).toBe(true);
    expect(isWorkerMessage({ type: 'stopped-accepting' })).toBe(true);
    for (const other of [
      null,
      'listening',
      { type: 'listening' },
      { type: 'startup-failed', reason: 1 },
      { cmd: 'NODE_x' },
    ])
      expect(isWorkerMessage(other), JSON.stringify(other)).toBe(false);
    expect(isPrimaryMessage({ type: 'listener-closed' })).toBe(true);
    expect(isPrimaryMessage({ type: 'listening', port: 1 })).toBe(false);
  });
});
