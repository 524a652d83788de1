/**
 * Unsolicited-call protection (issue "SIP stack II" point 7): INVITEs sent straight at the
 * phone by something that is not its proxy — a SIP scanner, played by sipp — never ring. One
 * addressed to no account of ours gets 404; one for our account, when the account takes calls
 * from its proxy only, gets 403. A genuine call through the proxy still rings.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CallView, SipLogEntry } from '../../shared/model.js';
import { StubDnsResolver } from '../../main/core/sip/locator/index.js';
import { testCore } from '../helpers/core.js';
import { runSipp } from './sipp.js';
import { accountFields } from '../helpers/account-fields.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function phone(callsFromProxyOnly: boolean) {
  // The account's domain resolves to an address that is not sipp's source (127.0.0.1).
  const dns = new StubDnsResolver({ A: { 'proxy.lab.test': ['127.0.0.2'] } });
  const { core } = await testCore({ dns });
  const log: SipLogEntry[] = [];
  const incoming: CallView[] = [];
  core.subscribe((name, payload) => {
    if (name === 'log.sip') log.push(payload as SipLogEntry);
    if (name === 'call.incoming') incoming.push(payload as CallView);
  });
  await core.handlers['accounts.add'](accountFields({
    user: 'eve',
    domain: 'proxy.lab.test',
    transport: 'udp',
    registerExpires: 600,
    register: false,
    callsFromProxyOnly,
    enabled: true,
  }));
  const port = core.signalling.endpoint.transport.listeningPoints().find((p) => p.transport === 'udp')!.port;
  const finals = () => log.filter((e) => e.direction === 'out' && /^SIP\/2\.0 [3-6]\d\d /.test(e.firstLine)).map((e) => e.firstLine);
  return { port, incoming, finals };
}

describe('unsolicited INVITEs', () => {
  it('answers a scanner INVITE for a user we do not have with 404, without ringing', async () => {
    const { port, incoming, finals } = await phone(false);
    const sipp = await runSipp({ scenario: 'uac-invite-refused.xml', transport: 'udp', target: `127.0.0.1:${port}`, service: '100' });
    const { code, output } = await sipp.done;
    expect(code, output).toBe(0);
    expect(finals()[0]).toMatch(/^SIP\/2\.0 404 /);
    expect(incoming).toEqual([]);
  });

  it('answers 403 to an INVITE for our account that does not come from its proxy', async () => {
    const { port, incoming, finals } = await phone(true);
    const sipp = await runSipp({ scenario: 'uac-invite-refused.xml', transport: 'udp', target: `127.0.0.1:${port}`, service: 'eve' });
    const { code, output } = await sipp.done;
    expect(code, output).toBe(0);
    expect(finals()[0]).toMatch(/^SIP\/2\.0 403 /);
    expect(incoming).toEqual([]);
  });

  it('rings for the same INVITE when the account accepts calls from anywhere', async () => {
    const { port, incoming } = await phone(false);
    const sipp = await runSipp({ scenario: 'uac-invite-refused.xml', transport: 'udp', target: `127.0.0.1:${port}`, service: 'eve', timeoutSeconds: 3 });
    stops.push(async () => void (await sipp.done));
    await expect.poll(() => incoming.length, { timeout: 3000 }).toBe(1);
    expect(incoming[0]!.remote.uri).toContain('100@');
  });
});
