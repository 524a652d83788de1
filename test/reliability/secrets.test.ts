/**
 * Security (issue "Reliability and security" point 4): a SIP password never appears in the
 * logs (at debug level), in the `log.sip` events the UI shows, nor in any file the phone writes
 * — across registering at Kamailio (digest MD5 and a wrong password), a call and a quit.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NullDriver } from '../../main/core/audio/index.js';
import { streamLogger } from '../../main/core/log.js';
import { accountFields } from '../helpers/account-fields.js';
import { testCore } from '../helpers/core.js';
import { startBaresip, type Baresip } from '../interop/lab/baresip.js';
import { labDns } from '../interop/lab/dns.js';
import { startKamailio, type Kamailio } from '../interop/lab/kamailio.js';

let kamailio: Kamailio;
let bob: Baresip;
beforeAll(async () => {
  kamailio = await startKamailio();
  bob = await startBaresip({ user: 'bob', kamailio, answerMode: 'auto', accountParams: ';audio_codecs=pcmu' });
});
afterAll(async () => {
  await bob?.stop();
  await kamailio?.stop();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map((name) => join(dir, String(name)))
    .filter((path) => statSync(path).isFile());
}

describe('passwords stay secret', () => {
  it('not in logs, log.sip events or files, whatever happens', async () => {
    const lines: string[] = [];
    const { core, dataDir } = await testCore({ dns: labDns(kamailio), logger: streamLogger((line) => lines.push(line), 'debug'), audio: { driver: new NullDriver() } });
    const sip: string[] = [];
    core.subscribe((name, payload) => {
      if (name === 'log.sip') sip.push(JSON.stringify(payload));
    });
    // The lab's eve has 'evepass'; first a wrong one, then the right one.
    const wrong = 'Wr0ng-s3cret-XYZ';
    const account = await core.handlers['accounts.add'](accountFields({ user: 'eve', domain: 'lab.test', password: wrong, srtp: 'off' }));
    await expect.poll(async () => (await core.handlers['accounts.list']({}))[0]!.status.state, { timeout: 10_000 }).toBe('failed');
    await core.handlers['accounts.update']({ id: account.id, changes: { password: 'evepass' } });
    await expect.poll(async () => (await core.handlers['accounts.list']({}))[0]!.status.state, { timeout: 10_000 }).toBe('registered');
    const call = await core.handlers['calls.dial']({ target: 'bob' });
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 10_000 });
    await core.handlers['calls.hangup']({ callId: call.id });
    await core.close();

    expect(sip.length).toBeGreaterThan(4);
    expect(sip.some((entry) => entry.includes('Authorization: Digest'))).toBe(true);
    for (const secret of [wrong, 'evepass']) {
      expect(lines.filter((line) => line.includes(secret))).toEqual([]);
      expect(sip.filter((entry) => entry.includes(secret))).toEqual([]);
      for (const file of filesUnder(dataDir)) expect(readFileSync(file).includes(secret), file).toBe(false);
    }
    // The digest responses themselves are redacted in what the UI sees.
    expect(sip.filter((entry) => /response=\\"[0-9a-f]{32}\\"/.test(entry))).toEqual([]);
  }, 60_000);
});
