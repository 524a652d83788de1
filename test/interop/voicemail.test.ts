/**
 * Message waiting (RFC 3842) against real peers: our message-summary subscription at the lab
 * Kamailio (presence_mwi) with a voicemail server (sipp) publishing eve's mailbox there, and a
 * voicemail server (sipp) sending unsolicited NOTIFYs straight to us — a malformed one refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VoicemailState } from '../../shared/model.js';
import { createCore, type Core } from '../../main/core/index.js';
import { accountFields } from '../helpers/account-fields.js';
import { startKamailio, type Kamailio } from './lab/kamailio.js';
import { labCoreOptions } from './lab/core.js';
import { runSipp } from './sipp.js';

let kamailio: Kamailio;
let core: Core;
let accountId: string;
const dir = mkdtempSync(join(tmpdir(), 'voicemail-interop-'));
const states: VoicemailState[] = [];
const sipLog: { direction: string; text: string }[] = [];

beforeAll(async () => {
  kamailio = await startKamailio();
  core = await createCore(labCoreOptions(kamailio, dir));
  core.subscribe((name, payload) => {
    if (name === 'voicemail.state') states.push(payload as VoicemailState);
    if (name === 'log.sip') sipLog.push(payload as { direction: string; text: string });
  });
  accountId = (await core.handlers['accounts.add'](accountFields({ user: 'eve', domain: 'lab.test', password: 'evepass', publishPresence: false }))).id;
  for (let i = 0; i < 160 && (await core.handlers['accounts.list']({}))[0]!.status.state !== 'registered'; i++) await new Promise((resolve) => setTimeout(resolve, 50));
});
afterAll(async () => {
  await core?.close();
  await kamailio?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('message waiting', () => {
  it('we subscribe to our mailbox at Kamailio; a voicemail server publishes 3 new / 2 old; we show it', async () => {
    // Kamailio's presence_mwi accepts the subscription and NOTIFYs (no state yet: no body).
    await expect
      .poll(() => sipLog.some((e) => e.direction === 'in' && /^NOTIFY /.test(e.text) && /^Event: message-summary/im.test(e.text)), { timeout: 8000 })
      .toBe(true);
    const sipp = await runSipp({ scenario: 'uac-publish-mwi.xml', transport: 'udp', target: `127.0.0.1:${kamailio.udpPort}`, service: 'eve' });
    const { code, output } = await sipp.done;
    expect(code, output).toBe(0);
    await expect.poll(() => states.at(-1), { timeout: 8000 }).toEqual({ accountId, waiting: true, newMessages: 3, oldMessages: 2 });
    expect(await core.handlers['voicemail.list']({})).toEqual([{ accountId, waiting: true, newMessages: 3, oldMessages: 2 }]);
  });

  it('an unsolicited NOTIFY from a voicemail server: 200 and the counts; a malformed one 400', async () => {
    const port = core.signalling.endpoint.transport.listeningPoints().find((p) => p.transport === 'udp')!.port;
    const seen = states.length;
    const sipp = await runSipp({ scenario: 'uac-notify-mwi.xml', transport: 'udp', target: `127.0.0.1:${port}`, service: 'eve' });
    const { code, output } = await sipp.done;
    // The scenario expects 200, 400, 200: it passes only if we answered exactly that.
    expect(code, output).toBe(0);
    expect(states.slice(seen)).toEqual([
      { accountId, waiting: true, newMessages: 3, oldMessages: 1, urgentNew: 1 },
      { accountId, waiting: false, newMessages: 0, oldMessages: 4 },
    ]);
  });

  it('voicemail.call refuses without a voicemail number, dials it once set', async () => {
    await expect(core.handlers['voicemail.call']({ accountId })).rejects.toMatchObject({ code: 'invalid_state', field: 'accountId' });
    await core.handlers['accounts.update']({ id: accountId, changes: { voicemail: 'sip:voicemail@127.0.0.1:9' } });
    const call = await core.handlers['voicemail.call']({ accountId });
    expect(call).toMatchObject({ direction: 'outgoing', remote: { uri: 'sip:voicemail@127.0.0.1:9' } });
    await core.handlers['calls.hangup']({ callId: call.id });
  });
});
