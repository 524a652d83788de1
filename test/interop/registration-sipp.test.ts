/**
 * Registration against sipp as a registrar (issue "SIP stack II" point 8): 423 Interval Too
 * Brief with Min-Expires, retried with the longer expiry and granted (RFC 3261 §10.2.8).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createResponse } from '../../main/core/sip/messages/create-response.js';
import { Registration, RegistrationState, localContact, type RegistrationStatus } from '../../main/core/sip/registration/index.js';
import { SipEndpoint } from '../../main/core/sip/sip-endpoint.js';
import { ServerLocator, StubDnsResolver } from '../../main/core/sip/locator/index.js';
import { runSipp } from './sipp.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

describe('registration with sipp as registrar', () => {
  it('retries a 423 with Min-Expires and is granted that', async () => {
    const endpoint = new SipEndpoint(
      { receiveRequest: (request, transaction) => transaction.respond(createResponse(request, 480)) },
      { locator: new ServerLocator({ resolver: new StubDnsResolver() }) },
    );
    stops.push(() => endpoint.close());
    await endpoint.listen('udp', '127.0.0.1');
    const sipp = await runSipp({ scenario: 'uas-register-423.xml', transport: 'udp' });
    const statuses: RegistrationStatus[] = [];
    const registration = new Registration({
      aor: 'sip:eve@127.0.0.1',
      registrar: `sip:127.0.0.1:${sipp.port}`,
      contact: localContact(endpoint.transport.listeningPoints(), 'udp', { user: 'eve' }),
      credentials: () => undefined,
      expires: 60,
      sender: endpoint,
      delegate: { onStateChange: (status) => statuses.push(status) },
    });
    stops.push(async () => registration.dispose());
    registration.register();
    await expect.poll(() => statuses.at(-1)?.state, { timeout: 5000 }).toBe(RegistrationState.Registered);
    expect(statuses.at(-1)!.expiresAt! - Date.now()).toBeGreaterThan(1700_000);
    const { code, output } = await sipp.done;
    expect(code, output).toBe(0);
  });
});
