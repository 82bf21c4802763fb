import { describe, expect, it } from 'vitest';
import { taskMessages } from '../../src/messages/tasks';
import { useTestApp } from '../helpers/test-app';
import { escapeHtml, postForm, registerUser, taskIds, taskNames, type Agent } from '../helpers/users';

// Tuesday 1 December 2026 (UTC, every user here).
const NOW = new Date('2026-12-01T12:00:00Z');
const t = useTestApp({}, { clock: () => NOW });

const home = async (agent: Agent, path = '/') => (await agent.get(path)).text;

/** A user with dated and undated tasks, one of the overdue ones completed. */
async function plannedUser() {
  const user = await registerUser(t.app);
  for (const [task, due] of [
    ['Later', '2026-12-09'],
    ['No date', ''],
    ['Today', '2026-12-01'],
    ['Long overdue', '2026-10-01'],
    ['Overdue', '2026-11-28'],
    ['Done already', '2026-11-30'],
    ['Next year', '2027-03-01'],
  ]) {
    expect((await postForm(user.agent, '/', { task: task!, due: due! })).status).toBe(303);
  }
  const ids = taskIds(await home(user.agent), 'open');
  const names = taskNames(await home(user.agent), 'open');
  const idOf = (name: string) => ids[names.indexOf(name)]!;
  await postForm(user.agent, `/tasks/${idOf('Done already')}/complete`);
  return { ...user, idOf };
}

/** The filter links as a user reads them: the label and the count after it. */
function filterLinks(page: string) {
  const nav = /<nav class="filters"[^>]*>([\s\S]*?)<\/nav>/.exec(page)?.[1] ?? '';
  return [
    ...nav.matchAll(/<a href="([^"]*)"[^>]*>([^<]*)(?:<span class="filters__count">(\d+)<\/span>)?<\/a>/g),
  ].map((m) => ({ href: m[1]!.replace(/&amp;/g, '&'), text: `${m[2]!.trim()}${m[3] ? ` ${m[3]}` : ''}` }));
}

describe('the Today filter', () => {
  it('lists open tasks due today or earlier, overdue first, with its count', async () => {
    const { agent } = await plannedUser();
    const page = await home(agent, '/?filter=today');
    expect(taskNames(page, 'open')).toEqual(['Long overdue', 'Overdue', 'Today']);
    expect(taskNames(page, 'completed')).toEqual([]);
    expect(page).toContain(`${taskMessages.sections.today.title} <span class="badge">3</span>`);
    expect(filterLinks(page)).toEqual([
      { href: '/', text: 'All' },
      { href: '/?filter=open', text: 'Open' },
      { href: '/?filter=completed', text: 'Completed' },
      { href: '/?filter=today', text: 'Today 3' },
      { href: '/?filter=upcoming', text: 'Upcoming 5' },
    ]);
    expect(page).toMatch(/<a href="\/\?filter=today" class="filters__link" aria-current="page">/);
    // Complete all would complete more than the section shows: it is not offered here.
    expect(page).not.toContain(taskMessages.completeAll);
  });

  it('says so when nothing is due', async () => {
    const { agent } = await registerUser(t.app);
    await postForm(agent, '/', { task: 'Someday', due: '' });
    const page = await home(agent, '/?filter=today');
    expect(page).toContain(taskMessages.sections.today.empty);
    expect(filterLinks(page)).toContainEqual({ href: '/?filter=today', text: 'Today 0' });
  });
});

describe('the Upcoming filter', () => {
  it('lists open tasks with a date, soonest first', async () => {
    const { agent } = await plannedUser();
    const page = await home(agent, '/?filter=upcoming');
    expect(taskNames(page, 'open')).toEqual(['Long overdue', 'Overdue', 'Today', 'Later', 'Next year']);
    expect(page).toContain(
      `${escapeHtml(taskMessages.sections.upcoming.title)} <span class="badge">5</span>`,
    );
  });

  it('never shows another user’s tasks', async () => {
    await plannedUser();
    const { agent } = await registerUser(t.app);
    for (const filter of ['today', 'upcoming']) {
      const page = await home(agent, `/?filter=${filter}`);
      expect(taskNames(page, 'open')).toEqual([]);
      expect(filterLinks(page)).toContainEqual({
        href: `/?filter=${filter}`,
        text: `${filter === 'today' ? 'Today' : 'Upcoming'} 0`,
      });
    }
  });
});

