import net from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export const SMTP_USER = 'mailer';
export const SMTP_PASSWORD = 'smtp-password-for-tests';

/**
 * A real SMTP server on 127.0.0.1 (a free port) for the mail tests, as nodemailer talks to it.
 * - accept: takes every message (login required), parses it with mailparser into `inbox`;
 * - reject: answers every recipient with a permanent 550 that quotes the address;
 * - close: accepts the connection and closes it at once, before any greeting;
 * - hang: accepts the connection and never says a word.
 */
export type SmtpBehaviour = 'accept' | 'reject' | 'close' | 'hang';

export interface TestSmtpServer {
  /** The SMTP_URL for the app, credentials included. */
  url: string;
  inbox: ParsedMail[];
  /** Logins the server saw (user names). */
  logins: string[];
  /** Connections opened so far, and the ones still open. */
  connections: { opened: number; open: number };
  /** Resolves once the inbox holds `count` messages. */
  received(count: number): Promise<ParsedMail[]>;
  /** Resolves once a connection is open (the hanging server is being waited on). */
  connected(): Promise<void>;
  close(): Promise<void>;
}

/** acceptDelayMs: an accepting server answers each message only after this long (a slow relay). */
export async function startSmtpServer(
  behaviour: SmtpBehaviour = 'accept',
  { acceptDelayMs = 0 }: { acceptDelayMs?: number } = {},
): Promise<TestSmtpServer> {
  const inbox: ParsedMail[] = [];
  const logins: string[] = [];
  const connections = { opened: 0, open: 0 };
  const waiters = new Set<() => void>();
  const wake = () => waiters.forEach((check) => check());
  const waitFor = (done: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (done()) {
          waiters.delete(check);
          resolve();
        }
      };
      waiters.add(check);
      check();
    });

  let listener: net.Server;
  let stop: () => Promise<void>;
  if (behaviour === 'accept' || behaviour === 'reject') {
    const smtp = new SMTPServer({
      // Plain text on loopback: no STARTTLS (its certificate would be self-signed), login allowed.
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      disableReverseLookup: true,
      logger: false,
      onConnect(_session, callback) {
        connections.opened++;
        connections.open++;
        wake();
        callback();
      },
      onClose() {
        connections.open--;
      },
      onAuth(auth, _session, callback) {
        if (auth.username !== SMTP_USER || auth.password !== SMTP_PASSWORD) {
          return callback(new Error('Invalid username or password'));
        }
        logins.push(auth.username);
        callback(null, { user: auth.username });
      },
      onRcptTo(address, _session, callback) {
        if (behaviour === 'accept') return callback();
        const refused = Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected`), {
          responseCode: 550,
        });
        callback(refused);
      },
      onData(stream, _session, callback) {
        simpleParser(stream).then(
          (mail) =>
            setTimeout(() => {
              inbox.push(mail);
              wake();
              callback();
            }, acceptDelayMs),
          (err: Error) => callback(err),
        );
      },
    });
    listener = smtp.server;
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    stop = () => new Promise<void>((resolve) => smtp.close(() => resolve()));
  } else {
    const sockets = new Set<net.Socket>();
    listener = net.createServer((socket) => {
      connections.opened++;
      connections.open++;
      sockets.add(socket);
      socket.on('close', () => {
        connections.open--;
        sockets.delete(socket);
      });
      socket.on('error', () => {});
      wake();
      if (behaviour === 'close') socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    stop = () =>
      new Promise<void>((resolve) => {
        sockets.forEach((socket) => socket.destroy());
        listener.close(() => resolve());
      });
  }
  const { port } = listener.address() as net.AddressInfo;
  return {
    url: `smtp://${SMTP_USER}:${SMTP_PASSWORD}@127.0.0.1:${port}`,
    inbox,
    logins,
    connections,
    received: async (count) => {
      await waitFor(() => inbox.length >= count);
      return inbox;
    },
    connected: () => waitFor(() => connections.open > 0),
    close: stop,
  };
}

/** The links in a message's plain-text part. */
export function linksIn(mail: ParsedMail): string[] {
  return [...(mail.text ?? '').matchAll(/https?:\/\/\S+/g)].map((m) => m[0]);
}
