import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('has development defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ env: 'development', port: 3000, bcryptRounds: 12, logLevel: 'info' });
    expect(config.dataDir).toBe(path.resolve('./data'));
  });

  it('refuses to start in production without SESSION_SECRET, saying which variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET/);
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) }).env).toBe('production');
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ BCRYPT_ROUNDS: '2' })).toThrow(/BCRYPT_ROUNDS/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('caps tasks per account at 10,000 unless MAX_TASKS_PER_USER says otherwise', () => {
    expect(loadConfig({}).maxTasksPerUser).toBe(10_000);
    expect(loadConfig({ MAX_TASKS_PER_USER: '50' }).maxTasksPerUser).toBe(50);
    expect(() => loadConfig({ MAX_TASKS_PER_USER: '0' })).toThrow(/MAX_TASKS_PER_USER/);
    expect(() => loadConfig({ MAX_TASKS_PER_USER: 'lots' })).toThrow(/MAX_TASKS_PER_USER/);
  });

  it('reads TRUST_PROXY as off, a hop count or addresses, and refuses "true"', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY=true .*hop|number of proxies/);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback' }).trustProxy).toBe('loopback');
  });

  it('uses SQLite in DATA_DIR unless DATABASE_URL names PostgreSQL', () => {
    expect(loadConfig({ DATA_DIR: '/tmp/gid' }).database).toEqual({
      client: 'sqlite',
      filename: path.resolve('/tmp/gid/get-it-done.sqlite3'),
    });
    expect(loadConfig({ DATABASE_URL: '' }).database.client).toBe('sqlite'); // blank is unset
    for (const url of [
      'postgres://app:pw@127.0.0.1:5432/gid',
      'postgresql://app@db.internal/gid',
      'postgresql:///gid?host=/var/run/postgresql',
    ]) {
      expect(loadConfig({ DATABASE_URL: url }).database).toEqual({
        client: 'pg',
        url,
        poolMax: 10,
        statementTimeoutMs: 5000,
      });
    }
    const tuned = loadConfig({
      DATABASE_URL: 'postgres://app:pw@127.0.0.1/gid',
      DATABASE_POOL_MAX: '4',
      DATABASE_STATEMENT_TIMEOUT_MS: '2000',
    }).database;
    expect(tuned).toMatchObject({ poolMax: 4, statementTimeoutMs: 2000 });
  });

  it('refuses any other DATABASE_URL at start, without repeating it (it holds the password)', () => {
    for (const url of [
      'mysql://app:s3cret@127.0.0.1/gid',
      'sqlite:///var/data/gid.sqlite3',
      './data/gid.sqlite3',
      'postgres://',
      'postgres//app:s3cret@host/gid',
    ]) {
      expect(() => loadConfig({ DATABASE_URL: url }), url).toThrow(ConfigError);
      expect(() => loadConfig({ DATABASE_URL: url }), url).toThrow(/DATABASE_URL must be a PostgreSQL URL/);
      expect(() => loadConfig({ DATABASE_URL: url }), url).not.toThrow(/s3cret/);
    }
  });

  it('names DATABASE_POOL_MAX and DATABASE_STATEMENT_TIMEOUT_MS when they are wrong', () => {
    const pg = { DATABASE_URL: 'postgres://app@127.0.0.1/gid' };
    expect(() => loadConfig({ ...pg, DATABASE_POOL_MAX: '0' })).toThrow(/DATABASE_POOL_MAX/);
    expect(() => loadConfig({ ...pg, DATABASE_POOL_MAX: 'many' })).toThrow(/DATABASE_POOL_MAX/);
    expect(() => loadConfig({ ...pg, DATABASE_STATEMENT_TIMEOUT_MS: '10' })).toThrow(
      /DATABASE_STATEMENT_TIMEOUT_MS/,
    );
  });
});

