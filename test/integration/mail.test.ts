import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { loggableMailError, outboxMailer, smtpMailer } from '../../src/mail/mailer';
import { captureLogs } from '../helpers/log-lines';
import { tempDataDir } from '../helpers/server-process';
import { SMTP_USER, startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';

const FROM = 'Get It Done! <no-reply@example.test>';
const message = { to: 'someone@example.com', subject: 'Hello', text: 'A line of text.\n' };

let smtp: TestSmtpServer | undefined;
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
});

describe('sending mail', () => {
  it('hands a plain-text message to the SMTP server of SMTP_URL, logging in with its credentials', async () => {
    smtp = await startSmtpServer('accept');
    await smtpMailer(smtp.url, FROM).send(message);
    const [mail] = await smtp.received(1);
    expect(smtp.logins).toEqual([SMTP_USER]);
    expect(mail!.from?.text).toBe('"Get It Done!" <no-reply@example.test>');
    expect(mail!.to).toMatchObject({ text: 'someone@example.com' });
    expect(mail!.subject).toBe('Hello');
    expect(mail!.text).toBe('A line of text.\n');
  });

  it('fails when the server refuses, with an error whose loggable part names no address', async () => {
    smtp = await startSmtpServer('reject');
    const failure = await smtpMailer(smtp.url, FROM)
      .send(message)
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(failure).toBeInstanceOf(Error);
    const loggable = loggableMailError(failure);
    expect(loggable).toMatchObject({ code: 'EENVELOPE', responseCode: 550 });
    expect(JSON.stringify(loggable)).not.toContain('someone@example.com');
  });

  it('gives up on a server that never answers, after its timeout', async () => {
    smtp = await startSmtpServer('hang');
    const sending = smtpMailer(smtp.url, FROM, { connectionMs: 200, greetingMs: 200, socketMs: 200 }).send(
      message,
    );
    await smtp.connected();
    const failure = await sending.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(loggableMailError(failure)).toMatchObject({ code: 'ETIMEDOUT' });
  });

  it('without SMTP, writes each message as an .eml file only its owner can read, and logs where', async () => {
    const dir = path.join(tempDataDir('gid-outbox-'), 'outbox');
    const logs = captureLogs();
    await outboxMailer(dir, FROM, logs.logger).send(message);
    const [name] = fs.readdirSync(dir);
    expect(name).toMatch(/\.eml$/);
    const file = path.join(dir, name!);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(logs.lines).toContainEqual(expect.objectContaining({ event: 'mail.outbox', file }));
    const mail = await simpleParser(fs.readFileSync(file));
    expect(mail.subject).toBe('Hello');
    expect(mail.text).toBe('A line of text.\n');
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });
});
