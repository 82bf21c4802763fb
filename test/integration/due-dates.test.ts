import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { accountMessages } from '../../src/messages/account';
import { taskMessages } from '../../src/messages/tasks';
import { useTestApp } from '../helpers/test-app';
import {
  csrfTokenFor,
  escapeHtml,
  GOOD_PASSWORD,
  postForm,
  registerUser,
  registerUserWithTasks,
  taskIds,
  taskNames,
  uniqueEmail,
  type Agent,
} from '../helpers/users';

// Tuesday 1 December 2026, 20:00 UTC: already Wednesday 2 December in Kiritimati (UTC+14).
const NOW = new Date('2026-12-01T20:00:00Z');
const t = useTestApp({}, { clock: () => NOW });

const home = async (agent: Agent, path = '/') => (await agent.get(path)).text;

/** What a task's row shows for its date, and what the row's check button is described by. */
function dueOf(page: string, name: string) {
  const rows = page.split('<li ').slice(1);
  const row = rows.find((r) =>
    new RegExp(`data-task-name(?: id="n\\d+")?>${escapeHtml(name)}</span>`).test(r),
  );
  if (!row) throw new Error(`no row for ${name}`);
  const due =
    /<span class="(due[^"]*)" id="(due-\d+)">((?:<span class="visually-hidden">[^<]*<\/span>)?[^<]*)<\/span>/.exec(
      row,
    );
  return {
    /** What a screen reader reads, the hidden "Due: " included. */
    text: due?.[3]?.replace(/<[^>]+>/g, ''),
    visible: due?.[3]?.replace(/<span class="visually-hidden">[^<]*<\/span>/, ''),
    className: due?.[1],
    dueId: due?.[2],
    describedBy: /class="check"[^>]*aria-describedby="([^"]+)"/.exec(row)?.[1],
    dataDue: /data-due="([^"]+)"/.exec(row)?.[1],
  };
}

async function addWithDue(agent: Agent, task: string, due: string) {
  return postForm(agent, '/', { task, due });
}

describe('adding a task with a due date', () => {
  it('shows the date in words, and describes the task’s button with it', async () => {
    const { agent } = await registerUser(t.app);
    for (const [task, due] of [
      ['Pay rent', '2026-12-01'],
      ['Call mum', '2026-12-02'],
      ['Book flights', '2026-12-04'],
      ['Renew passport', '2027-11-03'],
      ['File taxes', '2026-11-27'],
      ['No date', ''],
    ] as const) {
      expect((await addWithDue(agent, task, due)).status).toBe(303);
    }
    const page = await home(agent);
    expect(dueOf(page, 'Pay rent')).toMatchObject({
      visible: 'Today',
      text: 'Due: Today',
      className: 'due due--today',
    });
    expect(dueOf(page, 'Call mum')).toMatchObject({
      visible: 'Tomorrow',
      text: 'Due: Tomorrow',
      className: 'due',
    });
    expect(dueOf(page, 'Book flights')).toMatchObject({ visible: 'Fri 4 Dec', dataDue: '2026-12-04' });
    expect(dueOf(page, 'Renew passport')).toMatchObject({ visible: '3 Nov 2027' });
    // Overdue in words, not only in colour.
    expect(dueOf(page, 'File taxes')).toMatchObject({
      visible: 'Overdue: Fri 27 Nov',
      text: 'Overdue: Fri 27 Nov',
      className: 'due due--overdue',
    });
    for (const name of ['Pay rent', 'Book flights', 'File taxes']) {
      const row = dueOf(page, name);
      expect(row.describedBy, name).toBe(row.dueId);
    }
    expect(dueOf(page, 'No date')).toMatchObject({
      text: undefined,
      describedBy: undefined,
      dataDue: undefined,
    });
  });

  it('says the date in the message', async () => {
    const { agent } = await registerUser(t.app);
    await addWithDue(agent, 'Call mum', '2026-12-02');
    expect(await home(agent)).toContain(escapeHtml(taskMessages.taskAdded('Call mum', 'Tomorrow')));
    expect(taskMessages.taskAdded('Call mum', 'Tomorrow')).toBe('Added “Call mum”, due tomorrow.');
  });

  it('refuses an impossible or malformed date with a 422 by the date field, adding nothing', async () => {
    const { agent } = await registerUser(t.app);
    for (const due of ['2026-02-30', 'tomorrow', '2026-1-5']) {
      const res = await addWithDue(agent, 'Dentist', due);
      expect(res.status, due).toBe(422);
      expect(res.text).toContain(`<p class="field__error" id="due-error">`);
      expect(res.text).toContain(escapeHtml(taskMessages.dueInvalid));
      expect(res.text).toMatch(
        /<input id="new-due" name="due" type="date" value="[^"]*"[^>]*aria-invalid="true" aria-describedby="due-error"/,
      );
      // What the user typed is kept.
      expect(res.text).toMatch(/<input id="new-task" name="task" type="text" value="Dentist"/);
    }
    expect(taskNames(await home(agent), 'open')).toEqual([]);
  });

  it('answers the script’s 422 with the field the message belongs to', async () => {
    const { agent } = await registerUser(t.app);
    const _csrf = await csrfTokenFor(agent, '/');
    const res = await agent
      .post('/')
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf, task: 'Dentist', due: '2026-02-30' });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: { status: 422, message: taskMessages.dueInvalid, field: 'due' } });
  });
});

