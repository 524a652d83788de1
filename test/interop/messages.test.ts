/**
 * Instant messages with baresip through the lab's Kamailio (issue "Presence..." point 7): we
 * send bob a MESSAGE and his phone shows it; bob messages us and we store and show it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessageView } from '../../shared/model.js';
import { createCore, type Core } from '../../main/core/index.js';
import { accountFields } from '../helpers/account-fields.js';
import { startBaresip, type Baresip } from './lab/baresip.js';
import { startKamailio, type Kamailio } from './lab/kamailio.js';
import { labCoreOptions } from './lab/core.js';

let kamailio: Kamailio;
let bob: Baresip;
let core: Core;
const dir = mkdtempSync(join(tmpdir(), 'messages-interop-'));
const messages: MessageView[] = [];
const sipLog: string[] = [];

beforeAll(async () => {
  kamailio = await startKamailio();
  bob = await startBaresip({ user: 'bob', kamailio, contacts: ['"Eve" <sip:eve@lab.test>'] });
  core = await createCore(labCoreOptions(kamailio, dir));
  core.subscribe((name, payload) => {
    if (name === 'message') messages.push(payload as MessageView);
    if (name === 'log.sip' && (payload as { direction: string }).direction === 'in') sipLog.push((payload as { text: string }).text);
  });
  await core.handlers['accounts.add'](accountFields({ user: 'eve', domain: 'lab.test', password: 'evepass' }));
  for (let i = 0; i < 160 && (await core.handlers['accounts.list']({}))[0]!.status.state !== 'registered'; i++) await new Promise((resolve) => setTimeout(resolve, 50));
});
afterAll(async () => {
  await core?.close();
  await bob?.stop();
  await kamailio?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('MESSAGE with baresip', () => {
  it('we write to bob: his phone takes it (200) and we see it delivered', async () => {
    const sent = await core.handlers['messages.send']({ to: 'bob', text: 'hello bob, from eve' });
    await expect.poll(() => messages.filter((m) => m.id === sent.id).at(-1)?.state, { timeout: 8000 }).toBe('delivered');
    // The 200 is baresip's own (its menu module took the text; baresip 1.0 prints it to no log).
    const ok = sipLog.find((t) => /^SIP\/2\.0 200 /.test(t) && /^CSeq: \d+ MESSAGE/m.test(t));
    expect(ok).toMatch(/^(Server|User-Agent): baresip/m);
  });

  it('bob writes to us: we show and keep it', async () => {
    // baresip 1.0 messages its "current contact": the only one in its list, eve.
    await bob.ctrl.command('message', 'hi eve, bob here');
    await expect.poll(() => messages.find((m) => m.direction === 'incoming')?.text, { timeout: 8000 }).toBe('hi eve, bob here');
    const incoming = messages.find((m) => m.direction === 'incoming')!;
    expect(incoming.peer).toBe('sip:bob@lab.test');
    expect(await core.handlers['messages.list']({ peer: 'sip:bob@lab.test', limit: 10 })).toEqual(
      expect.arrayContaining([expect.objectContaining({ text: 'hi eve, bob here', direction: 'incoming' })]),
    );
  });
});
