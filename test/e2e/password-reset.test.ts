import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useServerAndBrowser } from '../helpers/browser';
import { waitForLink } from '../helpers/outbox';

// The server runs without SMTP_URL, so the email is a file in its DATA_DIR/outbox: the test
// opens it and follows the link, as a person would from their mailbox.
const ctx = useServerAndBrowser();

const OLD_PASSWORD = 'a good long password';
const NEW_PASSWORD = 'a brand new passphrase';
let emailCounter = 0;
const newEmail = (label: string) => `${label}-${Date.now()}-${++emailCounter}@example.com`;
const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).first().textContent()) ?? '').trim();

async function register(page: Page, email: string) {
  await page.goto(`${ctx.server.baseUrl}/register`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(OLD_PASSWORD);
  await page.getByLabel('Password again').fill(OLD_PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect.poll(() => page.url()).toBe(`${ctx.server.baseUrl}/`);
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect.poll(() => page.url()).toBe(`${ctx.server.baseUrl}/login`);
}

/** Forgot the password, asks for a link, follows it from the email, sets a new password. */
async function resetJourney(page: Page, email: string) {
  await page.goto(`${ctx.server.baseUrl}/login`);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect.poll(() => page.url()).toBe(`${ctx.server.baseUrl}/password/forgot`);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect.poll(() => page.url()).toBe(`${ctx.server.baseUrl}/login`);
  expect(await text(page, '.flash')).toContain('a link to reset its password is on its way');

  const link = await waitForLink(ctx.dataDir, email);
  expect(link).toMatch(new RegExp(`^${ctx.server.baseUrl}/password/reset/[A-Za-z0-9_-]{43}$`));
  await page.goto(link);
  expect(await text(page, 'h1')).toBe('Choose a new password');

  // A mismatch first: the message sits by the field, and the link still works.
  await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('New password again').fill('something else entirely');
  await page.getByRole('button', { name: 'Set the new password' }).click();
  expect(await text(page, '#verify-error')).toContain('The passwords do not match.');

  await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('New password again').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Set the new password' }).click();
  await expect.poll(() => page.url()).toBe(`${ctx.server.baseUrl}/`);
  expect(await text(page, '.account-nav__email')).toBe(email);
  expect(await text(page, '.flash')).toContain('Your password has been changed and you are logged in.');

  // The link is spent; the new password is the one that works.
  await page.goto(link);
  expect(await text(page, 'h1')).toBe('This link is no longer valid');
  await page.getByRole('link', { name: 'Ask for a new link' }).click();
  await expect.poll(() => page.url()).toBe(`${ctx.server.baseUrl}/password/forgot`);
  await page.goto(`${ctx.server.baseUrl}/`);
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect.poll(() => page.url()).toBe(`${ctx.server.baseUrl}/`);
}

describe('a person who forgot their password, in Chromium', () => {
  for (const javaScript of [false, true]) {
    it(`gets back in by email with JavaScript ${javaScript ? 'on' : 'off'}`, async () => {
      const context = await ctx.browser.newContext({ javaScriptEnabled: javaScript });
      const page = await context.newPage();
      const email = newEmail(javaScript ? 'reset-js' : 'reset-nojs');
      await register(page, email);
      await resetJourney(page, email);
      await context.close();
    });
  }
});
