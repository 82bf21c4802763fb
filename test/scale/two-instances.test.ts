import crypto from 'node:crypto';
import knex from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../helpers/http-client';
import { startLoadBalancer, type LoadBalancer } from '../helpers/nginx';
import { startServer, tempDataDir, type ServerProcess } from '../helpers/server-process';

// Two app processes on two ports behind Debian's nginx (round-robin), on one PostgreSQL
// database, as two machines behind a load balancer would run. npm run test:scale; needs
// TEST_DATABASE_URL: a PostgreSQL server and a role that may create databases.

const adminUrl = process.env.TEST_DATABASE_URL;
if (!adminUrl) {
  throw new Error(
    'npm run test:scale needs TEST_DATABASE_URL (a PostgreSQL role with CREATEDB), see the README.',
  );
}
const databaseName = `gid_scale_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${databaseName}` }).toString();
const admin = () => knex({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });

const PASSWORD = 'two instances, one database';
const shared = {
  DATABASE_URL: databaseUrl,
  SESSION_SECRET: crypto.randomBytes(24).toString('hex'), // every instance signs alike
  TRUST_PROXY: 'loopback',
  LOGIN_MAX_FAILURES_PER_EMAIL: '3',
};

let instances: ServerProcess[] = [];
let balancer: LoadBalancer | undefined;

beforeAll(async () => {
  const db = admin();
  try {
    await db.raw('CREATE DATABASE ??', [databaseName]);
  } finally {
    await db.destroy();
  }
  // One after the other, so that the first one's migrations are done before the second starts.
  for (const name of ['a', 'b']) {
    instances.push(
      await startServer({
        dataDir: tempDataDir(`gid-${name}-`),
        built: true,
        env: { ...shared, INSTANCE_NAME: name },
      }),
    );
  }
  balancer = await startLoadBalancer(instances.map((instance) => instance.port));
}, 120_000);

afterAll(async () => {
  await balancer?.stop();
  for (const instance of instances) {
    instance.child.kill('SIGTERM');
    await instance.exited;
  }
  instances = [];
  const db = admin();
  try {
    await db.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [databaseName]);
  } finally {
    await db.destroy();
  }
}, 60_000);

/** The instance that answered: its name, from the X-Instance header. */
const answeredBy = (res: Response) => (res.headers.get('x-instance') ?? '?').split('/')[0]!;

/** A browser that goes through the load balancer and notes which instance answered each request. */
class Visitor extends HttpClient {
  readonly seen: string[] = [];
  override async request(path: string, init: RequestInit = {}): Promise<Response> {
    const res = await super.request(path, init);
    this.seen.push(answeredBy(res));
    return res;
  }
}

// The open list carries data-reorder and its names an id (for the Move buttons' names).
const taskNames = (html: string, section: 'open' | 'completed') => {
  const list =
    new RegExp(`<ul class="tasks" id="${section}-tasks"[^>]*>([\\s\\S]*?)</ul>`).exec(html)?.[1] ?? '';
  return [...list.matchAll(/data-task-name(?: id="n\d+")?>([^<]*)</g)].map((match) => match[1]!);
};

describe('two instances behind nginx on one PostgreSQL', () => {
  it('serve one user alternately: register, log in, add, complete, delete and undo, log out', async () => {
    const browser = new Visitor(balancer!.baseUrl);
    const email = `both-${process.pid}@example.com`;
    await browser.register(email, PASSWORD);

    // Each step is a post on one instance and the page after it on the other.
    const home = async () => (await browser.get('/')).text;
    const post = async (path: string, fields: Record<string, string> = {}) => {
      const res = await browser.postForm(path, { _csrf: await browser.csrf('/'), ...fields });
      await res.arrayBuffer();
      expect(res.status, `${path} answered by ${answeredBy(res)}`).toBe(303);
    };
    await post('/', { task: 'Buy milk' });
    await post('/', { task: 'Call the bank' });
    expect(taskNames(await home(), 'open')).toEqual(['Buy milk', 'Call the bank']);
    const ids = [...(await home()).matchAll(/id="task-(\d+)"/g)].map((match) => match[1]!);
    await post(`/tasks/${ids[0]}/complete`);
    let page = await home();
    expect(taskNames(page, 'open')).toEqual(['Call the bank']);
    expect(taskNames(page, 'completed')).toEqual(['Buy milk']);
    await post(`/tasks/${ids[1]}/delete`);
    page = await home();
    expect(taskNames(page, 'open')).toEqual([]);
    // The undo offer was made by one instance and is taken up on whichever answers next.
    await post(`/tasks/${ids[1]}/undo-delete`);
    expect(taskNames(await home(), 'open')).toEqual(['Call the bank']);

    // Round robin: both instances served this user, taking turns.
    expect(new Set(browser.seen)).toEqual(new Set(['a', 'b']));
    const turns = browser.seen.slice(1).filter((name, i) => name !== browser.seen[i]).length;
    expect(turns).toBeGreaterThanOrEqual(browser.seen.length / 2);

    // Log out through the balancer: the old cookie is refused by both instances.
    const oldCookie = browser.cookieHeader;
    const logout = await browser.postForm('/logout', { _csrf: await browser.csrf('/') });
    await logout.arrayBuffer();
    expect(logout.status).toBe(303);
    for (const instance of instances) {
      const res = await fetch(`${instance.baseUrl}/`, { headers: { cookie: oldCookie }, redirect: 'manual' });
      await res.arrayBuffer();
      expect(res.status, `instance ${answeredBy(res)}`).toBe(303);
      expect(res.headers.get('location')).toBe('/login');
    }
  });

  it('count failed logins on one instance on the other too', async () => {
    const owner = new Visitor(balancer!.baseUrl);
    const email = `guessed-${process.pid}@example.com`;
    await owner.register(email, PASSWORD);
    const [a, b] = instances.map((instance) => new HttpClient(instance.baseUrl));
    // LOGIN_MAX_FAILURES_PER_EMAIL is 3: two failures on a, one on b, and the fourth try on a waits.
    for (const client of [a!, a!, b!]) expect(await client.logIn(email, 'wrong password')).toBe(401);
    expect(await a!.logIn(email, 'wrong password')).toBe(429);
    expect(await b!.logIn(email, PASSWORD)).toBe(429);
  });
});
