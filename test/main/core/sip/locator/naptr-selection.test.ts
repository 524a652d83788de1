import { describe, expect, it } from 'vitest';
import type { NaptrRecord } from '../../../../../main/core/sip/locator/dns-resolver.js';
import { selectNaptr } from '../../../../../main/core/sip/locator/naptr-selection.js';
import type { TransportProtocol } from '../../../../../main/core/sip/locator/transport-protocol.js';
import { naptr } from './dns-fixtures.js';

const ALL: ReadonlySet<TransportProtocol> = new Set(['udp', 'tcp', 'tls']);

/** RFC 3263 §4.1's example zone, records given out of order as DNS may. */
const EXAMPLE: readonly NaptrRecord[] = [
  naptr(90, 50, 'SIP+D2T', '_sip._tcp.example.com'),
  naptr(50, 50, 'SIPS+D2T', '_sips._tcp.example.com'),
  naptr(90, 40, 'SIP+D2U', '_sip._udp.example.com'),
];

describe('selectNaptr (RFC 3263 §4.1, RFC 3403 §4.1)', () => {
  const cases: {
    name: string;
    records: readonly NaptrRecord[];
    secure: boolean;
    supported?: readonly TransportProtocol[];
    expected: string[];
  }[] = [
    {
      name: 'RFC 3263 §4.1 example: SIPS+D2T has the lowest Order and wins alone',
      records: EXAMPLE,
      secure: false,
      expected: ['tls _sips._tcp.example.com'],
    },
    {
      name: 'without TLS support the next Order is used, by Preference',
      records: EXAMPLE,
      secure: false,
      supported: ['udp', 'tcp'],
      expected: ['udp _sip._udp.example.com', 'tcp _sip._tcp.example.com'],
    },
    {
      name: 'a SIPS URI discards SIP+ services even at a better Order',
      records: [naptr(10, 10, 'SIP+D2U', '_sip._udp.example.com'), naptr(20, 10, 'SIPS+D2T', '_sips._tcp.example.com')],
      secure: true,
      expected: ['tls _sips._tcp.example.com'],
    },
    {
      name: 'a SIPS URI on a phone without TLS has nothing to use',
      records: EXAMPLE,
      secure: true,
      supported: ['udp', 'tcp'],
      expected: [],
    },
    {
      name: 'unsupported and unknown services are discarded (D2S, D2W, E2U)',
      records: [
        naptr(10, 10, 'SIP+D2S', '_sip._sctp.example.com'),
        naptr(10, 10, 'SIPS+D2W', '_sips._ws.example.com'),
        naptr(10, 10, 'E2U+sip', '!^.*$!sip:info@example.com!'),
        naptr(20, 10, 'SIP+D2U', '_sip._udp.example.com'),
      ],
      secure: false,
      expected: ['udp _sip._udp.example.com'],
    },
    {
      name: 'service and flags compare without case; a trailing root dot is dropped',
      records: [naptr(10, 10, 'sip+d2t', '_sip._tcp.example.com.', 'S')],
      secure: false,
      expected: ['tcp _sip._tcp.example.com'],
    },
    {
      name: 'records without the "s" flag, or with "." as replacement, are not SIP records to follow',
      records: [
        naptr(10, 10, 'SIP+D2U', '_sip._udp.example.com', 'a'),
        naptr(10, 20, 'SIP+D2U', '_sip._udp.example.com', ''),
        naptr(10, 30, 'SIP+D2T', '.'),
        naptr(10, 40, 'SIP+D2T', ''),
        naptr(30, 10, 'SIP+D2T', '_sip._tcp.example.com'),
      ],
      secure: false,
      expected: ['tcp _sip._tcp.example.com'],
    },
    {
      name: 'a regexp rewrite is not SIP usage and is discarded',
      records: [{ ...naptr(10, 10, 'SIP+D2U', '.'), regexp: '!^.*$!sip.example.com!' }],
      secure: false,
      expected: [],
    },
    {
      name: 'equal Preference keeps the order DNS gave',
      records: [naptr(10, 10, 'SIP+D2T', 'first.example.com'), naptr(10, 10, 'SIP+D2U', 'second.example.com')],
      secure: false,
      expected: ['tcp first.example.com', 'udp second.example.com'],
    },
    { name: 'no records, nothing to follow', records: [], secure: false, expected: [] },
  ];

  it.each(cases)('$name', ({ records, secure, supported, expected }) => {
    const chosen = selectNaptr(records, secure, supported === undefined ? ALL : new Set(supported));
    expect(chosen.map((c) => `${c.transport} ${c.srvName}`)).toEqual(expected);
  });
});
