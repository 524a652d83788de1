/**
 * Load (issue "Reliability and security" point 2): sipp floods the phone with INVITEs (300 a
 * second) and then OPTIONS on 127.0.0.1. The phone stays up and responsive, memory stays
 * bounded, every flood call gets a final answer (486 when the lines are full, 503 beyond the
 * per-source rate, or it rings and is cancelled), and a call the user places during the flood
 * is set up and carries audio. Figures are printed for docs/RELIABILITY.md.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../../shared/contract.js';
import type { CallView } from '../../shared/model.js';
import { encodeWav, WavFileDriver } from '../../main/core/audio/index.js';
import { accountFields } from '../helpers/account-fields.js';
import { testCore, udpPort } from '../helpers/core.js';
import { tempDir } from '../helpers/temp-dir.js';
import { runSipp } from '../interop/sipp.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const heapMb = () => {
  collectGarbage();
  return Math.round(process.memoryUsage().heapUsed / 2 ** 20);
};

const FLOOD_RATE = Number(process.env['FLOOD_RATE'] ?? 300);
const FLOOD_SECONDS = Number(process.env['FLOOD_SECONDS'] ?? 10);

function sippCounts(output: string): { successful: number; failed: number } {
  const number = (label: string) => Number(new RegExp(`${label}\\s*\\|\\s*\\d+\\s*\\|\\s*(\\d+)`).exec(output)?.[1] ?? NaN);
  return { successful: number('Successful call'), failed: number('Failed call') };
}

describe('floods at the phone', () => {
  it(`INVITE flood (${FLOOD_RATE}/s for ${FLOOD_SECONDS} s): all answered, memory bounded, a call placed meanwhile works with audio`, async () => {
    const tone = join(tempDir(), 'tone.wav');
    writeFileSync(tone, encodeWav({ sampleRate: 8000, channels: 1, samples: Int16Array.from({ length: 8000 * 60 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 500 * i) / 8000))) }));
    const alice = await testCore({ audio: { driver: new WavFileDriver({ input: tone }), deviceSampleRate: 8000, rtpTimeoutSeconds: 0 } });
    const bob = await testCore({ audio: { driver: new WavFileDriver({}) } });
    await alice.core.handlers['accounts.add'](accountFields({ user: 'alice', domain: `127.0.0.1:${udpPort(bob.core)}`, register: false, srtp: 'off' }));
    await bob.core.handlers['accounts.add'](accountFields({ user: 'bob', domain: `127.0.0.1:${udpPort(alice.core)}`, register: false, srtp: 'off' }));
    const heard: number[] = [];
    const incoming: CallView[] = [];
    bob.core.subscribe((name, payload) => {
      if (name === 'audio.level') heard.push((payload as EventPayload<'audio.level'>).output);
      if (name === 'call.incoming') incoming.push(payload as CallView);
    });
    const heapBefore = heapMb();
    const rssBefore = Math.round(process.memoryUsage().rss / 2 ** 20);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const flood = await runSipp({
      scenario: 'uac-invite-flood.xml',
      transport: 'udp',
      target: `127.0.0.1:${udpPort(alice.core)}`,
      service: 'alice',
      calls: FLOOD_RATE * FLOOD_SECONDS,
      rate: FLOOD_RATE,
      limit: 2000,
      timeoutSeconds: FLOOD_SECONDS + 60,
    });
    // In the middle of the flood, alice calls bob.
    await new Promise((resolve) => setTimeout(resolve, (FLOOD_SECONDS * 1000) / 3));
    const started = performance.now();
    const call = await alice.core.handlers['calls.dial']({ target: 'bob' });
    await expect.poll(() => incoming.length, { timeout: 10_000 }).toBe(1);
    await bob.core.handlers['calls.answer']({ callId: incoming[0]!.id });
    await expect.poll(async () => (await alice.core.handlers['calls.list']({})).find((c) => c.id === call.id)?.state, { timeout: 10_000 }).toBe('established');
    const setupMs = Math.round(performance.now() - started);
    await expect.poll(() => heard.at(-1) ?? -100, { timeout: 5000 }).toBeGreaterThan(-25);
    const result = await flood.done;
    delay.disable();
    await alice.core.handlers['calls.hangup']({ callId: call.id });
    const { successful, failed } = sippCounts(result.output);
    const heapAfter = heapMb();
    const rssAfter = Math.round(process.memoryUsage().rss / 2 ** 20);
    console.log(
      `FIGURES flood-invite rate=${FLOOD_RATE}/s seconds=${FLOOD_SECONDS} successful=${successful} failed=${failed} legitSetupMs=${setupMs} loopDelayP99Ms=${(delay.percentile(99) / 1e6).toFixed(1)} loopDelayMaxMs=${(delay.max / 1e6).toFixed(1)} heapMb=${heapBefore}->${heapAfter} rssMb=${rssBefore}->${rssAfter}`,
    );
    expect(successful + failed).toBe(FLOOD_RATE * FLOOD_SECONDS);
    expect(failed / (successful + failed)).toBeLessThan(0.01);
    expect(heapAfter - heapBefore).toBeLessThan(100);
    // Still responsive, and no flood call left behind.
    expect((await alice.core.handlers['app.info']({})).name).toBe('Softphone');
    await expect.poll(async () => (await alice.core.handlers['calls.list']({})).length, { timeout: 10_000 }).toBe(0);
  }, 180_000);

  it('REGISTER flood (300/s for 5 s): the phone is no registrar — refused (404/405) within the rate, 503 beyond it', async () => {
    const { core } = await testCore();
    const flood = await runSipp({ scenario: 'uac-register-flood.xml', transport: 'udp', target: `127.0.0.1:${udpPort(core)}`, calls: 1500, rate: 300, timeoutSeconds: 60 });
    const result = await flood.done;
    const { successful, failed } = sippCounts(result.output);
    console.log(`FIGURES flood-register rate=300/s seconds=5 successful=${successful} failed=${failed}`);
    expect(successful).toBe(1500);
    expect((await core.handlers['app.info']({})).name).toBe('Softphone');
  }, 120_000);

  it('OPTIONS flood (300/s for 5 s): answered 200 within the rate, 503 beyond it', async () => {
    const { core } = await testCore();
    const flood = await runSipp({ scenario: 'uac-options-flood.xml', transport: 'udp', target: `127.0.0.1:${udpPort(core)}`, service: 'nobody', calls: 1500, rate: 300, timeoutSeconds: 60 });
    const result = await flood.done;
    const { successful, failed } = sippCounts(result.output);
    console.log(`FIGURES flood-options rate=300/s seconds=5 successful=${successful} failed=${failed}`);
    expect(successful).toBe(1500);
    expect((await core.handlers['app.info']({})).name).toBe('Softphone');
  }, 120_000);
});
