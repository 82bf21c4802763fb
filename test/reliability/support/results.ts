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
/** Labels that are not HTTP statuses: the request got no complete answer. */
export const isSocketError = (label: string) => !/^\d{3}$/.test(label);