describe('editing a task’s due date', () => {
  async function userWithDatedTask() {
    const user = await registerUser(t.app);
    await addWithDue(user.agent, 'Dentist', '2026-12-04');
    const [id] = taskIds(await home(user.agent), 'open');
    return { ...user, id: id! };
  }

  it('sets, keeps (no due field) and clears (an empty one) the date', async () => {
    const { agent, id } = await userWithDatedTask();
    expect((await postForm(agent, `/tasks/${id}/edit`, { name: 'Dentist at 9' })).status).toBe(303);
    expect(dueOf(await home(agent), 'Dentist at 9').visible).toBe('Fri 4 Dec');

    expect(
      (await postForm(agent, `/tasks/${id}/edit`, { name: 'Dentist at 9', due: '2026-12-02' })).status,
    ).toBe(303);
    let page = await home(agent);
    expect(dueOf(page, 'Dentist at 9').visible).toBe('Tomorrow');
    expect(page).toContain(escapeHtml(taskMessages.taskDueChanged('Dentist at 9', 'Tomorrow')));

    expect((await postForm(agent, `/tasks/${id}/edit`, { name: 'Dentist at 9', due: '' })).status).toBe(303);
    page = await home(agent);
    expect(dueOf(page, 'Dentist at 9').text).toBeUndefined();
    expect(page).toContain(escapeHtml(taskMessages.taskDueChanged('Dentist at 9', null)));
  });

  it('refuses a bad date with a 422 by the task’s date field and changes nothing', async () => {
    const { agent, id } = await userWithDatedTask();
    const res = await postForm(agent, `/tasks/${id}/edit`, { name: 'Renamed', due: '2026-1-5' });
    expect(res.status).toBe(422);
    expect(res.text).toContain(`id="edit-due-error-${id}"`);
    expect(res.text).toMatch(
      /<input name="due" type="date" value="2026-1-5"[^>]*aria-invalid="true" aria-describedby="edit-due-error-\d+" autofocus>/,
    );
    const page = await home(agent);
    expect(taskNames(page, 'open')).toEqual(['Dentist']);
    expect(dueOf(page, 'Dentist').visible).toBe('Fri 4 Dec');
  });

  it('opens the form without JavaScript with the date filled in', async () => {
    const { agent, id } = await userWithDatedTask();
    const page = await home(agent, `/?edit=${id}`);
    expect(page).toMatch(
      /<input name="due" type="date" value="2026-12-04" data-original="2026-12-04"[^>]*aria-label="Due date"/,
    );
  });

  it('answers 404 for another user’s task and changes nothing', async () => {
    const alice = await userWithDatedTask();
    const bob = await registerUser(t.app);
    const res = await postForm(bob.agent, `/tasks/${alice.id}/edit`, { name: 'Dentist', due: '' });
    expect(res.status).toBe(404);
    expect(dueOf(await home(alice.agent), 'Dentist').visible).toBe('Fri 4 Dec');
  });
});

