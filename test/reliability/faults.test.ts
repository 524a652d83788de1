/**
 * Faults (issue "Reliability and security" point 3), against the lab's Kamailio and baresip on
 * 127.0.0.1: the signalling path through an impairment proxy dropping 30 % of the datagrams and
 * reordering others — registration and a call still complete by retransmission; the peer
 * vanishing mid-call — the RTP timeout ends the call with a reason. (A registrar restart and a
 * TCP reset are in test/interop/flow-recovery.test.ts.) Figures are printed for
 * docs/RELIABILITY.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallView } from '../../shared/model.js';
import { NullDriver } from '../../main/core/audio/index.js';
import { startImpairmentProxy } from '../../main/core/media/impairment/index.js';
import { accountFields } from '../helpers/account-fields.js';
import { testCore } from '../helpers/core.js';
import { startBaresip, type Baresip } from '../interop/lab/baresip.js';
import { labDns } from '../interop/lab/dns.js';
import { startKamailio, type Kamailio } from '../interop/lab/kamailio.js';

let kamailio: Kamailio;
beforeAll(async () => {
  kamailio = await startKamailio();
});
afterAll(async () => {
  await kamailio?.stop();
});

describe('faults', () => {
  it('30 % loss and reordering on the signalling path: registration and a call complete by retransmission', async () => {
    const bob: Baresip = await startBaresip({ user: 'bob', kamailio, answerMode: 'auto', accountParams: ';audio_codecs=pcmu' });
    const proxy = await startImpairmentProxy({ forwardTo: { address: kamailio.host, port: kamailio.udpPort }, loss: 0.3, reorder: 0.2, jitterMs: 30, seed: 30, maxDurationMs: 120_000 });
    try {
      const { core } = await testCore({ dns: labDns(kamailio), audio: { driver: new NullDriver(), rtpTimeoutSeconds: 0 } });
      const views: CallView[] = [];
      core.subscribe((name, payload) => {
        if (name === 'call.state') views.push(payload as CallView);
      });
      const started = performance.now();
      await core.handlers['accounts.add'](accountFields({ user: 'eve', domain: 'lab.test', password: 'evepass', outboundProxy: `127.0.0.1:${proxy.address.port}`, srtp: 'off' }));
      await expect.poll(async () => (await core.handlers['accounts.list']({}))[0]!.status.state, { timeout: 60_000, interval: 200 }).toBe('registered');
      const registeredMs = Math.round(performance.now() - started);
      const dialled = performance.now();
      const call = await core.handlers['calls.dial']({ target: 'bob' });
      await expect.poll(() => views.filter((v) => v.id === call.id).at(-1)?.state, { timeout: 60_000, interval: 200 }).toBe('established');
      const establishedMs = Math.round(performance.now() - dialled);
      await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 30_000 });
      await core.handlers['calls.hangup']({ callId: call.id });
      await expect.poll(() => views.filter((v) => v.id === call.id).at(-1)?.state, { timeout: 60_000, interval: 200 }).toBe('terminated');
      const report = await proxy.stop();
      console.log(`FIGURES faults-loss30 registeredMs=${registeredMs} establishedMs=${establishedMs} relayed=${report.received} dropped=${report.dropped} reordered=${report.reordered}`);
      expect(report.dropped).toBeGreaterThan(0);
    } finally {
      await proxy.stop();
      await bob.stop();
    }
  }, 180_000);

  it('the TCP connection to the proxy resets mid-call (Kamailio restarts): the flow recovers, the call goes on and ends with a BYE', async () => {
    const bob: Baresip = await startBaresip({ user: 'bob', kamailio, answerMode: 'auto', accountParams: ';audio_codecs=pcmu' });
    try {
      const { core } = await testCore({ dns: labDns(kamailio), audio: { driver: new NullDriver(), rtpTimeoutSeconds: 0 }, signalling: { flowRecovery: { baseTimeSeconds: 1, maxTimeSeconds: 8 } } });
      const views: CallView[] = [];
      const states: string[] = [];
      core.subscribe((name, payload) => {
        if (name === 'call.state') views.push(payload as CallView);
        if (name === 'account.state') states.push((payload as { state: string }).state);
      });
      await core.handlers['accounts.add'](accountFields({ user: 'eve', domain: 'lab.test', password: 'evepass', transport: 'tcp', srtp: 'off' }));
      await expect.poll(() => states.at(-1), { timeout: 10_000 }).toBe('registered');
      const call = await core.handlers['calls.dial']({ target: 'bob' });
      await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 10_000 });
      const resetAt = performance.now();
      await kamailio.restart();
      await expect.poll(() => states.slice(-3), { timeout: 15_000, interval: 50 }).toContain('failed');
      await expect.poll(() => states.at(-1), { timeout: 15_000, interval: 50 }).toBe('registered');
      const recoveredMs = Math.round(performance.now() - resetAt);
      expect(views.filter((v) => v.id === call.id).at(-1)!.state).toBe('established');
      await core.handlers['calls.hangup']({ callId: call.id });
      // The BYE goes over a new connection and reaches bob.
      await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 10_000 });
      console.log(`FIGURES faults-tcp-reset registeredAgainMs=${recoveredMs}`);
    } finally {
      await bob.stop();
    }
  }, 90_000);

  it('the peer vanishes mid-call: the RTP timeout ends the call, saying why', async () => {
    const bob: Baresip = await startBaresip({ user: 'bob', kamailio, answerMode: 'auto', accountParams: ';audio_codecs=pcmu' });
    const { core } = await testCore({ dns: labDns(kamailio), audio: { driver: new NullDriver(), rtpTimeoutSeconds: 3 } });
    const views: CallView[] = [];
    core.subscribe((name, payload) => {
      if (name === 'call.state') views.push(payload as CallView);
    });
    await core.handlers['accounts.add'](accountFields({ user: 'eve', domain: 'lab.test', password: 'evepass', srtp: 'off' }));
    await expect.poll(async () => (await core.handlers['accounts.list']({}))[0]!.status.state, { timeout: 10_000 }).toBe('registered');
    const call = await core.handlers['calls.dial']({ target: 'bob' });
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // bob's phone dies without a BYE (SIGKILL): no more RTP.
    const vanished = performance.now();
    await bob.stop({ signal: 'SIGKILL' });
    // The timeout ends it: BYE sent, media stopped, the reason shown at once...
    await expect.poll(() => views.filter((v) => v.id === call.id).at(-1)?.end?.reason, { timeout: 10_000 }).toBe('no audio from the peer for 3 s');
    const endedMs = Math.round(performance.now() - vanished);
    expect(views.filter((v) => v.id === call.id).at(-1)!.state).toMatch(/^terminat/);
    // ...and the call is over once the BYE is answered (here by the proxy's timeout: bob is gone).
    await expect.poll(() => views.filter((v) => v.id === call.id).at(-1)?.state, { timeout: 40_000 }).toBe('terminated');
    const closedMs = Math.round(performance.now() - vanished);
    console.log(`FIGURES faults-peer-vanished rtpTimeoutS=3 endedAfterMs=${endedMs} byeSettledAfterMs=${closedMs}`);
    expect(views.filter((v) => v.id === call.id).at(-1)!.end).toMatchObject({ by: 'error', reason: 'no audio from the peer for 3 s' });
    expect(endedMs).toBeLessThan(8000);
  }, 60_000);
});
