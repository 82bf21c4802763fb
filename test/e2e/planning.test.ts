import { describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { useServerAndBrowser } from '../helpers/browser';

// Due dates, Today and Upcoming, search, your own order, the shortcuts and their help, in
// Chromium, with JavaScript off and on.
const ctx = useServerAndBrowser();

const PASSWORD = 'a good long password';
let emailCounter = 0;
const newEmail = (label: string) => `${label}-${Date.now()}-${++emailCounter}@example.com`;

const text = async (locator: Locator) => ((await locator.first().textContent()) ?? '').trim();
const openNames = (page: Page) => page.locator('#open-tasks .task__name').allTextContents();
const completedNames = (page: Page) => page.locator('#completed-tasks .task__name').allTextContents();
const row = (page: Page, name: string) =>
  page.locator('li.task', { has: page.getByText(name, { exact: true }) });
const isFocused = (locator: Locator) =>
  locator.evaluate((el) => el === document.activeElement).catch(() => false);
const focusedLabel = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    const labelledBy = el?.getAttribute('aria-labelledby');
    if (labelledBy)
      return labelledBy
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' ');
    return el?.getAttribute('aria-label') ?? el?.textContent ?? '';
  });

/** Today, tomorrow and other days as the browser's date field takes them (the server runs in UTC). */
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function register(page: Page, label: string) {
  await page.goto(`${ctx.server.baseUrl}/register`);
  await page.getByLabel('Email').fill(newEmail(label));
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Password again').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect.poll(() => page.url()).toBe(`${ctx.server.baseUrl}/`);
}

async function addTask(page: Page, name: string, due = '') {
  await page.getByLabel('New task').fill(name);
  if (due) await page.getByLabel('Due date (optional)').fill(due);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect.poll(() => openNames(page)).toContain(name);
}

async function contextFor(javaScript: boolean): Promise<BrowserContext> {
  // UTC, like the server: "today" is the same day for both.
  return ctx.browser.newContext({ javaScriptEnabled: javaScript, timezoneId: 'UTC' });
}

