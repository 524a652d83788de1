/**
 * Accessibility of every main screen (issue 11 point 9): axe-core, injected into the page, finds
 * no serious or critical violation on Calls (a call in progress), Contacts, History, Messages,
 * the SIP log (a message open) and Settings — in the light and the dark theme, which follows the
 * system unless chosen in Settings. Each screen's screenshot is kept under
 * test-results/screenshots/.
 */
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.js';
import { startBaresip, type Baresip } from '../interop/lab/baresip.js';
import { startKamailio, type Kamailio } from '../interop/lab/kamailio.js';
import { openPhone, registerInUi, screenshot } from './ui-phone.js';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let browser: Browser;
let kamailio: Kamailio;
let bob: Baresip;
beforeAll(async () => {
  [browser, kamailio] = await Promise.all([launchBrowser(), startKamailio()]);
  bob = await startBaresip({ user: 'bob', kamailio, answerMode: 'auto' });
});
afterAll(async () => {
  await bob?.stop();
  await kamailio?.stop();
});

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** axe-core's serious and critical findings on the page as it is, described for the failure message. */
async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join(' | ')}`);
}

async function scanScreens(page: Page, theme: 'light' | 'dark'): Promise<Record<string, string[]>> {
  await page.emulateMedia({ colorScheme: theme });
  const found: Record<string, string[]> = {};
  for (const screen of ['calls', 'contacts', 'history', 'messages', 'sip', 'settings']) {
    await page.getByTestId(`nav-${screen}`).click();
    if (screen === 'sip') await page.getByTestId('ladder-arrow').first().click();
    found[screen] = await seriousViolations(page);
    await screenshot(page, `${screen}-${theme}`);
  }
  return found;
}

describe('accessibility of the main screens', () => {
  it('axe-core finds no serious or critical violation, light or dark', async () => {
    const { page } = await openPhone(browser, kamailio, { bypassCSP: true });
    await registerInUi(page, 'eve', 'evepass');
    // Something on every screen: a contact, a finished call in the history, a call in progress.
    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('contact-add').click();
    await page.getByTestId('contact-form-name').fill('Bob Builder');
    await page.getByTestId('contact-form-address-value').first().fill('sip:bob@lab.test');
    await page.getByTestId('contact-form-save').click();
    await page.getByTestId('contact-item').first().waitFor();
    await page.getByTestId('nav-calls').click();
    await page.getByTestId('dial-input').fill('bob');
    await page.getByTestId('dial-button').click();
    await expect.poll(() => page.getByTestId('call-item').first().getAttribute('data-state'), { timeout: 8000 }).toBe('established');
    await page.getByTestId('call-hangup').first().click();
    await expect.poll(() => page.getByTestId('call-item').count(), { timeout: 5000 }).toBe(0);
    await page.getByTestId('dial-input').fill('bob');
    await page.getByTestId('dial-button').click();
    await expect.poll(() => page.getByTestId('call-item').first().getAttribute('data-state'), { timeout: 8000 }).toBe('established');

    expect(await scanScreens(page, 'light')).toEqual({ calls: [], contacts: [], history: [], messages: [], sip: [], settings: [] });
    expect(await scanScreens(page, 'dark')).toEqual({ calls: [], contacts: [], history: [], messages: [], sip: [], settings: [] });
    await page.getByTestId('nav-calls').click();
    await page.getByTestId('call-hangup').first().click();

    // The theme follows the system unless chosen in Settings; the choice outlives a reload.
    const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await background();
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await background();
    expect(dark).not.toBe(light);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-theme').selectOption('light');
    expect(await background()).toBe(light);
    await page.reload();
    await page.getByTestId('app-shell').waitFor();
    expect(await background()).toBe(light);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-theme').selectOption('dark');
    expect(await background()).toBe(dark);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('settings-theme').selectOption('system');
    expect(await background()).toBe(light);
  });
});
