import { describe, expect, it } from 'vitest';
import { createMigratedDb } from '../helpers/test-app';
import { loggableError } from '../../src/http/error-pages';

describe('what an error leaves in the log', () => {
  it('keeps the driver’s words but not the SQL’s bound values', async () => {
    const db = await createMigratedDb();
    await db('users').insert({ email: 'secret@example.com', password_hash: '$2b$12$hash' });
    const err = await db('users')
      .insert({ email: 'secret@example.com', password_hash: '$2b$12$hash' })
      .catch((e: unknown) => e);
    await db.destroy();
    expect(String((err as Error).message)).toContain('secret@example.com'); // what Knex says
    const logged = JSON.stringify(loggableError(err));
    expect(logged).toContain('SQLITE_CONSTRAINT_UNIQUE');
    expect(logged).not.toContain('secret@example.com');
    expect(logged).not.toContain('$2b$12$hash');
  });
});
