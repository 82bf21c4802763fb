import request from 'supertest';
import type { Express } from 'express';

export type Agent = ReturnType<typeof request.agent>;

/** Reads the CSRF token from a page the way a browser's form would carry it. */
export function csrfFrom(html: string): string {
  const found = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!found?.[1]) throw new Error('page has no _csrf field');
  return found[1];
}

export async function csrfTokenFor(agent: Agent, path = '/login'): Promise<string> {
  const page = await agent.get(path);
  return csrfFrom(page.text);
}

let counter = 0;
export const uniqueEmail = (name = 'user') => `${name}-${process.pid}-${++counter}@example.com`;
export const GOOD_PASSWORD = 'correct horse battery';

/** Registers through the real form (`extra`: the hidden tz field, say); the agent is then logged in. */
export async function registerUser(
  app: Express,
  email = uniqueEmail(),
  password = GOOD_PASSWORD,
  extra: Record<string, string> = {},
) {
  const agent = request.agent(app);
  const _csrf = await csrfTokenFor(agent, '/register');
  const res = await agent
    .post('/register')
    .type('form')
    .send({ _csrf, email, password, verify: password, ...extra });
  if (res.status !== 303)
    throw new Error(`registration failed with ${res.status}: ${res.text.slice(0, 300)}`);
  return { agent, email, password };
}

/** POSTs a form with the agent's current CSRF token (taken from the home page). */
export async function postForm(agent: Agent, path: string, fields: Record<string, string> = {}, from = '/') {
  const _csrf = await csrfTokenFor(agent, from);
  return agent
    .post(path)
    .type('form')
    .send({ _csrf, ...fields });
}

/** The task names in a section of the home page, as the user reads them. */
export function taskNames(html: string, section: 'open' | 'completed'): string[] {
  const list =
    new RegExp(`<ul class="tasks" id="${section}-tasks"[^>]*>([\\s\\S]*?)</ul>`).exec(html)?.[1] ?? '';
  return [...list.matchAll(/<span class="task__name" data-task-name(?: id="n\d+")?>([^<]*)<\/span>/g)].map(
    (m) => m[1]!,
  );
}

export function taskIds(html: string, section: 'open' | 'completed'): number[] {
  const list =
    new RegExp(`<ul class="tasks" id="${section}-tasks"[^>]*>([\\s\\S]*?)</ul>`).exec(html)?.[1] ?? '';
  return [...list.matchAll(/data-task-id="(\d+)"/g)].map((m) => Number(m[1]));
}

/** Registers a user and adds the named tasks through the real form; ids in list order. */
export async function registerUserWithTasks(app: Express, ...names: string[]) {
  const user = await registerUser(app);
  for (const task of names) {
    const res = await postForm(user.agent, '/', { task });
    if (res.status !== 303) throw new Error(`adding "${task}" answered ${res.status}`);
  }
  const ids = taskIds((await user.agent.get('/')).text, 'open');
  return { ...user, ids };
}

/** Text as EJS's <%= %> writes it into a page. */
export const escapeHtml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&#34;')
    .replace(/'/g, '&#39;');
