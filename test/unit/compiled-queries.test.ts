import { expect, it } from 'vitest';
import { runCompiled } from '../../src/db/compiled-queries';
import { createUser, findUserForSession } from '../../src/models/users';
import { useMigratedDb } from '../helpers/test-app';

const fresh = useMigratedDb();

it('runs each call with its own values in the statement compiled once', async () => {
  const ann = (await createUser(fresh.db, { email: 'ann@example.com', passwordHash: 'h' }))!;
  const bob = (await createUser(fresh.db, { email: 'bob@example.com', passwordHash: 'h' }))!;
  const statements: string[] = [];
  const record = (query: { sql: string }) => statements.push(query.sql);
  fresh.db.on('query', record);
  expect((await findUserForSession(fresh.db, ann.id, Date.now()))?.email).toBe('ann@example.com');
  expect((await findUserForSession(fresh.db, bob.id, Date.now()))?.email).toBe('bob@example.com');
  expect(await findUserForSession(fresh.db, bob.id + 1000, Date.now())).toBeUndefined();
  fresh.db.off('query', record);
  expect(new Set(statements).size).toBe(1);
});

it('inside a transaction, reads on the transaction (it sees what the transaction wrote)', async () => {
  await fresh.db.transaction(async (trx) => {
    const carol = (await createUser(trx, { email: 'carol@example.com', passwordHash: 'h' }))!;
    expect((await findUserForSession(trx, carol.id, Date.now()))?.email).toBe('carol@example.com');
  });
});

it('refuses a query whose stand-in does not reach the bindings (a value derived from it would be kept)', async () => {
  await expect(
    runCompiled(fresh.db, 'derived stand-in', [-1], [5], (id) => fresh.db('users').where('id', id + 1)),
  ).rejects.toThrow(/stand-in -1 is not among the bindings/);
});
