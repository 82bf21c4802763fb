import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../src/db/dialect';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable (a 503, not a 500)', () => {
  it('knows SQLite being busy or unreadable', () => {
    for (const code of [
      'SQLITE_BUSY',
      'SQLITE_BUSY_SNAPSHOT',
      'SQLITE_LOCKED',
      'SQLITE_READONLY',
      'SQLITE_IOERR_WRITE',
    ]) {
      expect(isDatabaseUnavailable(withCode(code)), code).toBe(true);
    }
  });

  it('knows PostgreSQL that is down, restarting, overloaded or too slow', () => {
    for (const code of [
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
      '57P01', // admin shutdown
      '57P02', // crash shutdown
      '57P03', // cannot connect now (starting up)
      '57014', // statement timeout
      '08006', // connection failure
      '08001',
      '53300', // too many connections
      '40001', // serialization failure: try again
    ]) {
      expect(isDatabaseUnavailable(withCode(code)), code).toBe(true);
    }
    const refused = new AggregateError(
      [withCode('ECONNREFUSED'), withCode('ECONNREFUSED')],
      'connect failed',
    );
    expect(isDatabaseUnavailable(refused)).toBe(true);
    const knexTimeout = Object.assign(new Error('Knex: Timeout acquiring a connection.'), {
      name: 'KnexTimeoutError',
    });
    expect(isDatabaseUnavailable(knexTimeout)).toBe(true);
  });

  it('knows pg’s code-less connection errors, by the driver’s words at the end of the message', () => {
    for (const message of [
      'select 1 - Connection terminated unexpectedly',
      'Connection terminated due to connection timeout',
      'timeout expired',
      'select * from "tasks" - Query read timeout',
      'Client has encountered a connection error and is not queryable',
    ]) {
      expect(isDatabaseUnavailable(new Error(message)), message).toBe(true);
    }
    // A task named like a driver error, in the SQL of a real bug, is still a bug (a 500).
    expect(
      isDatabaseUnavailable(
        new Error('insert into "tasks" ("name") values (\'timeout expired\') - syntax error'),
      ),
    ).toBe(false);
  });

  it('leaves real bugs and bad data alone', () => {
    for (const code of ['23505', '23503', '42P01', '22P02', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_ERROR']) {
      expect(isDatabaseUnavailable(withCode(code)), code).toBe(false);
    }
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
  });
});
