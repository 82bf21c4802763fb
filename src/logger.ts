import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs that never carry passwords, cookies or session ids (to stdout, or to `destination`). */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    // The request log writes no headers; these paths are the guard should any code log a request,
    // a response or a form body.
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        '*.password',
        '*.verify',
        '*.current',
        '*._csrf',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
