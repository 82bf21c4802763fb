import fs from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { screenshotDir, useServerAndBrowser } from '../helpers/browser';
import { waitForLink } from '../helpers/outbox';

const ctx = useServerAndBrowser();
beforeAll(() => fs.mkdirSync(screenshotDir, { recursive: true }));

const PASSWORD = 'a good long password';

/** Each page a person can reach, brought into its state by the real forms. */
const pages: { name: string; visit: (page: Page, email: string) => Promise<void> }[] = [
  { name: 'login', visit: async (page) => void (await page.goto(`${ctx.server.baseUrl}/login`)) },
  { name: 'register', visit: async (page) => void (await page.goto(`${ctx.server.baseUrl}/register`)) },
  {
    name: 'register-validation-error',
    visit: async (page, email) => {
      await page.goto(`${ctx.server.baseUrl}/register`);
      await page.getByLabel('Email').fill(email.replace('@', ' at '));
      await page.getByLabel('Password', { exact: true }).fill('short');
      await page.getByLabel('Password again').fill('different');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.waitForSelector('.field__error');
    },
  },
  {
    name: 'empty-list',
    visit: async (page, email) => {
      await page.goto(`${ctx.server.baseUrl}/register`);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByLabel('Password again').fill(PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.waitForSelector('.empty');
    },
  },
  {
    name: 'list-with-tasks',
    visit: async (page) => {
      for (const name of ['Buy milk', 'Call the plumber about the kitchen sink', 'Write report']) {
        await page.getByLabel('New task').fill(name);
        await page.getByLabel('New task').press('Enter');
        await page.waitForSelector(`text=${name}`);
      }
      await page.getByRole('button', { name: 'Complete: Buy milk' }).click();
      await page.waitForSelector('#completed-tasks');
    },
  },
  {
    name: 'task-validation-error',
    visit: async (page) => {
      await page.getByLabel('New task').fill('   ');
      await page.getByLabel('New task').press('Enter');
      await page.waitForSelector('#task-error');
    },
  },
  {
    name: 'edit-open',
    visit: async (page) => {
      await page.getByText('Write report', { exact: true }).dblclick();
      await page.waitForSelector('.task--editing');
    },
  },
  {
    // The form as the server renders it (what Edit opens without the script, ?edit=ID).
    name: 'edit-page',
    visit: async (page) => {
      const row = page.locator('li.task', { has: page.getByText('Write report', { exact: true }) });
      await page.goto(`${ctx.server.baseUrl}/?edit=${await row.getAttribute('data-task-id')}`);
      await page.waitForSelector('.task__edit-cancel');
    },
  },
  {
    // Due dates in words: overdue, today, later; an edit form with its date field.
    name: 'due-dates',
    visit: async (page) => {
      await page.goto(`${ctx.server.baseUrl}/`);
      for (const [name, offset] of [
        ['Pay the rent', -2],
        ['Buy more milk', 0],
        ['Book flights', 3],
      ] as const) {
        await page.getByLabel('New task').fill(name);
        await page
          .getByLabel('Due date (optional)')
          .fill(new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10));
        await page.getByLabel('New task').press('Enter');
        await page.waitForSelector(`text=${name}`);
      }
    },
  },
  {
    name: 'due-date-error',
    visit: async (page) => {
      await page.getByLabel('New task').fill('Bad date');
      await page.evaluate(() => {
        const due = document.getElementById('new-due') as HTMLInputElement;
        due.type = 'text';
        due.value = '2026-02-30';
      });
      await page.getByLabel('New task').press('Enter');
      await page.waitForSelector('#due-error');
    },
  },
  {
    name: 'today',
    visit: async (page) => {
      await page.goto(`${ctx.server.baseUrl}/?filter=today`);
      await page.waitForSelector('#open-tasks');
    },
  },
  {
    name: 'upcoming',
    visit: async (page) => {
      await page.goto(`${ctx.server.baseUrl}/?filter=upcoming`);
      await page.waitForSelector('#open-tasks');
    },
  },
  {
    name: 'search-results',
    visit: async (page) => {
      await page.goto(`${ctx.server.baseUrl}/?q=milk`);
      await page.waitForSelector('#search-summary');
    },
  },
  {
    name: 'search-error',
    visit: async (page) => {
      await page.goto(`${ctx.server.baseUrl}/?q=${'x'.repeat(201)}`);
      await page.waitForSelector('#search-error');
    },
  },
  {
    name: 'moved',
    visit: async (page) => {
      await page.goto(`${ctx.server.baseUrl}/`);
      await page.getByRole('button', { name: 'Move up: Book flights' }).click();
      await page.waitForFunction(() =>
        document.getElementById('announcer')?.textContent?.startsWith('Moved'),
      );
    },
  },
  {
    name: 'bulk-undo',
    visit: async (page) => {
      await page.getByRole('button', { name: 'Complete all' }).click();
      await page.waitForSelector('form[action^="/tasks/undo/"]');
    },
  },
  {
    name: 'shortcuts-dialog',
    visit: async (page) => {
      await page.locator('h1').click();
      await page.keyboard.press('?');
      await page.waitForSelector('dialog[open]');
    },
  },
  {
    // Page 2 of a long list: the pager with both links and "51–100 of …".
    name: 'second-page',
    visit: async (page) => {
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: /^Undo$/ }).click();
      await page.waitForSelector('#open-tasks');
      for (let i = 1; i <= 50; i++) {
        await page.getByLabel('New task').fill(`Chore ${i}`);
        await page.getByLabel('New task').press('Enter');
        await page.waitForFunction(
          (n) => document.getElementById('announcer')?.textContent?.includes(`Chore ${n}`),
          i,
        );
      }
      await page.goto(`${ctx.server.baseUrl}/?filter=open`);
      await page.getByRole('link', { name: 'Show the next open tasks' }).click();
      await page.waitForSelector('.pager a[rel="prev"]');
    },
  },
  {
    // With a second browser logged in too, so the sessions list has a Sign out button.
    name: 'account',
    visit: async (page, email) => {
      const other = await ctx.browser.newContext();
      const otherPage = await other.newPage();
      await otherPage.goto(`${ctx.server.baseUrl}/login`);
      await otherPage.getByLabel('Email').fill(email);
      await otherPage.getByLabel('Password').fill(PASSWORD);
      await otherPage.getByRole('button', { name: 'Log in' }).click();
      await otherPage.waitForURL(`${ctx.server.baseUrl}/`);
      await other.close();
      await page.goto(`${ctx.server.baseUrl}/account`);
      await page.waitForSelector('#sessions .session:nth-child(2) form');
    },
  },
  {
    name: 'account-session-signed-out',
    visit: async (page) => {
      await page.locator('#sessions .session form button').first().click();
      await page.waitForSelector('#sessions-only');
    },
  },
  {
    name: 'import-report',
    visit: async (page) => {
      await page.getByLabel('File to import (.csv or .json)').setInputFiles({
        name: 'tasks.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from('name,due\nImported task,2026-12-24\n,\nBad date,2026-02-30\n'),
      });
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      await page.waitForSelector('#import-report');
    },
  },
  { name: 'not-found', visit: async (page) => void (await page.goto(`${ctx.server.baseUrl}/no-such-page`)) },
  {
    // The password-reset pages, as a visitor sees them (the account above forgot its password).
    name: 'forgot-password',
    visit: async (page) => {
      await page.context().clearCookies();
      await page.goto(`${ctx.server.baseUrl}/password/forgot`);
    },
  },
  {
    name: 'forgot-password-error',
    visit: async (page) => {
      await page.getByLabel('Email').fill('not an address');
      await page.getByRole('button', { name: 'Send the link' }).click();
      await page.waitForSelector('#email-error');
    },
  },
  {
    name: 'reset-password',
    visit: async (page, email) => {
      await page.getByLabel('Email').fill(email);
      await page.getByRole('button', { name: 'Send the link' }).click();
      await page.waitForURL(`${ctx.server.baseUrl}/login`);
      await page.goto(await waitForLink(ctx.dataDir, email));
    },
  },
  {
    name: 'reset-password-error',
    visit: async (page) => {
      await page.getByLabel('New password', { exact: true }).fill('short');
      await page.getByLabel('New password again').fill('different');
      await page.getByRole('button', { name: 'Set the new password' }).click();
      await page.waitForSelector('#password-error');
    },
  },
  {
    name: 'reset-link-invalid',
    visit: async (page) => void (await page.goto(`${ctx.server.baseUrl}/password/reset/${'x'.repeat(43)}`)),
  },
];

