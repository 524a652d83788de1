/** Our Contact from the endpoint's listening points. */
import { describe, expect, it } from 'vitest';
import { localContact } from '../../../../../main/core/sip/registration/index.js';

describe('localContact', () => {
  const points = [
    { transport: 'udp' as const, address: '192.0.2.4', port: 5062 },
    { transport: 'tcp' as const, address: '0.0.0.0', port: 5063 },
  ];

  it('UDP without a transport parameter, others with one', () => {
    expect(localContact(points, 'udp', { user: 'eve' }).toString()).toBe('sip:eve@192.0.2.4:5062');
    expect(localContact(points, 'tcp', { user: 'eve', host: '192.0.2.4' }).toString()).toBe('sip:eve@192.0.2.4:5063;transport=tcp');
  });

  it('refuses a wildcard address or a transport not listened on', () => {
    expect(() => localContact(points, 'tcp')).toThrow(RangeError);
    expect(() => localContact(points, 'tls')).toThrow(RangeError);
  });
});
