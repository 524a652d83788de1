/** The RTP port range from --config: offers name a port inside it; a too-small range is refused. */
import { describe, expect, it } from 'vitest';
import { ConfigFile, type SipLogEntry } from '../../../../shared/model.js';
import { accountFields } from '../../../helpers/account-fields.js';
import { testCore, udpPort } from '../../../helpers/core.js';


describe('RTP port range', () => {
  it('offers RTP on an even port inside the configured range', async () => {
    const bob = await testCore();
    const alice = await testCore({
      config: { sip: { listen: [{ transport: 'udp', address: '127.0.0.1' }] }, media: { rtpPortMin: 41000, rtpPortMax: 41100 } },
    });
    const sent: SipLogEntry[] = [];
    alice.core.subscribe((name, payload) => {
      if (name === 'log.sip') sent.push(payload as SipLogEntry);
    });
    await alice.core.handlers['accounts.add'](accountFields({ user: 'alice', domain: `127.0.0.1:${udpPort(bob.core)}`, register: false, srtp: 'off' }));
    // bob has no account: the call is refused (404) after the INVITE went out — which is all we look at.
    await alice.core.handlers['calls.dial']({ target: 'bob' });
    await expect.poll(() => sent.find((e) => e.direction === 'out' && e.firstLine.startsWith('INVITE')), { timeout: 3000 }).toBeDefined();
    const port = Number(/^m=audio (\d+) /m.exec(sent.find((e) => e.firstLine.startsWith('INVITE'))!.text)![1]);
    expect(port).toBeGreaterThanOrEqual(41000);
    expect(port).toBeLessThanOrEqual(41100);
    expect(port % 2).toBe(0);
  });

  it('refuses a range too small to hold calls, naming the field', () => {
    const parsed = ConfigFile.safeParse({ media: { rtpPortMin: 20000, rtpPortMax: 20004 } });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(['media', 'rtpPortMax']);
  });
});