async function checkEveryPage(context: BrowserContext, label: string) {
  const page = await context.newPage();
  const email = `axe-${label}-${Date.now()}@example.com`;
  const results: { page: string; violations: string[] }[] = [];
  for (const { name, visit } of pages) {
    await visit(page, email);
    const axe = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze();
    results.push({
      page: name,
      violations: axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    });
    await page.screenshot({ path: path.join(screenshotDir, `${name}-${label}.png`), fullPage: true });
  }
  return results;
}

describe('accessibility (axe-core) and screenshots', () => {
  for (const width of [1280, 375]) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`finds no violations on any page at ${width} px in the ${colorScheme} theme`, async () => {
        const context = await ctx.browser.newContext({ viewport: { width, height: 900 }, colorScheme });
        const results = await checkEveryPage(context, `${width}-${colorScheme}`);
        await context.close();
        expect(results).toEqual(pages.map(({ name }) => ({ page: name, violations: [] })));
      });
    }
  }

  it('the checker itself catches a violation (so a clean result means something)', async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${ctx.server.baseUrl}/login`);
    await page.evaluate(() =>
      document.querySelector('form')!.insertAdjacentHTML('beforeend', '<input name="x">'),
    );
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => v.id)).toContain('label');
    await context.close();
  });

  it('turns animations off for people who prefer reduced motion', async () => {
    const durations: string[] = [];
    for (const reducedMotion of ['no-preference', 'reduce'] as const) {
      const context = await ctx.browser.newContext({ reducedMotion });
      const page = await context.newPage();
      await page.goto(`${ctx.server.baseUrl}/login`);
      durations.push(
        await page.evaluate(() => getComputedStyle(document.querySelector('.button')!).transitionDuration),
      );
      await context.close();
    }
    expect(durations[0]).not.toMatch(/^0s(, 0s)*$/);
    expect(durations[1]).toMatch(/^0s(, 0s)*$/);
  });
});
