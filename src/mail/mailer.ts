import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createTransport, type NodemailerError } from 'nodemailer';
import type { Config } from '../config';
import type { Logger } from '../logger';

/** One plain-text message to one person. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** False when this server has no way to send mail (production without SMTP_URL). */
  readonly canSend: boolean;
  /** Resolves once the message is handed over (to the SMTP server, or to a file); rejects otherwise. */
  send(message: MailMessage): Promise<void>;
}

/**
 * How long one send may wait on the SMTP server, step by step. Sends run after the response,
 * so a slow server delays only the email, but a hanging one must not pile up open sockets.
 */
export interface SmtpTimeouts {
  connectionMs: number;
  greetingMs: number;
  socketMs: number;
}

export const SMTP_TIMEOUTS: SmtpTimeouts = { connectionMs: 10_000, greetingMs: 10_000, socketMs: 30_000 };

/** Sends through the SMTP server of SMTP_URL (a new connection per message). */
export function smtpMailer(url: string, from: string, timeouts: SmtpTimeouts = SMTP_TIMEOUTS): Mailer {
  const transport = createTransport(
    {
      url,
      connectionTimeout: timeouts.connectionMs,
      greetingTimeout: timeouts.greetingMs,
      socketTimeout: timeouts.socketMs,
      dnsTimeout: timeouts.connectionMs,
    },
    { from },
  );
  return {
    canSend: true,
    async send(message) {
      await transport.sendMail(message);
    },
  };
}

/**
 * Development without SMTP: each message becomes an .eml file in `dir` (readable by its owner
 * only: it holds a live reset link), and the log says where, so the whole flow can be tried.
 */
export function outboxMailer(dir: string, from: string, logger: Logger): Mailer {
  const transport = createTransport({ streamTransport: true, buffer: true, newline: 'unix' }, { from });
  return {
    canSend: true,
    async send(message) {
      const info = await transport.sendMail(message);
      await fs.mkdir(dir, { recursive: true, mode: 0o700 });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${crypto.randomBytes(4).toString('hex')}.eml`;
      const file = path.join(dir, name);
      await fs.writeFile(file, info.message as Buffer, { mode: 0o600, flag: 'wx' });
      logger.info({ event: 'mail.outbox', file }, `email written to ${file}`);
    },
  };
}

/** Production without SMTP_URL: nothing is offered that would need an email. */
export const noMailer: Mailer = {
  canSend: false,
  send: () => Promise.reject(new Error('this server has no way to send mail (set SMTP_URL)')),
};

/** The mailer the configuration asks for (server.ts builds it; tests build their own). */
export function createMailer(mail: Config['mail'], logger: Logger): Mailer {
  switch (mail.transport) {
    case 'smtp':
      return smtpMailer(mail.smtpUrl!, mail.from);
    case 'outbox':
      return outboxMailer(mail.outboxDir, mail.from, logger);
    case 'none':
      return noMailer;
  }
}

/**
 * What of a failed send may be logged: the kind of failure and the SMTP reply code, never the
 * message or the server's reply text (both can quote the recipient's address).
 */
export function loggableMailError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { name: typeof err };
  const { code, command, responseCode, timeoutType } = err as NodemailerError;
  return { name: err.name, code, command, responseCode, timeoutType };
}
