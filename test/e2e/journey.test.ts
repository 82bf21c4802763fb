import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { useServerAndBrowser } from '../helpers/browser';

const ctx = useServerAndBrowser();

const PASSWORD = 'a good long password';
let emailCounter = 0;
const newEmail = (label: string) => `${label}-${Date.now()}-${++emailCounter}@example.com`;

const isFocused = (locator: Locator) =>
  locator.evaluate((el) => el === document.activeElement).catch(() => false);
const text = async (locator: Locator) => ((await locator.first().textContent()) ?? '').trim();
const openNames = (page: Page) => page.locator('#open-tasks .task__name').allTextContents();
const completedNames = (page: Page) => page.locator('#completed-tasks .task__name').allTextContents();
const task = (page: Page, name: string) =>
  page.locator('li.task', { has: page.getByText(name, { exact: true }) });

async function register(page: Page, email: string) {
  await page.goto(`${ctx.server.baseUrl}/register`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Password again').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect.poll(() => page.url()).toBe(`${ctx.server.baseUrl}/`);
}

async function logIn(page: Page, email: string) {
  await page.goto(`${ctx.server.baseUrl}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect.poll(() => page.url()).toBe(`${ctx.server.baseUrl}/`);
}

async function addTask(page: Page, name: string) {
  const input = page.getByLabel('New task');
  await input.fill(name);
  await input.press('Enter');
  await expect.poll(() => openNames(page)).toContain(name);
}

/** The whole story, with JavaScript on or off; with it on, nothing may reload the page. */
async function journey(page: Page, javaScript: boolean) {
  const email = newEmail(javaScript ? 'js' : 'nojs');
  await register(page, email);
  await expect.poll(() => page.getByText('Your list is empty.').isVisible()).toBe(true);
  if (javaScript) await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

  for (const name of ['Buy milk', 'Walk the dog', 'Write report']) await addTask(page, name);
  await expect.poll(() => text(page.locator('#counter'))).toBe('3 tasks left');

  await task(page, 'Buy milk').getByRole('button', { name: 'Complete: Buy milk' }).click();
  await expect.poll(() => completedNames(page)).toEqual(['Buy milk']);
  await expect.poll(() => text(page.locator('#counter'))).toBe('2 tasks left');

  await task(page, 'Buy milk').getByRole('button', { name: 'Reopen: Buy milk' }).click();
  await expect.poll(() => openNames(page)).toEqual(['Buy milk', 'Walk the dog', 'Write report']);

  if (javaScript) {
    // Cancel puts the name back as it was, and closes the edit.
    await task(page, 'Write report').getByRole('button', { name: 'Edit: Write report' }).click();
    await page.getByLabel('New name for “Write report”').fill('Something else');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.locator('.task__edit-form').count()).toBe(0);
    expect(await openNames(page)).toEqual(['Buy milk', 'Walk the dog', 'Write report']);
    await page.getByText('Write report', { exact: true }).dblclick();
    const field = page.getByLabel('New name for “Write report”');
    await expect.poll(() => isFocused(field)).toBe(true);
    await field.fill('Write the report');
    await field.press('Enter');
  } else {
    await task(page, 'Write report').getByText('Edit').click();
    await page.getByLabel('New name for “Write report”').fill('Write the report');
    await task(page, 'Write report').getByRole('button', { name: 'Save' }).click();
  }
  await expect.poll(() => openNames(page)).toEqual(['Buy milk', 'Walk the dog', 'Write the report']);

  await task(page, 'Walk the dog').getByRole('button', { name: 'Delete: Walk the dog' }).click();
  await expect.poll(() => openNames(page)).toEqual(['Buy milk', 'Write the report']);
  await expect.poll(() => text(page.locator('.flash'))).toContain('Deleted “Walk the dog”');
  if (javaScript) {
    // Focus moves to the next task, and the deletion is announced.
    await expect.poll(() => isFocused(task(page, 'Write the report').locator('.check'))).toBe(true);
    await expect.poll(() => text(page.locator('#announcer'))).toBe('Deleted “Walk the dog”.');
  }
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(() => openNames(page)).toEqual(['Buy milk', 'Walk the dog', 'Write the report']);

  await task(page, 'Walk the dog').getByRole('button', { name: 'Complete: Walk the dog' }).click();
  await expect.poll(() => completedNames(page)).toEqual(['Walk the dog']);
  await page.getByRole('button', { name: 'Clear completed' }).click();
  await expect.poll(() => completedNames(page)).toEqual([]);
  await expect.poll(() => page.getByText('Walk the dog', { exact: true }).count()).toBe(0);

  if (javaScript) {
    // Every action above updated the list in place: the page was never reloaded.
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  }
  await page.getByRole('link', { name: 'Completed', exact: true }).click();
  await expect.poll(() => page.url()).toBe(`${ctx.server.baseUrl}/?filter=completed`);
  await expect.poll(() => page.locator('#open-tasks').count()).toBe(0);
  await page.getByRole('link', { name: 'Open', exact: true }).click();
  await page.reload();
  await expect.poll(() => text(page.locator('.filters__link[aria-current="page"]'))).toBe('Open');
  expect(await openNames(page)).toEqual(['Buy milk', 'Write the report']);
  await page.getByRole('link', { name: 'All', exact: true }).click();

  await page.getByRole('button', { name: 'Log out' }).click();
  await expect.poll(() => page.url()).toBe(`${ctx.server.baseUrl}/login`);
  await logIn(page, email);
  expect(await openNames(page)).toEqual(['Buy milk', 'Write the report']);
  expect(await completedNames(page)).toEqual([]);
}

describe('a person managing their tasks in Chromium', () => {
  it('does the whole journey with JavaScript on, without page reloads', async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    await journey(page, true);
    await context.close();
  });

  it('does the same journey with JavaScript off', async () => {
    const context = await ctx.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await journey(page, false);
    await context.close();
  });

  it('can do everything from the keyboard alone', async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    await register(page, newEmail('keys'));
    const input = page.getByLabel('New task');
    await input.focus();
    await page.keyboard.type('Keyboard task');
    await page.keyboard.press('Enter');
    await expect.poll(() => openNames(page)).toEqual(['Keyboard task']);
    await expect.poll(() => isFocused(input)).toBe(true);
    // Tab from the input reaches the task's toggle button; Space completes it. (On the way: the
    // due date's three parts, Add, the search, the five filters, Complete all;
    // the Shortcuts button.)
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      const label = await page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
      if (label === 'Complete: Keyboard task') break;
    }
    await page.keyboard.press('Space');
    await expect.poll(() => completedNames(page)).toEqual(['Keyboard task']);
    await expect
      .poll(() => isFocused(page.getByRole('button', { name: 'Reopen: Keyboard task' })))
      .toBe(true);
    // Edit from the keyboard: Escape cancels, Enter saves.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const field = page.getByLabel('New name for “Keyboard task”');
    await expect.poll(() => isFocused(field)).toBe(true);
    await page.keyboard.type(' (renamed)');
    await page.keyboard.press('Escape');
    await expect.poll(() => completedNames(page)).toEqual(['Keyboard task']);
    // Leaving the field saves what was typed.
    await page.getByRole('button', { name: 'Edit: Keyboard task', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => isFocused(field)).toBe(true);
    await page.keyboard.press('End'); // the name opens selected; End keeps it and appends
    await page.keyboard.type(' (renamed)');
    // Tabbing through the date, Save and Cancel stays in the edit; the next Tab leaves it, and saves.
    const focusedIn = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        return { inForm: Boolean(el?.closest('.task__edit-form')), text: el?.textContent ?? '' };
      });
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Due date');
    for (let i = 0; i < 6 && (await focusedIn()).text !== 'Cancel'; i++) {
      await page.keyboard.press('Tab');
      expect((await focusedIn()).inForm).toBe(true);
    }
    expect((await focusedIn()).text).toBe('Cancel');
    expect(await completedNames(page)).toEqual(['Keyboard task']);
    await page.keyboard.press('Tab');
    await expect.poll(() => completedNames(page)).toEqual(['Keyboard task (renamed)']);
    // Emptying the field and leaving it keeps the old name and does not hold focus captive.
    await page.getByRole('button', { name: 'Edit: Keyboard task (renamed)', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.press('Shift+Tab');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Reopen: Keyboard task (renamed)');
    await expect.poll(() => text(page.locator('#announcer'))).toBe('Name not changed: a task needs a name.');
    expect(await completedNames(page)).toEqual(['Keyboard task (renamed)']);
    await context.close();
  });

  it('two people in two browsers never see each other’s tasks', async () => {
    const alice = await (await ctx.browser.newContext()).newPage();
    const bob = await (await ctx.browser.newContext()).newPage();
    await register(alice, newEmail('alice'));
    await register(bob, newEmail('bob'));
    await addTask(alice, 'Alice’s surprise party');
    await addTask(bob, 'Bob’s dentist');
    await bob.reload();
    await alice.reload();
    expect(await openNames(alice)).toEqual(['Alice’s surprise party']);
    expect(await openNames(bob)).toEqual(['Bob’s dentist']);
    await alice.context().close();
    await bob.context().close();
  });
});
