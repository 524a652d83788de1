/**
 * Settings, end to end in Debian's Chromium through the web host (issue #11 point 7): the
 * language picker switches the whole UI to German at once and the choice outlives a reload;
 * an account added with its own codec order (set from the keyboard) keeps it — in the core and
 * in its settings panel after a reload — and an order with every codec off is refused with why;
 * the ringtone and the desktop's shortcuts are saved in the core, a bad shortcut refused with why.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.js';
import { startKamailio, type Kamailio } from '../interop/lab/kamailio.js';
import { openPhone, registerInUi, screenshot } from './ui-phone.js';

let browser: Browser;
let kamailio: Kamailio;
beforeAll(async () => {
  [browser, kamailio] = await Promise.all([launchBrowser(), startKamailio()]);
});
afterAll(async () => {
  await browser?.close();
  await kamailio?.stop();
});

const codecNames = (page: Page, prefix: string) => page.getByTestId(`${prefix}-codec-name`).allTextContents();

describe('Settings in the browser', () => {
  it('the language changes every label at once and stays after a reload', async () => {
    const { page, core } = await openPhone(browser, kamailio);
    await page.getByTestId('nav-settings').click();
    expect(await page.getByTestId('nav-calls').textContent()).toContain('Calls');
    await page.getByTestId('settings-language').selectOption('de');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Einstellungen');
    expect(await page.getByTestId('nav-calls').textContent()).toContain('Anrufe');
    expect(await page.getByTestId('nav-history').textContent()).toContain('Verlauf');
    expect(await page.getByTestId('account-add').textContent()).toBe('Konto hinzufügen');
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    // Still on Settings, with the focus back on the picker.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('settings-language');
    expect((await core.handlers['preferences.get']({})).language).toBe('de');
    await screenshot(page, 'settings-german');

    await page.reload();
    await expect.poll(() => page.getByTestId('nav-settings').textContent()).toContain('Einstellungen');

    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-language').selectOption('en');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Settings');
  });

  it('an account’s codec order, set with the keyboard, is saved and shown after a reload; all off is refused', async () => {
    const { page, core } = await openPhone(browser, kamailio);
    await page.getByTestId('nav-settings').click();
    expect(await codecNames(page, 'account')).toEqual(['Opus', 'G.722', 'G.711 μ-law (PCMU)', 'G.711 A-law (PCMA)']);
    // PCMA to the top: three presses of Enter on its "up" button, which keeps the focus.
    await page.getByRole('button', { name: 'Move G.711 A-law (PCMA) up' }).focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('Enter');
    expect(await codecNames(page, 'account')).toEqual(['G.711 A-law (PCMA)', 'Opus', 'G.722', 'G.711 μ-law (PCMU)']);
    await page.getByTestId('account-codec-opus').uncheck();
    await page.getByTestId('account-codec-G722').uncheck();
    await registerInUi(page, 'eve', 'evepass');
    expect((await core.handlers['accounts.list']({}))[0]?.codecs).toEqual(['PCMA', 'PCMU']);

    await page.reload();
    await page.getByTestId('nav-settings').click();
    const account = page.getByTestId('account-item').first();
    await account.getByTestId('account-call-settings').click();
    expect(await codecNames(page, 'account-edit')).toEqual(['G.711 A-law (PCMA)', 'G.711 μ-law (PCMU)', 'Opus', 'G.722']);
    expect(await page.getByTestId('account-edit-codec-PCMA').isChecked()).toBe(true);
    expect(await page.getByTestId('account-edit-codec-opus').isChecked()).toBe(false);
    await screenshot(page, 'settings-codecs');

    await page.getByTestId('account-edit-codec-PCMA').uncheck();
    await page.getByTestId('account-edit-codec-PCMU').uncheck();
    await page.getByTestId('account-edit-save').click();
    await expect.poll(() => page.getByTestId('account-edit-codecs-error').textContent({ timeout: 500 }).catch(() => null)).toBe('enable at least one codec');
    expect((await core.handlers['accounts.list']({}))[0]?.codecs).toEqual(['PCMA', 'PCMU']);
  });

  it('the ringtone and the shortcuts are saved; a bad shortcut is refused with why', async () => {
    const { page, core } = await openPhone(browser, kamailio);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-ringtone').selectOption('chime');
    await expect.poll(async () => (await core.handlers['preferences.get']({})).ringtone).toBe('chime');
    await page.getByRole('button', { name: 'Play the ringtone Chime (three bells) on the ringer' }).click();
    await page.getByTestId('settings-ringtone-note').waitFor();

    await page.getByTestId('shortcut-answer').fill('A');
    await page.getByTestId('shortcuts-save').click();
    expect(await page.getByTestId('shortcut-answer-error').textContent()).toMatch(/^not a usable shortcut: /);
    // Pressed in the field, the keys are recorded.
    await page.getByTestId('shortcut-answer').focus();
    await page.keyboard.press('Control+Alt+KeyK');
    expect(await page.getByTestId('shortcut-answer').inputValue()).toBe('CommandOrControl+Alt+K');
    await page.getByTestId('shortcut-mute').fill('');
    await page.getByTestId('shortcuts-save').click();
    await page.getByTestId('shortcuts-saved').waitFor();
    expect((await core.handlers['preferences.get']({})).shortcuts).toEqual({ answer: 'CommandOrControl+Alt+K', hangup: 'CommandOrControl+Alt+Shift+H', mute: null });

    await page.reload();
    await page.getByTestId('nav-settings').click();
    await expect.poll(() => page.getByTestId('shortcut-answer').inputValue()).toBe('CommandOrControl+Alt+K');
    expect(await page.getByTestId('settings-ringtone').inputValue()).toBe('chime');
  });
});
