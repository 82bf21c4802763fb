import { createLogger, type Logger } from '../../src/logger';

export type LogLine = Record<string, unknown> & { msg?: string; event?: string };

/** The app's own logger (redaction and all), writing its JSON lines into memory. */
export function captureLogs(level = 'info'): { logger: Logger; lines: LogLine[]; text: () => string } {
  const raw: string[] = [];
  const logger = createLogger(level, { write: (line: string) => void raw.push(line.trim()) });
  return {
    logger,
    get lines() {
      return raw.map((line) => JSON.parse(line) as LogLine);
    },
    text: () => raw.join('\n'),
  };
}