describe('each user’s time zone decides what today is', () => {
  it('uses the zone the browser sent at registration', async () => {
    // 20:00 UTC on 1 December is already 2 December in Kiritimati.
    const kiribati = await registerUser(t.app, uniqueEmail('kiribati'), GOOD_PASSWORD, {
      tz: 'Pacific/Kiritimati',
    });
    const london = await registerUser(t.app, uniqueEmail('london'), GOOD_PASSWORD, { tz: 'Europe/London' });
    for (const { agent } of [kiribati, london]) await addWithDue(agent, 'Dentist', '2026-12-02');
    expect(dueOf(await home(kiribati.agent), 'Dentist').visible).toBe('Today');
    expect(dueOf(await home(london.agent), 'Dentist').visible).toBe('Tomorrow');
  });

  it('is UTC without a zone (no JavaScript) or with one it does not know', async () => {
    const extras: Record<string, string>[] = [
      {},
      { tz: '' },
      { tz: 'Mars/Olympus_Mons' },
      { tz: '<script>' },
    ];
    for (const extra of extras) {
      const { agent } = await registerUser(t.app, uniqueEmail(), GOOD_PASSWORD, extra);
      const account = await home(agent, '/account');
      expect(account).toContain('<dd id="account-time-zone">UTC</dd>');
    }
  });

  it('follows the browser at each login until the user chooses a zone on the account page', async () => {
    const { email } = await registerUser(t.app);
    const logIn = async (tz?: string) => {
      const agent = request.agent(t.app);
      const _csrf = await csrfTokenFor(agent, '/login');
      const res = await agent
        .post('/login')
        .type('form')
        .send({ _csrf, email, password: GOOD_PASSWORD, ...(tz === undefined ? {} : { tz }) });
      expect(res.status).toBe(303);
      return agent;
    };
    let agent = await logIn('America/New_York');
    expect(await home(agent, '/account')).toContain('<dd id="account-time-zone">America/New_York</dd>');
    agent = await logIn(); // no JavaScript: the zone stays
    expect(await home(agent, '/account')).toContain('<dd id="account-time-zone">America/New_York</dd>');

    const res = await postForm(agent, '/account/time-zone', { tz: 'Asia/Tokyo' }, '/account');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/account');
    const page = await home(agent, '/account');
    expect(page).toContain(escapeHtml(accountMessages.timeZoneSaved('Asia/Tokyo')));
    expect(page).toContain('<option selected>Asia/Tokyo</option>');
    // Tokyo is UTC+9: 05:00 on Wednesday 2 December there.
    expect(page).toContain('today is Wednesday 2 December 2026');

    agent = await logIn('America/New_York');
    expect(await home(agent, '/account')).toContain('<dd id="account-time-zone">Asia/Tokyo</dd>');
  });

  it('refuses a zone it does not know with a 422 by the field, and keeps the zone', async () => {
    const { agent } = await registerUser(t.app, uniqueEmail(), GOOD_PASSWORD, { tz: 'Europe/Paris' });
    for (const tz of ['Mars/Olympus_Mons', '', '+05:00']) {
      const res = await postForm(agent, '/account/time-zone', { tz }, '/account');
      expect(res.status, tz).toBe(422);
      expect(res.text).toContain('<p class="field__error" id="time-zone-error">');
      expect(res.text).toContain(escapeHtml(accountMessages.timeZoneUnknown));
      expect(res.text).toMatch(/<select id="time-zone" name="tz"[^>]*aria-invalid="true"/);
    }
    expect(await home(agent, '/account')).toContain('<dd id="account-time-zone">Europe/Paris</dd>');
  });

  it('needs the form’s CSRF token to change the zone', async () => {
    const { agent } = await registerUser(t.app);
    const res = await agent.post('/account/time-zone').type('form').send({ tz: 'Asia/Tokyo' });
    expect(res.status).toBe(403);
    expect(await home(agent, '/account')).toContain('<dd id="account-time-zone">UTC</dd>');
  });
});

describe('due dates in files', () => {
  it('are exported and imported, and a bad one refuses its row', async () => {
    const { agent } = await registerUserWithTasks(t.app);
    await addWithDue(agent, 'Dentist', '2026-12-04');
    const json = JSON.parse((await agent.get('/account/export.json')).text) as {
      name: string;
      due: string | null;
    }[];
    expect(json.map((task) => [task.name, task.due])).toEqual([['Dentist', '2026-12-04']]);
    const csv = (await agent.get('/account/export.csv')).text;
    expect(csv.split('\r\n')[1]).toMatch(/^Dentist,false,[^,]+,,2026-12-04,\d+$/);

    const other = await registerUser(t.app);
    const _csrf = await csrfTokenFor(other.agent, '/account');
    const file = 'name,due\nDentist,2026-12-04\nNo date,\nBad date,2026-02-30\n';
    const res = await other.agent
      .post('/account/import')
      .field('_csrf', _csrf)
      .attach('file', Buffer.from(file), 'tasks.csv');
    expect(res.status).toBe(303);
    expect(await home(other.agent, '/account')).toContain('Row 4: due is not a date as YYYY-MM-DD');
    const page = await home(other.agent);
    expect(taskNames(page, 'open')).toEqual(['Dentist', 'No date']);
    expect(dueOf(page, 'Dentist').visible).toBe('Fri 4 Dec');
  });
});
