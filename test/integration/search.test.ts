import { describe, expect, it } from 'vitest';
import { SEARCH_MAX } from '../../src/limits';
import { taskMessages } from '../../src/messages/tasks';
import { useTestApp } from '../helpers/test-app';
import {
  escapeHtml,
  postForm,
  registerUser,
  registerUserWithTasks,
  taskNames,
  type Agent,
} from '../helpers/users';

const TODAY = '2026-12-01';
const t = useTestApp({}, { clock: () => new Date(`${TODAY}T12:00:00Z`) });

const home = async (agent: Agent, path = '/') => (await agent.get(path)).text;
const search = (q: string, filter?: string) =>
  `/?${new URLSearchParams({ ...(filter ? { filter } : {}), q }).toString()}`;
const summary = (page: string) =>
  /<p class="search-summary" id="search-summary"><span>([^<]*)<\/span>/.exec(page)?.[1];

async function userWith(...names: string[]) {
  const user = await registerUserWithTasks(t.app, ...names);
  const idOf = (name: string) => user.ids[names.indexOf(name)]!;
  return { ...user, idOf };
}

describe('searching your tasks', () => {
  it('finds open and completed tasks whose name contains the text, in any letter case, and only yours', async () => {
    const alice = await userWith('Buy MILK', 'Bread', 'Milkshake for Sam', 'oat milk');
    await postForm(alice.agent, `/tasks/${alice.idOf('Milkshake for Sam')}/complete`);
    await userWith('Bob’s milk');
    const page = await home(alice.agent, search('milk'));
    expect(taskNames(page, 'open')).toEqual(['Buy MILK', 'oat milk']);
    expect(taskNames(page, 'completed')).toEqual(['Milkshake for Sam']);
    expect(summary(page)).toBe(escapeHtml(taskMessages.searchMatches(3, 'milk')));
    expect(taskMessages.searchMatches(3, 'milk')).toBe('3 tasks match “milk”.');
    // The field keeps the search; the sections count their matches.
    expect(page).toContain('<input id="search" name="q" type="search" value="milk"');
    expect(page).toContain('Open <span class="badge">2</span>');
    expect(page).toContain('Completed <span class="badge">1</span>');
  });

  it('is case-insensitive in every script', async () => {
    const { agent } = await userWith('ÉCOLE', 'Straße', 'МОСКВА', 'ΟΔΟΣ', 'Ｆｕｌｌ width', 'cafe');
    const found = async (q: string) => {
      const page = await home(agent, search(q));
      return [...taskNames(page, 'open'), ...taskNames(page, 'completed')];
    };
    expect(await found('école')).toEqual(['ÉCOLE']);
    expect(await found('École')).toEqual(['ÉCOLE']);
    expect(await found('STRASSE')).toEqual(['Straße']);
    expect(await found('москва')).toEqual(['МОСКВА']);
    expect(await found('οδος')).toEqual(['ΟΔΟΣ']);
    expect(await found('full')).toEqual(['Ｆｕｌｌ width']);
    // Accents count: "cafe" is not "café", and "ecole" is not "école".
    expect(await found('ecole')).toEqual([]);
  });

  it('takes %, _ and \\ literally', async () => {
    const { agent } = await userWith('100% done', '100 done', 'a_b', 'axb', 'back\\slash', 'backslash');
    const found = async (q: string) => taskNames(await home(agent, search(q)), 'open');
    expect(await found('%')).toEqual(['100% done']);
    expect(await found('0% d')).toEqual(['100% done']);
    expect(await found('_')).toEqual(['a_b']);
    expect(await found('a_b')).toEqual(['a_b']);
    expect(await found('\\')).toEqual(['back\\slash']);
    expect(await found('k\\s')).toEqual(['back\\slash']);
  });

  it('combines with the filter', async () => {
    const { agent, idOf } = await userWith('milk', 'more milk', 'bread');
    await postForm(agent, `/tasks/${idOf('more milk')}/complete`);
    const open = await home(agent, search('milk', 'open'));
    expect(taskNames(open, 'open')).toEqual(['milk']);
    expect(taskNames(open, 'completed')).toEqual([]);
    expect(summary(open)).toBe(escapeHtml(taskMessages.searchMatches(1, 'milk')));
    const completed = await home(agent, search('milk', 'completed'));
    expect(taskNames(completed, 'completed')).toEqual(['more milk']);
    // Switching filters keeps the search; clearing it keeps the filter.
    expect(open).toContain('<a href="/?filter=completed&amp;q=milk" class="filters__link">');
    expect(open).toContain(`<a href="/?filter=open">${taskMessages.clearSearch}</a>`);
    expect(open).toContain('<input type="hidden" name="filter" value="open">');
  });

  it('combines with Today', async () => {
    const { agent } = await registerUser(t.app);
    await postForm(agent, '/', { task: 'milk today', due: TODAY });
    await postForm(agent, '/', { task: 'milk someday' });
    await postForm(agent, '/', { task: 'bread today', due: TODAY });
    expect(taskNames(await home(agent, search('milk', 'today')), 'open')).toEqual(['milk today']);
  });

  it('says when nothing matches, and offers to clear the search', async () => {
    const { agent } = await userWith('Bread');
    const page = await home(agent, search('milk'));
    expect(summary(page)).toBe(escapeHtml(taskMessages.searchMatches(0, 'milk')));
    expect(page).toContain(`<a href="/">${taskMessages.clearSearch}</a>`);
    expect(taskNames(page, 'open')).toEqual([]);
  });

  it('escapes the search wherever it shows', async () => {
    const { agent } = await userWith('<b>x</b>');
    const page = await home(agent, search('<b>'));
    expect(page).not.toContain('<b>x</b>');
    expect(page).toContain('value="&lt;b&gt;"');
    expect(summary(page)).toBe(escapeHtml(taskMessages.searchMatches(1, '<b>')));
  });

  it('refuses a search it cannot run with a 422 by the field, and shows the whole list', async () => {
    const { agent } = await userWith('milk', 'bread');
    for (const [q, message] of [
      ['x'.repeat(SEARCH_MAX + 1), taskMessages.searchTooLong],
      ['mi\u0000lk', taskMessages.searchControlCharacters],
    ] as const) {
      const res = await agent.get(search(q));
      expect(res.status).toBe(422);
      expect(res.text).toContain(
        `<p class="field__error" id="search-error"><span aria-hidden="true">⚠ </span>${escapeHtml(message)}</p>`,
      );
      expect(res.text).toMatch(
        /<input id="search" name="q" type="search" value="[^"]*"[^>]*aria-invalid="true" aria-describedby="search-error"/,
      );
      expect(taskNames(res.text, 'open')).toEqual(['milk', 'bread']);
    }
    // A repeated ?q= is no search at all.
    const twice = await agent.get('/?q=milk&q=bread');
    expect(twice.status).toBe(200);
    expect(taskNames(twice.text, 'open')).toEqual(['milk', 'bread']);
  });

  it('pages through many matches, keeping the search in the links', async () => {
    const { agent } = await registerUser(t.app);
    for (let i = 1; i <= 55; i++) await postForm(agent, '/', { task: `milk ${i}` });
    await postForm(agent, '/', { task: 'bread' });
    const first = await home(agent, search('MILK'));
    expect(taskNames(first, 'open')).toHaveLength(50);
    const next = /rel="next" href="([^"]+)"/.exec(first)?.[1]?.replace(/&amp;/g, '&');
    expect(next).toMatch(/^\/\?q=MILK&open_after=\d+$/);
    const second = await home(agent, next!);
    expect(taskNames(second, 'open')).toEqual(['milk 51', 'milk 52', 'milk 53', 'milk 54', 'milk 55']);
    expect(second).toContain('<span class="pager__range">51&ndash;55 of 55</span>');
  });

  it('actions taken on the results return to them', async () => {
    const { agent, idOf } = await userWith('milk', 'bread');
    const res = await postForm(agent, `/tasks/${idOf('milk')}/complete`, {
      return_to: search('oat milk & more', 'open'),
    });
    expect(res.headers.location).toMatch(/^\/\?filter=open&q=oat\+milk\+%26\+more(#|$)/);
    expect(await home(agent, search('milk'))).toContain('name="return_to" value="/?q=milk"');
  });
});
