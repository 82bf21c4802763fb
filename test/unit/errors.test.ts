import { describe, expect, it } from 'vitest';
import { createMigratedDb } from '../helpers/test-app';
import { onPostgres } from '../helpers/test-database';
import { loggableError } from '../../src/http/error-pages';

describe('what an error leaves in the log', () => {
  it('keeps the driver’s words but not the SQL’s bound values', async () => {
    const db = await createMigratedDb();
    await db('users').insert({ email: 'secret@example.com', password_hash: '$2b$12$hash' });
    const err = await db('users')
      .insert({ email: 'secret@example.com', password_hash: '$2b$12$hash' })
      .catch((e: unknown) => e);
    await db.destroy();
    // What the error carries: SQLite's message has the SQL with its values, PostgreSQL's detail the key.
    const { message, detail } = err as Error & { detail?: string };
    expect(`${message} ${detail ?? ''}`).toContain('secret@example.com');
    const logged = JSON.stringify(loggableError(err));
    expect(logged).toContain(onPostgres ? '23505' : 'SQLITE_CONSTRAINT_UNIQUE'); // the driver's own code
    expect(logged).not.toContain('secret@example.com');
    expect(logged).not.toContain('$2b$12$hash');
  });
});
