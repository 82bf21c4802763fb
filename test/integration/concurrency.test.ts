import request from 'supertest';
import { expect, it } from 'vitest';
import { authMessages } from '../../src/messages/auth';
import { useTestApp } from '../helpers/test-app';
import { csrfTokenFor, escapeHtml, GOOD_PASSWORD, uniqueEmail } from '../helpers/users';

// On PostgreSQL the pool holds several connections, so requests really do run side by side (on
// SQLite one connection takes them in turn): the rules must hold in the database itself.

const t = useTestApp();

it('the same email registered twice at the same moment makes one account; the other is told it exists', async () => {
  const email = uniqueEmail('twice');
  const browsers = [request.agent(t.app), request.agent(t.app)];
  const tokens = await Promise.all(browsers.map((agent) => csrfTokenFor(agent, '/register')));
  const answers = await Promise.all(
    browsers.map((agent, i) =>
      agent
        .post('/register')
        .type('form')
        .send({ _csrf: tokens[i], email, password: GOOD_PASSWORD, verify: GOOD_PASSWORD }),
    ),
  );
  expect(answers.map((res) => res.status).sort()).toEqual([303, 422]);
  expect(answers.find((res) => res.status === 422)!.text).toContain(escapeHtml(authMessages.emailTaken));
  const accounts = await t.db('users').where({ email }).count({ n: '*' }).first<{ n: number }>();
  expect(accounts.n).toBe(1);
});