describe('actions taken under a date filter', () => {
  it('return to it', async () => {
    const { agent, idOf } = await plannedUser();
    const res = await postForm(
      agent,
      `/tasks/${idOf('Overdue')}/complete`,
      { return_to: '/?filter=today' },
      '/?filter=today',
    );
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/\?filter=today(#|$)/);
    const page = await home(agent, '/?filter=today');
    expect(taskNames(page, 'open')).toEqual(['Long overdue', 'Today']);
    expect(page).toContain(escapeHtml(taskMessages.taskCompleted('Overdue')));
  });

  it('forms on the page carry the filter in return_to', async () => {
    const { agent } = await plannedUser();
    for (const filter of ['today', 'upcoming']) {
      expect(await home(agent, `/?filter=${filter}`)).toContain(
        `name="return_to" value="/?filter=${filter}"`,
      );
    }
  });
});

describe('paging a long list', () => {
  async function userWith(count: number) {
    const user = await registerUser(t.app);
    for (let i = 1; i <= count; i++) await postForm(user.agent, '/', { task: `task ${i}` });
    return user;
  }

  const pager = (page: string) => {
    const nav = /<nav class="pager" aria-label="Open: pages">([\s\S]*?)<\/nav>/.exec(page)?.[1];
    if (nav === undefined) return undefined;
    const link = (rel: string) =>
      new RegExp(`rel="${rel}" href="([^"]*)">([^<]*)</a>`)
        .exec(nav)
        ?.slice(1)
        .map((s) => s.replace(/&amp;/g, '&'));
    return {
      range: /<span class="pager__range">([^<]*)<\/span>/.exec(nav)?.[1]?.replace('&ndash;', '–'),
      previous: link('prev'),
      next: link('next'),
    };
  };

  it('says where each page is, with next and previous links that work without JavaScript', async () => {
    const { agent } = await userWith(131);
    const first = await home(agent);
    expect(taskNames(first, 'open')).toHaveLength(50);
    expect(pager(first)).toEqual({
      range: '1–50 of 131',
      previous: undefined,
      next: [expect.stringMatching(/^\/\?open_after=\d+$/), taskMessages.sections.open.next],
    });

    const second = await home(agent, pager(first)!.next![0]);
    expect(taskNames(second, 'open')[0]).toBe('task 51');
    expect(pager(second)).toEqual({
      range: '51–100 of 131',
      previous: ['/', taskMessages.sections.open.previous],
      next: [expect.stringMatching(/^\/\?open_after=\d+$/), taskMessages.sections.open.next],
    });
    // Actions on page 2 return to page 2.
    expect(second).toMatch(/name="return_to" value="\/\?open_after=\d+"/);

    const third = await home(agent, pager(second)!.next![0]);
    expect(taskNames(third, 'open')).toEqual(Array.from({ length: 31 }, (_, i) => `task ${101 + i}`));
    expect(pager(third)).toEqual({
      range: '101–131 of 131',
      previous: [expect.stringMatching(/^\/\?open_before=\d+$/), taskMessages.sections.open.previous],
      next: undefined,
    });
    const back = await home(agent, pager(third)!.previous![0]);
    expect(taskNames(back, 'open')[0]).toBe('task 51');
    expect(pager(back)?.range).toBe('51–100 of 131');
    // 131 adds through the form: seconds on PostgreSQL on a busy machine.
  }, 30_000);

  it('shows no pager when the list fits on one page', async () => {
    const { agent } = await userWith(3);
    expect(pager(await home(agent))).toBeUndefined();
  });

  it('treats a cursor that is not the user’s own task as the first page', async () => {
    const alice = await userWith(2);
    const aliceIds = taskIds(await home(alice.agent), 'open');
    const bob = await userWith(60);
    const page = await home(bob.agent, `/?open_after=${aliceIds[0]}`);
    expect(taskNames(page, 'open')[0]).toBe('task 1');
    expect(pager(page)?.range).toBe('1–50 of 60');
  });
});