for (const javaScript of [false, true]) {
  const mode = javaScript ? 'with JavaScript' : 'without JavaScript';

  describe(`planning the day ${mode}`, () => {
    it('adds tasks with due dates, shown in words, and Today and Upcoming list them', async () => {
      const context = await contextFor(javaScript);
      const page = await context.newPage();
      await register(page, `due-${javaScript}`);
      await addTask(page, 'Pay rent', day(0));
      await addTask(page, 'Call mum', day(1));
      await addTask(page, 'File taxes', day(-3));
      await addTask(page, 'Someday');
      await expect.poll(() => text(row(page, 'Pay rent').locator('.due'))).toBe('Due: Today');
      await expect.poll(() => text(row(page, 'Call mum').locator('.due'))).toBe('Due: Tomorrow');
      await expect
        .poll(() => text(row(page, 'File taxes').locator('.due')))
        .toMatch(/^Overdue: \w{3} \d{1,2} \w{3}/);
      // The date is the description of the task's button.
      const check = row(page, 'File taxes').getByRole('button', { name: 'Complete: File taxes' });
      expect(await check.getAttribute('aria-describedby')).toMatch(/^due-\d+$/);

      await page.getByRole('link', { name: /^Today/ }).click();
      await expect.poll(() => page.url()).toBe(`${ctx.server.baseUrl}/?filter=today`);
      await expect.poll(() => openNames(page)).toEqual(['File taxes', 'Pay rent']);
      expect(await text(page.getByRole('link', { name: /^Today/ }))).toBe('Today 2');
      // An action here comes back here.
      await row(page, 'Pay rent').getByRole('button', { name: 'Complete: Pay rent' }).click();
      await expect.poll(() => openNames(page)).toEqual(['File taxes']);
      expect(page.url()).toMatch(/\/\?filter=today(#task-\d+)?$/);
      await page.getByRole('link', { name: /^Upcoming/ }).click();
      await expect.poll(() => openNames(page)).toEqual(['File taxes', 'Call mum']);

      // An impossible date is refused by the field (the browser's date field cannot even send one
      // with the script, so the no-JavaScript path types it into a text field's worth of input).
      await page.goto(`${ctx.server.baseUrl}/`);
      await page.getByLabel('New task').fill('Bad date');
      await page.evaluate(() => {
        const due = document.getElementById('new-due') as HTMLInputElement;
        due.type = 'text';
        due.value = '2026-02-30';
      });
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await expect.poll(() => text(page.locator('#due-error'))).toContain('real date');
      expect(await openNames(page)).not.toContain('Bad date');
      await context.close();
    });

    it('edits a task’s date, and clears it', async () => {
      const context = await contextFor(javaScript);
      const page = await context.newPage();
      await register(page, `edit-due-${javaScript}`);
      await addTask(page, 'Dentist', day(5));
      await row(page, 'Dentist').getByRole('button', { name: 'Edit: Dentist' }).click();
      const dueField = row(page, 'Dentist').getByLabel('Due date');
      await expect.poll(() => dueField.inputValue()).toBe(day(5));
      await dueField.fill(day(1));
      await row(page, 'Dentist').getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => text(row(page, 'Dentist').locator('.due'))).toBe('Due: Tomorrow');
      await row(page, 'Dentist').getByRole('button', { name: 'Edit: Dentist' }).click();
      await row(page, 'Dentist').getByLabel('Due date').fill('');
      await row(page, 'Dentist').getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => row(page, 'Dentist').locator('.due').count()).toBe(0);
      await context.close();
    });

    it('searches your tasks, with the filter, and clears the search', async () => {
      const context = await contextFor(javaScript);
      const page = await context.newPage();
      await register(page, `search-${javaScript}`);
      for (const name of ['Buy MILK', 'Bread', 'Oat milk', 'École fees']) await addTask(page, name);
      await row(page, 'Oat milk').getByRole('button', { name: 'Complete: Oat milk' }).click();
      await expect.poll(() => completedNames(page)).toEqual(['Oat milk']);
      await page.getByRole('searchbox', { name: 'Search your tasks' }).fill('milk');
      await page.getByRole('button', { name: 'Search' }).click();
      await expect.poll(() => page.url()).toBe(`${ctx.server.baseUrl}/?q=milk`);
      expect(await text(page.locator('#search-summary span'))).toBe('2 tasks match “milk”.');
      expect(await openNames(page)).toEqual(['Buy MILK']);
      expect(await completedNames(page)).toEqual(['Oat milk']);
      await page.getByRole('link', { name: 'Open', exact: true }).click();
      await expect.poll(() => page.url()).toBe(`${ctx.server.baseUrl}/?filter=open&q=milk`);
      expect(await completedNames(page)).toEqual([]);
      await page.getByRole('link', { name: 'Clear the search' }).click();
      await expect.poll(() => page.url()).toBe(`${ctx.server.baseUrl}/?filter=open`);
      await page.getByRole('searchbox', { name: 'Search your tasks' }).fill('école');
      await page.keyboard.press('Enter');
      await expect.poll(() => openNames(page)).toEqual(['École fees']);
      await context.close();
    });

    it('moves tasks with the Move buttons, back on the same page', async () => {
      const context = await contextFor(javaScript);
      const page = await context.newPage();
      await register(page, `move-${javaScript}`);
      for (const name of ['Buy milk', 'Walk the dog', 'Write report']) await addTask(page, name);
      await page.getByRole('link', { name: 'Open', exact: true }).click();
      await row(page, 'Write report').getByRole('button', { name: 'Move up: Write report' }).click();
      await expect.poll(() => openNames(page)).toEqual(['Buy milk', 'Write report', 'Walk the dog']);
      await expect
        .poll(() => text(javaScript ? page.locator('#announcer') : page.locator('.flash')))
        .toBe('Moved “Write report” to position 2 of 3.');
      expect(page.url()).toMatch(/\/\?filter=open(#task-\d+)?$/);
      await row(page, 'Buy milk').getByRole('button', { name: 'Move down: Buy milk' }).click();
      await expect.poll(() => openNames(page)).toEqual(['Write report', 'Buy milk', 'Walk the dog']);
      await page.reload();
      expect(await openNames(page)).toEqual(['Write report', 'Buy milk', 'Walk the dog']);
      await context.close();
    });
  });
}

describe('reordering with JavaScript', () => {
  it('drags a task to a new place with the mouse, and the order survives a reload', async () => {
    const context = await contextFor(true);
    const page = await context.newPage();
    await register(page, 'drag');
    for (const name of ['one', 'two', 'three', 'four']) await addTask(page, name);
    await page.setViewportSize({ width: 1280, height: 1200 }); // the whole list in view
    const from = await row(page, 'four').locator('.task__name').boundingBox();
    const to = await row(page, 'two').locator('.task__name').boundingBox();
    await page.mouse.move(from!.x + 5, from!.y + from!.height / 2);
    await page.mouse.down();
    await page.mouse.move(from!.x + 5, to!.y + 2, { steps: 12 });
    await page.mouse.up();
    await expect.poll(() => openNames(page)).toEqual(['one', 'four', 'two', 'three']);
    await expect.poll(() => text(page.locator('#announcer'))).toBe('Moved “four” to position 2 of 4.');
    await page.reload();
    expect(await openNames(page)).toEqual(['one', 'four', 'two', 'three']);
    await context.close();
  });

  it('moves the focused task with Alt+↑ and Alt+↓, announced, keeping the focus on it', async () => {
    const context = await contextFor(true);
    const page = await context.newPage();
    await register(page, 'alt');
    for (const name of ['Buy milk', 'Walk the dog', 'Write report', 'Call mum', 'Pay rent'])
      await addTask(page, name);
    const check = () => row(page, 'Buy milk').getByRole('button', { name: 'Complete: Buy milk' });
    await check().focus();
    await page.keyboard.press('Alt+ArrowDown');
    await expect
      .poll(() => openNames(page))
      .toEqual(['Walk the dog', 'Buy milk', 'Write report', 'Call mum', 'Pay rent']);
    await expect.poll(() => text(page.locator('#announcer'))).toBe('Moved “Buy milk” to position 2 of 5.');
    await expect.poll(() => isFocused(check())).toBe(true);
    await page.keyboard.press('Alt+ArrowDown');
    await page.keyboard.press('Alt+ArrowDown');
    await expect
      .poll(() => openNames(page))
      .toEqual(['Walk the dog', 'Write report', 'Call mum', 'Buy milk', 'Pay rent']);
    await page.keyboard.press('Alt+ArrowUp');
    await expect
      .poll(() => openNames(page))
      .toEqual(['Walk the dog', 'Write report', 'Buy milk', 'Call mum', 'Pay rent']);
    await expect.poll(() => text(page.locator('#announcer'))).toBe('Moved “Buy milk” to position 3 of 5.');
    expect(await focusedLabel(page)).toBe('Complete: Buy milk');
    await page.reload();
    expect(await openNames(page)).toEqual([
      'Walk the dog',
      'Write report',
      'Buy milk',
      'Call mum',
      'Pay rent',
    ]);
    await context.close();
  });
});

describe('keyboard shortcuts with JavaScript', () => {
  it('n, /, j, k, x, e, Delete and u work from the list, never while typing', async () => {
    const context = await contextFor(true);
    const page = await context.newPage();
    await register(page, 'keys');
    for (const name of ['Buy milk', 'Walk the dog', 'Write report']) await addTask(page, name);
    await page.locator('h1').click(); // focus on nothing in particular

    await page.keyboard.press('n');
    await expect.poll(() => isFocused(page.getByLabel('New task'))).toBe(true);
    // Typing in the field types: "n", "j" and "x" are letters there.
    await page.keyboard.type('jxn');
    expect(await page.getByLabel('New task').inputValue()).toBe('jxn');
    await page.getByLabel('New task').fill('');

    await page.locator('h1').click();
    await page.keyboard.press('j');
    await expect.poll(() => focusedLabel(page)).toBe('Complete: Buy milk');
    await page.keyboard.press('j');
    await expect.poll(() => focusedLabel(page)).toBe('Complete: Walk the dog');
    await page.keyboard.press('k');
    await expect.poll(() => focusedLabel(page)).toBe('Complete: Buy milk');

    await page.keyboard.press('x');
    await expect.poll(() => completedNames(page)).toEqual(['Buy milk']);
    await expect.poll(() => focusedLabel(page)).toBe('Reopen: Buy milk');
    await page.keyboard.press('x');
    await expect.poll(() => openNames(page)).toEqual(['Buy milk', 'Walk the dog', 'Write report']);

    await page.keyboard.press('j');
    await expect.poll(() => focusedLabel(page)).toBe('Complete: Walk the dog');
    await page.keyboard.press('e');
    const field = page.getByLabel('New name for “Walk the dog”');
    await expect.poll(() => isFocused(field)).toBe(true);
    await page.keyboard.press('End');
    await page.keyboard.type(' now');
    await page.keyboard.press('Enter');
    await expect.poll(() => openNames(page)).toEqual(['Buy milk', 'Walk the dog now', 'Write report']);

    await row(page, 'Write report').getByRole('button', { name: 'Complete: Write report' }).focus();
    await page.keyboard.press('Delete');
    await expect.poll(() => openNames(page)).toEqual(['Buy milk', 'Walk the dog now']);
    await expect.poll(() => text(page.locator('#announcer'))).toBe('Deleted “Write report”.');
    await page.locator('h1').click();
    await page.keyboard.press('u');
    await expect.poll(() => openNames(page)).toEqual(['Buy milk', 'Walk the dog now', 'Write report']);

    // With the browser's modifiers nothing happens.
    await page.locator('h1').click();
    await page.keyboard.press('Control+j');
    await page.keyboard.press('Alt+n');
    expect(await isFocused(page.getByLabel('New task'))).toBe(false);

    await page.keyboard.press('/');
    await expect.poll(() => isFocused(page.getByRole('searchbox', { name: 'Search your tasks' }))).toBe(true);
    await page.keyboard.type('milk');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toBe(`${ctx.server.baseUrl}/?q=milk`);
    await context.close();
  });

  it('? opens a real dialog listing them, which traps and returns the focus and closes with Escape', async () => {
    const context = await contextFor(true);
    const page = await context.newPage();
    await register(page, 'help');
    await addTask(page, 'Buy milk');
    const check = row(page, 'Buy milk').getByRole('button', { name: 'Complete: Buy milk' });
    await check.focus();
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getByText('Undo the last action that offers Undo').isVisible()).toBe(true);
    // Modal: Tab stays inside; the page behind is inert.
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => Boolean(document.activeElement?.closest('dialog')))).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => isFocused(check)).toBe(true);

    // The button opens it too, and Close gives the focus back to the button.
    const open = page.getByRole('button', { name: 'Keyboard shortcuts' });
    await open.click();
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => isFocused(open)).toBe(true);
    await context.close();
  });

  it('single-key shortcuts stay off when the account page says so; Delete and Alt+arrows still work', async () => {
    const context = await contextFor(true);
    const page = await context.newPage();
    await register(page, 'keys-off');
    for (const name of ['one', 'two']) await addTask(page, name);
    await page.goto(`${ctx.server.baseUrl}/account`);
    await page.getByLabel('Use single-key shortcuts (n, /, j, k, x, e, u, ?)').uncheck();
    await page.getByRole('button', { name: 'Save shortcuts' }).click();
    await expect.poll(() => text(page.locator('.flash'))).toBe('Single-key shortcuts are off.');
    await page.goto(`${ctx.server.baseUrl}/`);
    await page.locator('h1').click();
    for (const key of ['n', 'j', '?']) await page.keyboard.press(key);
    expect(await isFocused(page.getByLabel('New task'))).toBe(false);
    expect(await page.getByRole('dialog').isVisible()).toBe(false);
    await row(page, 'two').getByRole('button', { name: 'Complete: two' }).focus();
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(() => openNames(page)).toEqual(['two', 'one']);
    await page.keyboard.press('Delete');
    await expect.poll(() => openNames(page)).toEqual(['one']);
    // The help says they are off, and how to turn them on.
    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    expect(await text(page.getByRole('dialog').locator('p').last())).toContain(
      'Single-key shortcuts are off',
    );
    await context.close();
  });
});