describe('mail settings', () => {
  const production = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) };

  it('writes mail to DATA_DIR/outbox without SMTP_URL outside production, linking to where the server listens', () => {
    const config = loadConfig({ DATA_DIR: '/tmp/gid-data', PORT: '8080' });
    expect(config.mail).toMatchObject({ transport: 'outbox', outboxDir: '/tmp/gid-data/outbox' });
    expect(config.baseUrl).toBe('http://127.0.0.1:8080');
    expect(config.mail.from).toBe('Get It Done! <no-reply@localhost>');
  });

  it('sends no mail at all in production without SMTP_URL', () => {
    expect(loadConfig(production).mail.transport).toBe('none');
  });

  it('sends through SMTP_URL, from MAIL_FROM, with links starting at BASE_URL (no trailing slash)', () => {
    const config = loadConfig({
      ...production,
      SMTP_URL: 'smtp://user:pass@mail.example.com:587',
      MAIL_FROM: 'Todo <todo@example.com>',
      BASE_URL: 'https://todo.example.com/',
    });
    expect(config.mail).toMatchObject({
      transport: 'smtp',
      smtpUrl: 'smtp://user:pass@mail.example.com:587',
      from: 'Todo <todo@example.com>',
    });
    expect(config.baseUrl).toBe('https://todo.example.com');
    expect(
      loadConfig({
        ...production,
        SMTP_URL: 'smtps://mail.example.com',
        BASE_URL: 'https://todo.example.com',
      }).mail.from,
    ).toBe('Get It Done! <no-reply@todo.example.com>');
  });

  it('refuses SMTP in production without BASE_URL, or with a BASE_URL that is not https', () => {
    const smtp = { ...production, SMTP_URL: 'smtp://mail.example.com' };
    expect(() => loadConfig(smtp)).toThrow(ConfigError);
    expect(() => loadConfig(smtp)).toThrow(/BASE_URL is required/);
    expect(() => loadConfig({ ...smtp, BASE_URL: 'http://todo.example.com' })).toThrow(/https/);
  });

  it('names the mail variable that is wrong, without repeating its value', () => {
    const tryUrl = () => loadConfig({ SMTP_URL: 'http://user:secret-pw@mail.example.com' });
    expect(tryUrl).toThrow(/SMTP_URL/);
    expect(tryUrl).not.toThrow(/secret-pw/);
    expect(() => loadConfig({ MAIL_FROM: 'not an address' })).toThrow(/MAIL_FROM/);
    expect(() => loadConfig({ MAIL_FROM: 'Evil <a@example.com>\r\nBcc: all@example.com' })).toThrow(
      /MAIL_FROM/,
    );
    expect(() => loadConfig({ BASE_URL: 'ftp://todo.example.com' })).toThrow(/BASE_URL/);
    expect(() => loadConfig({ BASE_URL: 'https://todo.example.com/?next=x' })).toThrow(/BASE_URL/);
    expect(loadConfig({ MAIL_FROM: 'todo@example.com' }).mail.from).toBe('todo@example.com');
  });

  it('serves from one process unless WEB_CONCURRENCY asks for workers, and names a bad value', () => {
    expect(loadConfig({}).webConcurrency).toBe(1);
    expect(loadConfig({ WEB_CONCURRENCY: '2' }).webConcurrency).toBe(2);
    for (const bad of ['0', '-1', '1.5', 'many', '65'])
      expect(() => loadConfig({ WEB_CONCURRENCY: bad }), bad).toThrow(/WEB_CONCURRENCY/);
  });

  it('takes INSTANCE_NAME only as a plain token (it becomes a response header)', () => {
    expect(loadConfig({}).instanceName).toBeUndefined();
    expect(loadConfig({ INSTANCE_NAME: 'web-a.eu_1' }).instanceName).toBe('web-a.eu_1');
    for (const bad of ['two words', 'a\r\nSet-Cookie: x=1', 'x'.repeat(65)])
      expect(() => loadConfig({ INSTANCE_NAME: bad }), bad).toThrow(/INSTANCE_NAME/);
  });
});
