import type { IncomingHttpHeaders } from 'node:http';

/** One row of the summary table printed at the end of `npm run test:reliability`. */
export interface CaseResult {
  name: string;
  requests: number;
  errors: number;
  lostWrites: number;
  note: string;
}

const results: CaseResult[] = [];

export function record(result: CaseResult): void {
  results.push(result);
}

export function summaryTable(): string {
  const header = ['case', 'requests', 'errors', 'lost writes', 'note'];
  const rows = results.map((r) => [
    r.name,
    String(r.requests),
    String(r.errors),
    String(r.lostWrites),
    r.note,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** Counts outcomes by a short label ("200", "303", "ECONNRESET", ...), for assertions and the note. */
export class Tally {
  readonly counts = new Map<string, number>();
  add(label: string | number): void {
    const key = String(label);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  get(label: string | number): number {
    return this.counts.get(String(label)) ?? 0;
  }
  total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }
  count(predicate: (label: string) => boolean): number {
    let sum = 0;
    for (const [label, n] of this.counts) if (predicate(label)) sum += n;
    return sum;
  }
  toString(): string {
    return [...this.counts]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([label, n]) => `${label}×${n}`)
      .join(' ');
  }
}

export const is5xx = (label: string) => /^5\d\d$/.test(label);

/**
 * The label of a write refused with the "busy for a moment" 503 (and Retry-After) where that is
 * expected: with WEB_CONCURRENCY=2 the workers take turns at the SQLite file's write lock, and a
 * write that waits longer than the busy timeout (250 ms; on this shared machine a lock holder
 * can wait that long for a CPU) is refused. Nothing was stored and nothing acknowledged; the
 * user is told to try again. The cases that count it are about connections and durability.
 */
export const BUSY = 'busy';
export const isBusy = (reply: { status: number; headers: IncomingHttpHeaders }) =>
  reply.status === 503 && reply.headers['retry-after'] !== undefined;

/** Labels that are not HTTP statuses (nor BUSY): the request got no complete answer. */
export const isSocketError = (label: string) => label !== BUSY && !/^\d{3}$/.test(label);

/**
 * The server's error lines, but for those of a write refused as busy: its SQLITE_BUSY, its 503
 * request line and (seen once, for a logged-in user's 503) the error page falling back to plain
 * text because the page's CSRF field needs the session that the 503 handler drops.
 */
export function errorsBesidesBusy(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => /"level":(50|60)/.test(line))
    .filter((line) => !/"code":"SQLITE_BUSY"|"status":503,|error page failed to render/.test(line));
}
