import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { shortcutList, shortcutMessages } from '../../src/messages/shortcuts';
import { useTestApp } from '../helpers/test-app';
import { escapeHtml, postForm, registerUser, registerUserWithTasks, type Agent } from '../helpers/users';

const t = useTestApp();

const home = async (agent: Agent, path = '/') => (await agent.get(path)).text;

describe('the keyboard shortcuts’ help and setting', () => {
  it('the task page holds the help as a dialog listing every shortcut, and a button the script shows', async () => {
    const { agent } = await registerUser(t.app);
    const page = await home(agent);
    expect(page).toContain(
      '<dialog id="shortcuts-dialog" class="dialog" aria-labelledby="shortcuts-dialog-title">',
    );
    for (const shortcut of shortcutList) expect(page).toContain(`<dd>${escapeHtml(shortcut.does)}</dd>`);
    expect(page).toContain('<kbd>Alt</kbd> + <kbd>&uarr;</kbd>');
    expect(page).toContain('<form method="dialog">');
    expect(page).toMatch(/<button type="button"[^>]*id="shortcuts-open" aria-haspopup="dialog" hidden>/);
    expect(page).toMatch(/<body>/);
  });

  it('single-key shortcuts can be turned off and on again on the account page', async () => {
    const { agent } = await registerUser(t.app);
    let account = await home(agent, '/account');
    expect(account).toMatch(/<input id="shortcuts" name="shortcuts" type="checkbox" value="on" checked/);
    expect(account).toContain(escapeHtml(shortcutMessages.settingLabel));

    const off = await postForm(agent, '/account/shortcuts', {}, '/account');
    expect(off.status).toBe(303);
    expect(off.headers.location).toBe('/account');
    account = await home(agent, '/account');
    expect(account).toContain(shortcutMessages.saved(false));
    expect(account).toMatch(
      /<input id="shortcuts" name="shortcuts" type="checkbox" value="on" aria-describedby/,
    );
    const page = await home(agent);
    expect(page).toContain('<body data-single-keys="off">');
    expect(page).toContain(escapeHtml(shortcutMessages.singleKeysOff));
    expect(page).toContain(`${escapeHtml('Type a new task')} <span class="shortcut-list__off">(off)</span>`);

    await postForm(agent, '/account/shortcuts', { shortcuts: 'on' }, '/account');
    expect(await home(agent)).toMatch(/<body>/);
  });

  it('refuses anything but a ticked or empty box (422) and keeps the setting', async () => {
    const { agent } = await registerUser(t.app);
    const res = await postForm(agent, '/account/shortcuts', { shortcuts: 'sometimes' }, '/account');
    expect(res.status).toBe(422);
    expect(res.text).toContain(`<p class="field__error" id="shortcuts-error">`);
    expect(res.text).toContain(escapeHtml(shortcutMessages.settingInvalid));
    expect(await home(agent)).toMatch(/<body>/);
  });

  it('needs the CSRF token, and a login', async () => {
    const { agent } = await registerUser(t.app);
    expect((await agent.post('/account/shortcuts').type('form').send({})).status).toBe(403);
    expect(await home(agent)).toMatch(/<body>/);
    // Without a session there is no token either: the check refuses it first.
    expect((await request(t.app).post('/account/shortcuts').type('form').send({})).status).toBe(403);
  });
});

describe('the task page stays Latin-1 (V8 builds and sends a one-byte string faster)', () => {
  it('for a list of plain names, with dates, a pager and every control', async () => {
    const { agent } = await registerUserWithTasks(t.app, 'Buy milk', 'Call mum');
    await postForm(agent, '/', { task: 'Dentist', due: '2026-12-04' });
    for (let i = 0; i < 50; i++) await postForm(agent, '/', { task: `task ${i}` });
    // The redirect's message ("Added “…”") is shown once; the next page is the plain list.
    await agent.get('/');
    const page = await home(agent);
    expect(page).toContain('class="pager__range"');
    expect([...page].filter((c) => c.charCodeAt(0) > 0xff)).toEqual([]);
  });
});
