/**
 * End to end: Settings → Audio in Chromium, against the web host with a WAV-file driver behind
 * it. The pickers list the driver's devices, a choice survives a reload, and "Test audio" makes
 * the input meter move (the WAV file's tone through the test call).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav, WavFileDriver } from '../../main/core/audio/index.js';
import { silentLogger } from '../../main/core/log.js';
import { readAppMeta } from '../../main/hosts/app-meta.js';
import { startWebHost } from '../../main/hosts/web/server.js';
import { artifactsDir, launchBrowser } from '../helpers/browser.js';
import { testCore } from '../helpers/core.js';
import { tempDir } from '../helpers/temp-dir.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});

describe('audio settings in the UI', () => {
  it('lists the devices, keeps a choice across a reload, and the test call moves the meter', async () => {
    const dir = tempDir();
    const input = join(dir, 'tone.wav');
    // 16 kHz: G.722's PCM rate, at which the test call opens the devices.
    writeFileSync(input, encodeWav({ sampleRate: 16000, channels: 1, samples: Int16Array.from({ length: 16000 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 16000))) }));
    const { core, bridge } = await testCore({ host: 'web', audio: { driver: new WavFileDriver({ input, output: join(dir, 'out.wav') }) } });
    const web = await startWebHost({ bridge, subscribe: (sink) => core.subscribe(sink), staticDir: join(readAppMeta().root, 'dist', 'renderer'), logger: silentLogger });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    afterAll(async () => {
      await page.close();
      await web.close();
    });
    await page.goto(web.url);
    await page.getByTestId('nav-settings').click();

    const microphone = page.getByTestId('audio-microphone');
    await expect.poll(() => microphone.locator('option').allTextContents()).toEqual([`System default (${input})`, input]);
    expect(await page.getByTestId('audio-speaker').locator('option').allTextContents()).toEqual([`System default (${join(dir, 'out.wav')})`, join(dir, 'out.wav')]);
    expect(await page.getByTestId('audio-ringer').locator('option').count()).toBe(2);
    expect(await microphone.inputValue()).toBe('');
    expect(await page.getByLabel('Microphone', { exact: true }).getAttribute('data-testid')).toBe('audio-microphone');

    await microphone.selectOption('wav-file:in');
    await page.getByTestId('audio-ringer').selectOption('wav-file:out');
    await expect.poll(async () => (await core.handlers['audio.devices']({})).selection).toEqual({ microphone: 'wav-file:in', ringer: 'wav-file:out' });

    await page.reload();
    await page.getByTestId('nav-settings').click();
    await expect.poll(() => page.getByTestId('audio-microphone').inputValue()).toBe('wav-file:in');
    expect(await page.getByTestId('audio-ringer').inputValue()).toBe('wav-file:out');
    expect(await page.getByTestId('audio-speaker').inputValue()).toBe('');

    const meter = page.getByTestId('audio-meter-input');
    expect(Number(await meter.getAttribute('value'))).toBe(-60);
    await page.getByTestId('audio-test').click();
    await expect.poll(() => page.getByTestId('audio-test').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(async () => Number(await meter.getAttribute('value')), { timeout: 5000 }).toBeGreaterThan(-30);
    await expect.poll(async () => Number(await page.getByTestId('audio-meter-output').getAttribute('value')), { timeout: 5000 }).toBeGreaterThan(-30);
    await page.screenshot({ path: join(artifactsDir, 'settings-audio.png'), fullPage: true });
    await page.getByTestId('audio-test').click();
    await expect.poll(() => page.getByTestId('audio-test').getAttribute('aria-pressed')).toBe('false');
    await expect.poll(async () => Number(await meter.getAttribute('value')), { timeout: 3000 }).toBe(-60);
    expect(errors).toEqual([]);
  });
});
