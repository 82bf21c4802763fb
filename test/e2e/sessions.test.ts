import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useServerAndBrowser } from '../helpers/browser';

// A person who sees a device they do not recognise on their account page and signs it out.
const ctx = useServerAndBrowser();

const PASSWORD = 'a good long password';
const PHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
let emailCounter = 0;
const newEmail = (label: string) => `${label}-${Date.now()}-${++emailCounter}@example.com`;
const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

async function logIn(page: Page, email: string) {
  await page.goto(`${ctx.server.baseUrl}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect.poll(() => page.url()).toBe(`${ctx.server.baseUrl}/`);
}

describe('a person signing out their other devices in Chromium', () => {
  for (const javaScript of [false, true]) {
    it(`signs out one device, then everywhere else, with JavaScript ${javaScript ? 'on' : 'off'}`, async () => {
      const email = newEmail(javaScript ? 'sessions-js' : 'sessions-nojs');
      const laptop = await ctx.browser.newContext({ javaScriptEnabled: javaScript });
      const phone = await ctx.browser.newContext({ javaScriptEnabled: javaScript, userAgent: PHONE_UA });
      const tablet = await ctx.browser.newContext({ javaScriptEnabled: javaScript });
      const page = await laptop.newPage();
      await page.goto(`${ctx.server.baseUrl}/register`);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByLabel('Password again').fill(PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();
      await expect.poll(() => page.url()).toBe(`${ctx.server.baseUrl}/`);
      const phonePage = await phone.newPage();
      await logIn(phonePage, email);
      const tabletPage = await tablet.newPage();
      await logIn(tabletPage, email);

      await page.getByRole('link', { name: 'Account' }).click();
      const devices = page.locator('#sessions .session__device');
      await expect.poll(() => devices.count()).toBe(3);
      expect(await text(page, '#sessions .session--current .session__device')).toBe(
        'Chrome on Linux This device',
      );

      await page.getByRole('button', { name: /^Sign out Safari on iPhone/ }).click();
      await expect.poll(() => page.url()).toBe(`${ctx.server.baseUrl}/account`);
      expect(await text(page, '.flash')).toBe(
        'Signed out Safari on iPhone. That device will have to log in again.',
      );
      await expect.poll(() => devices.count()).toBe(2);
      await phonePage.goto(`${ctx.server.baseUrl}/`);
      expect(phonePage.url()).toBe(`${ctx.server.baseUrl}/login`);

      await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
      await expect.poll(() => page.url()).toBe(`${ctx.server.baseUrl}/account`);
      expect(await text(page, '.flash')).toBe(
        'Signed out 1 other session. Only this device is still logged in.',
      );
      expect(await text(page, '#sessions-only')).toBe('You are logged in on this device only.');
      await tabletPage.goto(`${ctx.server.baseUrl}/`);
      expect(tabletPage.url()).toBe(`${ctx.server.baseUrl}/login`);
      await page.goto(`${ctx.server.baseUrl}/`);
      expect(page.url()).toBe(`${ctx.server.baseUrl}/`);

      for (const context of [laptop, phone, tablet]) await context.close();
    });
  }
});