describe('the polish a new user asked for', () => {
  it('without JavaScript, Edit focuses the field on arrival, Space presses it, and Cancel goes back to the row', async () => {
    const context = await contextFor(false);
    const page = await context.newPage();
    await register(page, 'edit-focus');
    for (let i = 1; i <= 25; i++) await addTask(page, `Task ${i}`);
    await page.getByRole('link', { name: 'Open', exact: true }).click();
    const edit = row(page, 'Task 23').getByRole('button', { name: 'Edit: Task 23' });
    await edit.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => page.url()).toMatch(/\/\?filter=open&edit=\d+$/);
    const field = page.getByLabel('New name for “Task 23”');
    await expect.poll(() => isFocused(field)).toBe(true);
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0); // scrolled to the row
    await row(page, 'Task 23').getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.url()).toMatch(/\/\?filter=open#task-\d+$/);
    expect(await page.locator('.task__edit-form').count()).toBe(0);
    // An action lands back at the task's place in the long list, not at the top.
    await row(page, 'Task 24').getByRole('button', { name: 'Complete: Task 24' }).click();
    await expect.poll(() => page.url()).toMatch(/\/\?filter=open#task-\d+$/);
    const landedOn = await page.evaluate(() => document.querySelector(':target')?.textContent?.trim());
    expect(landedOn).toContain('Task 25');
    await context.close();
  });

  it('nothing scrolls sideways at 320 px, and the header shows the whole email at 1280 px', async () => {
    const context = await ctx.browser.newContext({ viewport: { width: 320, height: 800 } });
    const page = await context.newPage();
    const email = `someone.with.a.long.name-${Date.now()}@example.com`;
    await page.goto(`${ctx.server.baseUrl}/register`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Password again').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.url()).toBe(`${ctx.server.baseUrl}/`);
    await addTask(page, 'A task with a rather long name that has to wrap somewhere', day(-1));
    for (const path of ['/', '/account', '/?q=task', '/?filter=today']) {
      await page.goto(`${ctx.server.baseUrl}${path}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(320);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    const shown = page.locator('.account-nav__email');
    expect(await shown.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(await text(shown)).toBe(email);
    await context.close();
  });
});
