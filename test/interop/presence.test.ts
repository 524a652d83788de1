/**
 * Presence with baresip through the lab's Kamailio presence server (RFC 3856, RFC 3903): we
 * PUBLISH and bob's phone, watching us, shows it; bob's phone publishes and we see it; our
 * calls make us on-the-phone for bob. baresip 1.0's presence module only tells open, closed
 * and busy apart (it reads rpid:away as closed, rpid:busy and rpid:on-the-phone as busy) and only
 * publishes open or closed (`presence_online`, `presence_offline`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WatchedEntity } from '../../shared/model.js';
import { createCore, type Core } from '../../main/core/index.js';
import { accountFields } from '../helpers/account-fields.js';
import { startBaresip, type Baresip } from './lab/baresip.js';
import { startKamailio, type Kamailio } from './lab/kamailio.js';
import { labCoreOptions } from './lab/core.js';

let kamailio: Kamailio;
let bob: Baresip;
let core: Core;
const dir = mkdtempSync(join(tmpdir(), 'presence-interop-'));
const contacts: WatchedEntity[] = [];
const sipLog: { direction: string; text: string }[] = [];

beforeAll(async () => {
  kamailio = await startKamailio();
  // bob watches eve (us) at the presence server and publishes his own state every 5 s.
  bob = await startBaresip({ user: 'bob', kamailio, contacts: ['"Eve" <sip:eve@lab.test>;presence=p2p'], publishInterval: 5 });
  core = await createCore(labCoreOptions(kamailio, dir));
  core.subscribe((name, payload) => {
    if (name === 'presence.contact') contacts.push(payload as WatchedEntity);
    if (name === 'log.sip') sipLog.push(payload as { direction: string; text: string });
  });
  await core.handlers['accounts.add'](accountFields({ user: 'eve', domain: 'lab.test', password: 'evepass' }));
  for (let i = 0; i < 160 && (await core.handlers['accounts.list']({}))[0]!.status.state !== 'registered'; i++) await new Promise((resolve) => setTimeout(resolve, 50));
});
afterAll(async () => {
  if (process.env.PRESENCE_DEBUG) for (const e of sipLog) if (/PUBLISH|NOTIFY/.test(e.text.split('\n').slice(0, 12).join('\n'))) console.log(e.direction, e.text.split('\r\n').filter((l) => /^(SIP\/|PUBLISH|NOTIFY|CSeq|SIP-|Expires|Event|Subscription)/i.test(l) || l.includes('basic') || l.includes('rpid:')).join(' | '));
  await core?.close();
  await bob?.stop();
  await kamailio?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** What bob's phone says of eve: its `contacts` listing. */
async function bobSeesEve(): Promise<string> {
  const { data } = await bob.ctrl.command('contacts');
  return data.split('\n').find((line) => line.includes('eve@lab.test')) ?? '';
}

describe('presence with baresip through Kamailio', () => {
  it('we PUBLISH (ETag from Kamailio) and bob, watching us, sees us online, then busy', async () => {
    await expect.poll(() => sipLog.some((e) => e.direction === 'in' && /^SIP\/2\.0 200 /.test(e.text) && /^CSeq: \d+ PUBLISH/m.test(e.text) && /^SIP-ETag: /im.test(e.text)), { timeout: 8000 }).toBe(true);
    await expect.poll(bobSeesEve, { timeout: 15_000 }).toMatch(/online/i);
    await core.handlers['presence.set']({ status: 'busy', note: 'writing tests' });
    await expect.poll(bobSeesEve, { timeout: 15_000 }).toMatch(/busy/i);
    // baresip 1.0 knows open, closed and busy only: it shows <rpid:away/> as Offline.
    await core.handlers['presence.set']({ status: 'away' });
    await expect.poll(bobSeesEve, { timeout: 15_000 }).toMatch(/offline/i);
    await core.handlers['presence.set']({ status: 'available' });
    await expect.poll(bobSeesEve, { timeout: 15_000 }).toMatch(/online/i);
  });

  it('bob publishes: we watch him and see him available, offline, available again', async () => {
    const bobView = await core.handlers['presence.watch']({ uri: 'bob', displayName: 'Bob', presence: true, blf: false });
    expect(bobView).toMatchObject({ uri: 'sip:bob@lab.test', status: 'unknown' });
    const bobStatus = () => contacts.filter((c) => c.uri === 'sip:bob@lab.test').at(-1)?.status;
    await expect.poll(bobStatus, { timeout: 15_000 }).toBe('available');
    await bob.ctrl.command('presence_offline');
    await expect.poll(bobStatus, { timeout: 15_000 }).toBe('offline');
    await bob.ctrl.command('presence_online');
    await expect.poll(bobStatus, { timeout: 15_000 }).toBe('available');
    expect((await core.handlers['presence.get']({})).watched).toEqual([expect.objectContaining({ uri: 'sip:bob@lab.test', displayName: 'Bob', status: 'available' })]);
  });

  it('after the account is changed, the watch and the publication are made again through its new user agent', async () => {
    const [account] = await core.handlers['accounts.list']({});
    const subscribesBefore = sipLog.filter((e) => e.direction === 'out' && /^SUBSCRIBE /.test(e.text) && /^Event: presence/m.test(e.text)).length;
    await core.handlers['accounts.update']({ id: account!.id, changes: { displayName: 'Eve E.' } });
    // A new SUBSCRIBE (a new dialog) for bob and a new initial PUBLISH, with the new From.
    await expect
      .poll(() => sipLog.filter((e) => e.direction === 'out' && /^SUBSCRIBE /.test(e.text) && /^Event: presence/m.test(e.text)).length, { timeout: 10_000 })
      .toBeGreaterThan(subscribesBefore);
    await expect.poll(() => sipLog.some((e) => e.direction === 'out' && /^PUBLISH /.test(e.text) && /^From: "Eve E\." /m.test(e.text)), { timeout: 10_000 }).toBe(true);
    const bobStatus = () => contacts.filter((c) => c.uri === 'sip:bob@lab.test').at(-1)?.status;
    await bob.ctrl.command('presence_offline');
    await expect.poll(bobStatus, { timeout: 15_000 }).toBe('offline');
    await bob.ctrl.command('presence_online');
    await expect.poll(bobStatus, { timeout: 15_000 }).toBe('available');
  });

  it('during our call with bob we are on-the-phone for him (baresip reads rpid:on-the-phone)', async () => {
    await bob.ctrl.command('answermode', 'auto');
    const call = await core.handlers['calls.dial']({ target: 'bob' });
    await expect.poll(async () => (await core.handlers['calls.list']({})).find((c) => c.id === call.id)?.state, { timeout: 8000 }).toBe('established');
    expect((await core.handlers['presence.get']({})).own.effective).toBe('on-the-phone');
    // baresip shows <rpid:on-the-phone/> as Busy.
    await expect.poll(bobSeesEve, { timeout: 15_000 }).toMatch(/busy/i);
    await core.handlers['calls.hangup']({ callId: call.id });
    await expect.poll(bobSeesEve, { timeout: 15_000 }).toMatch(/online/i);
  });
});
