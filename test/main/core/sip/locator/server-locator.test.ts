import { describe, expect, it } from 'vitest';
import { DestinationBlocklist } from '../../../../../main/core/sip/locator/destination-blocklist.js';
import { LocatorError } from '../../../../../main/core/sip/locator/locator-error.js';
import type { LocatorErrorCode } from '../../../../../main/core/sip/locator/locator-error.js';
import type { LocateOptions, ServerLocatorOptions } from '../../../../../main/core/sip/locator/server-locator.js';
import { ServerLocator } from '../../../../../main/core/sip/locator/server-locator.js';
import type { SipTarget } from '../../../../../main/core/sip/locator/sip-target.js';
import type { StubDnsTable } from '../../../../../main/core/sip/locator/stub-dns-resolver.js';
import { StubDnsResolver } from '../../../../../main/core/sip/locator/stub-dns-resolver.js';
import { FakeClock, naptr, randomSequence, show, srv } from './dns-fixtures.js';

/**
 * example.com as an operator would publish it for RFC 3263: NAPTR → SRV per transport → hosts
 * with A and AAAA records. Scenarios override parts of it.
 */
const HOSTS: StubDnsTable = {
  A: {
    'tls1.example.com': ['192.0.2.11'],
    'tcp1.example.com': ['192.0.2.21'],
    'udp1.example.com': ['192.0.2.31'],
    'udp2.example.com': ['192.0.2.32'],
    'example.com': ['192.0.2.1'],
  },
  AAAA: {
    'tls1.example.com': ['2001:db8::11'],
    'udp1.example.com': ['2001:db8::31'],
    'example.com': ['2001:db8::1'],
  },
};

const SRV_RECORDS: NonNullable<StubDnsTable['SRV']> = {
  '_sips._tcp.example.com': [srv(10, 0, 5061, 'tls1.example.com')],
  '_sip._tcp.example.com': [srv(10, 0, 5060, 'tcp1.example.com')],
  '_sip._udp.example.com': [srv(10, 0, 5060, 'udp1.example.com')],
};

function zone(extra: StubDnsTable = {}): StubDnsTable {
  return {
    NAPTR: { ...extra.NAPTR },
    SRV: { ...SRV_RECORDS, ...extra.SRV },
    A: { ...HOSTS.A, ...extra.A },
    AAAA: { ...HOSTS.AAAA, ...extra.AAAA },
  };
}

const sip = (host: string, more: Partial<SipTarget> = {}): SipTarget => ({ host, secure: false, ...more });
const sips = (host: string, more: Partial<SipTarget> = {}): SipTarget => ({ host, secure: true, ...more });

interface Scenario {
  readonly name: string;
  readonly table: StubDnsTable;
  readonly target: SipTarget;
  readonly options?: Partial<ServerLocatorOptions>;
  readonly locate?: LocateOptions;
  /** The destinations, in order (see `show`). */
  readonly expected?: readonly string[];
  /** Or the failure. */
  readonly error?: LocatorErrorCode;
  /** The lookups made, in order, when the scenario is about which lookups happen. */
  readonly queries?: readonly string[];
}

async function run(scenario: Scenario): Promise<{ result: string[] | LocatorError; queries: readonly string[] }> {
  const resolver = new StubDnsResolver(scenario.table);
  const locator = new ServerLocator({ resolver, ...scenario.options });
  try {
    return { result: show(await locator.locate(scenario.target, scenario.locate)), queries: resolver.queries };
  } catch (error) {
    if (error instanceof LocatorError) return { result: error, queries: resolver.queries };
    throw error;
  }
}

async function check(scenario: Scenario): Promise<void> {
  const { result, queries } = await run(scenario);
  if (scenario.error !== undefined) {
    expect(result).toBeInstanceOf(LocatorError);
    expect(result instanceof LocatorError ? result.code : result).toBe(scenario.error);
  } else {
    expect(result).toEqual(scenario.expected);
  }
  if (scenario.queries !== undefined) expect(queries).toEqual(scenario.queries);
}

describe('ServerLocator: RFC 3263 §4.1 transport selection without DNS-chosen transport', () => {
  const scenarios: Scenario[] = [
    {
      name: '§4.1/§4.2 numeric IPv4, no transport: UDP at 5060, no lookup at all',
      table: zone(),
      target: sip('192.0.2.7'),
      expected: ['udp 192.0.2.7:5060'],
      queries: [],
    },
    {
      name: '§4.1 numeric IPv4 in a SIPS URI: TLS at 5061',
      table: zone(),
      target: sips('192.0.2.7'),
      expected: ['tls 192.0.2.7:5061'],
      queries: [],
    },
    {
      name: '§4.1 numeric IPv4 with transport=tcp and a port',
      table: zone(),
      target: sip('192.0.2.7', { transport: 'tcp', port: 5080 }),
      expected: ['tcp 192.0.2.7:5080'],
      queries: [],
    },
    {
      name: 'RFC 3261 §19.1.1 bracketed IPv6 reference with a port: family 6, brackets dropped',
      table: zone(),
      target: sip('[2001:DB8::7]', { port: 5070 }),
      expected: ['udp [2001:db8::7]:5070'],
      queries: [],
    },
    {
      name: 'IPv6 loopback without brackets',
      table: zone(),
      target: sip('::1'),
      expected: ['udp [::1]:5060'],
      queries: [],
    },
    {
      name: '§4.1 a literal address is used even in a family left out of addressFamilies',
      table: zone(),
      target: sip('[::1]'),
      options: { addressFamilies: [4] },
      expected: ['udp [::1]:5060'],
    },
    {
      name: '§4.1/§4.2 name with an explicit port: UDP, A/AAAA only, no NAPTR or SRV',
      table: zone(),
      target: sip('example.com', { port: 5070 }),
      expected: ['udp 192.0.2.1:5070', 'udp [2001:db8::1]:5070'],
      queries: ['A example.com', 'AAAA example.com'],
    },
    {
      name: '§4.1 name with an explicit port in a SIPS URI: TLS on that port',
      table: zone(),
      target: sips('example.com', { port: 5071 }),
      expected: ['tls 192.0.2.1:5071', 'tls [2001:db8::1]:5071'],
    },
    {
      name: '§4.2 explicit transport, no port: SRV for that transport only, no NAPTR',
      table: zone(),
      target: sip('example.com', { transport: 'tcp' }),
      expected: ['tcp 192.0.2.21:5060'],
      queries: ['SRV _sip._tcp.example.com', 'A tcp1.example.com', 'AAAA tcp1.example.com'],
    },
    {
      name: '§4.2 transport=tls in a SIP URI uses the _sips service',
      table: zone(),
      target: sip('example.com', { transport: 'tls' }),
      expected: ['tls 192.0.2.11:5061', 'tls [2001:db8::11]:5061'],
      queries: ['SRV _sips._tcp.example.com', 'A tls1.example.com', 'AAAA tls1.example.com'],
    },
    {
      name: 'RFC 3261 §26.2.2 transport=tcp in a SIPS URI means TLS over TCP',
      table: zone(),
      target: sips('example.com', { transport: 'tcp' }),
      expected: ['tls 192.0.2.11:5061', 'tls [2001:db8::11]:5061'],
    },
    {
      name: '§4.2 explicit transport without SRV records: A/AAAA at the default port',
      table: zone({ SRV: { '_sip._tcp.example.com': { error: 'ENODATA' } } }),
      target: sip('example.com', { transport: 'tcp' }),
      expected: ['tcp 192.0.2.1:5060', 'tcp [2001:db8::1]:5060'],
    },
    {
      name: '§4.2 explicit transport whose SRV says "." (RFC 2782): no A/AAAA fallback',
      table: zone({ SRV: { '_sip._tcp.example.com': [srv(0, 0, 0, '.')] } }),
      target: sip('example.com', { transport: 'tcp' }),
      error: 'service_unavailable',
    },
    {
      name: '§4.2 explicit transport whose SRV targets have no address: SRV was found, so no A/AAAA fallback',
      table: zone({ SRV: { '_sip._tcp.example.com': [srv(0, 0, 5060, 'gone.example.com')] } }),
      target: sip('example.com', { transport: 'tcp' }),
      error: 'not_found',
      queries: ['SRV _sip._tcp.example.com', 'A gone.example.com', 'AAAA gone.example.com'],
    },
    {
      name: 'a SIPS URI cannot be reached over UDP',
      table: zone(),
      target: sips('example.com', { transport: 'udp' }),
      error: 'unsupported_transport',
      queries: [],
    },
    {
      name: '§4.1 an explicit transport the phone does not support',
      table: zone(),
      target: sip('example.com', { transport: 'tcp' }),
      options: { transports: ['udp'] },
      error: 'unsupported_transport',
    },
    {
      name: '§4.1 a SIPS URI on a phone without TLS',
      table: zone(),
      target: sips('192.0.2.7'),
      locate: { transports: ['udp', 'tcp'] },
      error: 'unsupported_transport',
    },
    {
      name: '§4.1 numeric IP on a phone without UDP: TCP rather than nothing',
      table: zone(),
      target: sip('192.0.2.7'),
      options: { transports: ['tcp', 'tls'] },
      expected: ['tcp 192.0.2.7:5060'],
    },
  ];
  it.each(scenarios)('$name', check);
});

describe('ServerLocator: RFC 3263 §4.1 NAPTR', () => {
  const scenarios: Scenario[] = [
    {
      name: 'RFC 3403 §4.1 lowest Order first, then Preference; a higher Order is never used',
      table: zone({
        NAPTR: {
          'example.com': [
            naptr(20, 10, 'SIPS+D2T', '_sips._tcp.example.com'),
            naptr(10, 20, 'SIP+D2U', '_sip._udp.example.com'),
            naptr(10, 10, 'SIP+D2T', '_sip._tcp.example.com'),
          ],
        },
      }),
      target: sip('example.com'),
      expected: ['tcp 192.0.2.21:5060', 'udp 192.0.2.31:5060', 'udp [2001:db8::31]:5060'],
      queries: [
        'NAPTR example.com',
        'SRV _sip._tcp.example.com',
        'SRV _sip._udp.example.com',
        'A tcp1.example.com',
        'AAAA tcp1.example.com',
        'A udp1.example.com',
        'AAAA udp1.example.com',
      ],
    },
    {
      name: 'services the phone does not speak (SCTP, WebSocket, unknown) are skipped',
      table: zone({
        NAPTR: {
          'example.com': [
            naptr(10, 10, 'SIP+D2S', '_sip._sctp.example.com'),
            naptr(10, 20, 'SIP+D2W', '_sip._ws.example.com'),
            naptr(10, 30, 'E2U+sip', '_sip._x.example.com'),
            naptr(10, 40, 'SIP+D2U', '_sip._udp.example.com'),
          ],
        },
      }),
      target: sip('example.com'),
      expected: ['udp 192.0.2.31:5060', 'udp [2001:db8::31]:5060'],
    },
    {
      name: '§4.1 transports not supported by the phone are discarded before Order is applied',
      table: zone({
        NAPTR: {
          'example.com': [
            naptr(10, 10, 'SIP+D2T', '_sip._tcp.example.com'),
            naptr(20, 10, 'SIP+D2U', '_sip._udp.example.com'),
          ],
        },
      }),
      target: sip('example.com'),
      options: { transports: ['udp'] },
      expected: ['udp 192.0.2.31:5060', 'udp [2001:db8::31]:5060'],
    },
    {
      name: '§4.1 a SIPS URI uses only SIPS+ services, however good the others',
      table: zone({
        NAPTR: {
          'example.com': [
            naptr(10, 10, 'SIP+D2U', '_sip._udp.example.com'),
            naptr(20, 10, 'SIPS+D2T', '_sips._tcp.example.com'),
          ],
        },
      }),
      target: sips('example.com'),
      expected: ['tls 192.0.2.11:5061', 'tls [2001:db8::11]:5061'],
    },
    {
      name: '§4.1 a SIP URI keeps SIPS+D2T when the phone supports TLS',
      table: zone({
        NAPTR: {
          'example.com': [naptr(10, 10, 'SIPS+D2T', '_sips._tcp.example.com'), naptr(10, 20, 'SIP+D2U', '_sip._udp.example.com')],
        },
      }),
      target: sip('example.com'),
      expected: ['tls 192.0.2.11:5061', 'tls [2001:db8::11]:5061', 'udp 192.0.2.31:5060', 'udp [2001:db8::31]:5060'],
    },
    {
      name: 'the replacement is followed even when it is not the conventional _service._proto name',
      table: zone({
        NAPTR: { 'example.com': [naptr(10, 10, 'SIP+D2U', 'sip-udp.example.net.')] },
        SRV: { 'sip-udp.example.net': [srv(0, 0, 5090, 'udp2.example.com.')] },
      }),
      target: sip('example.com'),
      expected: ['udp 192.0.2.32:5090'],
    },
    {
      name: '§4.1 NAPTR records none of which is usable count as none: SRV queries follow',
      table: zone({ NAPTR: { 'example.com': [naptr(10, 10, 'SIP+D2S', '_sip._sctp.example.com')] } }),
      target: sip('example.com'),
      options: { transports: ['udp'] },
      expected: ['udp 192.0.2.31:5060', 'udp [2001:db8::31]:5060'],
      queries: ['NAPTR example.com', 'SRV _sip._udp.example.com', 'A udp1.example.com', 'AAAA udp1.example.com'],
    },
    {
      name: '§4.2 NAPTR chose a transport but its SRV name has no records: A/AAAA of the domain over it',
      table: zone({ NAPTR: { 'example.com': [naptr(10, 10, 'SIP+D2T', '_sip._tcp.nowhere.example.com')] } }),
      target: sip('example.com'),
      expected: ['tcp 192.0.2.1:5060', 'tcp [2001:db8::1]:5060'],
    },
  ];
  it.each(scenarios)('$name', check);
});

describe('ServerLocator: RFC 3263 §4.1 SRV without NAPTR, and the A/AAAA fallback', () => {
  const scenarios: Scenario[] = [
    {
      name: '§4.1 one SRV query per supported transport: _sips._tcp, _sip._tcp, _sip._udp, in that order',
      table: zone(),
      target: sip('example.com'),
      expected: [
        'tls 192.0.2.11:5061',
        'tls [2001:db8::11]:5061',
        'tcp 192.0.2.21:5060',
        'udp 192.0.2.31:5060',
        'udp [2001:db8::31]:5060',
      ],
    },
    {
      name: '§4.1 a SIPS URI queries _sips._tcp only',
      table: zone(),
      target: sips('example.com'),
      expected: ['tls 192.0.2.11:5061', 'tls [2001:db8::11]:5061'],
      queries: ['NAPTR example.com', 'SRV _sips._tcp.example.com', 'A tls1.example.com', 'AAAA tls1.example.com'],
    },
    {
      name: '§4.1 only the supported transports are queried',
      table: zone(),
      target: sip('example.com'),
      locate: { transports: ['udp'] },
      expected: ['udp 192.0.2.31:5060', 'udp [2001:db8::31]:5060'],
      queries: ['NAPTR example.com', 'SRV _sip._udp.example.com', 'A udp1.example.com', 'AAAA udp1.example.com'],
    },
    {
      name: '§4.1/§4.2 no NAPTR and no SRV: A then AAAA of the domain, UDP at 5060',
      table: { A: { 'example.org': ['198.51.100.1', '198.51.100.2'] }, AAAA: { 'example.org': ['2001:db8:1::1'] } },
      target: sip('example.org'),
      expected: ['udp 198.51.100.1:5060', 'udp 198.51.100.2:5060', 'udp [2001:db8:1::1]:5060'],
      queries: [
        'NAPTR example.org',
        'SRV _sips._tcp.example.org',
        'SRV _sip._tcp.example.org',
        'SRV _sip._udp.example.org',
        'A example.org',
        'AAAA example.org',
      ],
    },
    {
      name: '§4.1 no NAPTR and no SRV in a SIPS URI: TLS at 5061',
      table: { A: { 'example.org': ['198.51.100.1'] } },
      target: sips('example.org'),
      expected: ['tls 198.51.100.1:5061'],
    },
    {
      name: '§4.2 an SRV target resolves to nothing: no A/AAAA fallback, since SRV records were found',
      table: { SRV: { '_sip._udp.example.org': [srv(0, 0, 5060, 'gone.example.org')] }, A: { 'example.org': ['198.51.100.1'] } },
      target: sip('example.org'),
      error: 'not_found',
    },
    {
      name: 'RFC 2782 Target "." only: the service is decidedly not available, no A/AAAA fallback',
      table: { SRV: { '_sip._udp.example.org': [srv(0, 0, 0, '.')] }, A: { 'example.org': ['198.51.100.1'] } },
      target: sip('example.org'),
      error: 'service_unavailable',
    },
    {
      name: 'RFC 2782 node:dns reports Target "." as ""',
      table: { SRV: { '_sips._tcp.example.org': [srv(0, 0, 0, '')] }, A: { 'example.org': ['198.51.100.1'] } },
      target: sips('example.org'),
      error: 'service_unavailable',
    },
    {
      name: 'RFC 2782 "." for one transport, records for another: the other is used',
      table: {
        SRV: { '_sips._tcp.example.org': [srv(0, 0, 0, '.')], '_sip._udp.example.org': [srv(0, 0, 5062, 'pbx.example.org')] },
        A: { 'pbx.example.org': ['198.51.100.9'] },
      },
      target: sip('example.org'),
      expected: ['udp 198.51.100.9:5062'],
    },
  ];
  it.each(scenarios)('$name', check);
});

describe('ServerLocator: RFC 3263 §4.2 SRV order and addresses', () => {
  const pool: StubDnsTable = {
    SRV: {
      '_sip._udp.example.net': [
        srv(20, 0, 5060, 'backup.example.net'),
        srv(10, 30, 5060, 'b.example.net'),
        srv(10, 70, 5060, 'a.example.net'),
      ],
    },
    A: {
      'a.example.net': ['203.0.113.1'],
      'b.example.net': ['203.0.113.2'],
      'backup.example.net': ['203.0.113.9'],
    },
    AAAA: { 'a.example.net': ['2001:db8:2::1'] },
  };
  const scenarios: Scenario[] = [
    {
      // Priority 10 holds b (30) then a (70): running sums 30, 100. 0.2 × 101 → 20 ≤ 30 picks b.
      name: 'RFC 2782 a low draw picks the first-listed target of the best priority; backup last',
      table: pool,
      target: sip('example.net', { transport: 'udp' }),
      options: { random: randomSequence(0.2) },
      expected: ['udp 203.0.113.2:5060', 'udp 203.0.113.1:5060', 'udp [2001:db8:2::1]:5060', 'udp 203.0.113.9:5060'],
    },
    {
      // 0.5 × 101 → 50 > 30, so a (running sum 100) is picked first.
      name: 'RFC 2782 a higher draw picks the heavier target first',
      table: pool,
      target: sip('example.net', { transport: 'udp' }),
      options: { random: randomSequence(0.5) },
      expected: ['udp 203.0.113.1:5060', 'udp [2001:db8:2::1]:5060', 'udp 203.0.113.2:5060', 'udp 203.0.113.9:5060'],
    },
    {
      name: 'IPv6 first when configured so',
      table: pool,
      target: sip('example.net', { transport: 'udp' }),
      options: { random: randomSequence(0.5), addressFamilies: [6, 4] },
      expected: ['udp [2001:db8:2::1]:5060', 'udp 203.0.113.1:5060', 'udp 203.0.113.2:5060', 'udp 203.0.113.9:5060'],
    },
    {
      name: 'IPv4 only: no AAAA lookups at all',
      table: pool,
      target: sip('example.net', { transport: 'udp' }),
      options: { random: randomSequence(0.5), addressFamilies: [4] },
      expected: ['udp 203.0.113.1:5060', 'udp 203.0.113.2:5060', 'udp 203.0.113.9:5060'],
      queries: ['SRV _sip._udp.example.net', 'A a.example.net', 'A b.example.net', 'A backup.example.net'],
    },
    {
      name: 'two SRV targets with the same address give one destination',
      table: {
        SRV: { '_sip._udp.example.net': [srv(10, 0, 5060, 'a.example.net'), srv(20, 0, 5060, 'alias.example.net')] },
        A: { 'a.example.net': ['203.0.113.1'], 'alias.example.net': ['203.0.113.1'] },
      },
      target: sip('example.net', { transport: 'udp' }),
      expected: ['udp 203.0.113.1:5060'],
    },
    {
      name: 'addresses of the wrong family or malformed in an answer are dropped',
      table: { A: { 'example.net': ['203.0.113.1', '2001:db8::1', 'not-an-address'] } },
      target: sip('example.net', { port: 5060 }),
      expected: ['udp 203.0.113.1:5060'],
    },
  ];
  it.each(scenarios)('$name', check);
});

describe('ServerLocator: maddr (RFC 3263 §4: TARGET is maddr when present)', () => {
  it('a numeric maddr replaces the host and needs no lookup', async () => {
    await check({
      name: 'numeric maddr',
      table: zone(),
      target: sip('example.com', { maddr: '198.51.100.50' }),
      expected: ['udp 198.51.100.50:5060'],
      queries: [],
    });
  });

  it('a domain maddr is what NAPTR, SRV and A/AAAA are asked about', async () => {
    await check({
      name: 'domain maddr',
      table: { SRV: { '_sip._udp.proxy.example.org': [srv(0, 0, 5070, 'p1.example.org')] }, A: { 'p1.example.org': ['198.51.100.60'] } },
      target: sip('example.com', { maddr: 'proxy.example.org' }),
      locate: { transports: ['udp'] },
      expected: ['udp 198.51.100.60:5070'],
      queries: ['NAPTR proxy.example.org', 'SRV _sip._udp.proxy.example.org', 'A p1.example.org', 'AAAA p1.example.org'],
    });
  });

  it('the TLS server name stays the URI host (RFC 5922 §4), not maddr nor the SRV target', async () => {
    const resolver = new StubDnsResolver(zone());
    const locator = new ServerLocator({ resolver });
    const [first] = await locator.locate(sips('Example.COM.', { maddr: '192.0.2.11' }));
    expect(first).toEqual({ transport: 'tls', address: '192.0.2.11', port: 5061, family: 4, serverName: 'example.com' });
    const [viaSrv] = await locator.locate(sips('example.com'));
    expect(viaSrv?.serverName).toBe('example.com');
    const [literal] = await locator.locate(sips('192.0.2.11'));
    expect(literal).not.toHaveProperty('serverName');
  });
});

describe('ServerLocator: DNS errors versus no data', () => {
  const scenarios: Scenario[] = [
    {
      name: 'NXDOMAIN everywhere is not_found',
      table: {},
      target: sip('nowhere.example'),
      error: 'not_found',
    },
    {
      name: 'a NAPTR SERVFAIL does not stop the SRV step from succeeding',
      table: zone({ NAPTR: { 'example.com': { error: 'ESERVFAIL' } } }),
      target: sip('example.com'),
      locate: { transports: ['tcp'] },
      expected: ['tcp 192.0.2.21:5060'],
    },
    {
      name: 'an AAAA timeout still leaves the A answer',
      table: { A: { 'example.org': ['198.51.100.1'] }, AAAA: { 'example.org': { error: 'ETIMEOUT' } } },
      target: sip('example.org', { port: 5060 }),
      expected: ['udp 198.51.100.1:5060'],
    },
    {
      name: 'an SRV SERVFAIL falls back to A/AAAA like no records would',
      table: { SRV: { '_sip._udp.example.org': { error: 'ESERVFAIL' } }, A: { 'example.org': ['198.51.100.1'] } },
      target: sip('example.org', { transport: 'udp' }),
      expected: ['udp 198.51.100.1:5060'],
    },
    {
      name: 'nothing found and a lookup failed: dns_failure, not not_found',
      table: { SRV: { '_sip._udp.example.org': { error: 'ESERVFAIL' } }, A: { 'example.org': { error: 'ETIMEOUT' } } },
      target: sip('example.org', { transport: 'udp' }),
      error: 'dns_failure',
    },
    {
      name: 'a failure beats "." when nothing was found: a retry may succeed',
      table: { SRV: { '_sip._udp.example.org': [srv(0, 0, 0, '.')], '_sip._tcp.example.org': { error: 'EREFUSED' } } },
      target: sip('example.org'),
      locate: { transports: ['udp', 'tcp'] },
      error: 'dns_failure',
    },
  ];
  it.each(scenarios)('$name', check);

  it('reports every failed lookup with its code', async () => {
    const resolver = new StubDnsResolver({
      NAPTR: { 'example.org': { error: 'ESERVFAIL' } },
      SRV: { '_sip._udp.example.org': { error: 'ETIMEOUT' } },
      A: { 'example.org': { error: 'ETIMEOUT' } },
    });
    const locator = new ServerLocator({ resolver, transports: ['udp'], addressFamilies: [4] });
    const error = await locator.locate(sip('example.org')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LocatorError);
    const failure = error as LocatorError;
    expect(failure.name).toBe('LocatorError');
    expect(failure.code).toBe('dns_failure');
    expect(failure.failures.map((f) => `${f.rrtype} ${f.hostname} ${f.code}`)).toEqual([
      'NAPTR example.org ESERVFAIL',
      'SRV _sip._udp.example.org ETIMEOUT',
      'A example.org ETIMEOUT',
    ]);
    expect(failure.cause).toBe(failure.failures[0]);
  });

  it('rejects targets that are no host and ports out of range, before any lookup', async () => {
    const resolver = new StubDnsResolver(zone());
    const locator = new ServerLocator({ resolver });
    const targets = [
      sip(''),
      sip('exa mple.com'),
      sip('[example.com]'),
      sip('[192.0.2.1]'),
      sip('-bad.example.com'),
      sip('example.com', { port: 0 }),
      sip('example.com', { port: 65536 }),
      sip('example.com', { port: 50.5 }),
    ];
    for (const target of targets) {
      await expect(locator.locate(target)).rejects.toMatchObject({ name: 'LocatorError', code: 'invalid_target' });
    }
    expect(resolver.queries).toEqual([]);
  });
});

describe('ServerLocator: failover (RFC 3263 §4.3)', () => {
  it('skips a destination marked failed while others remain, and uses it again once the block ends', async () => {
    const clock = new FakeClock();
    const blocklist = new DestinationBlocklist({ now: clock.now });
    const locator = new ServerLocator({ resolver: new StubDnsResolver(zone()), blocklist, transports: ['udp'] });
    const target = sip('example.com');
    const first = await locator.locate(target);
    expect(show(first)).toEqual(['udp 192.0.2.31:5060', 'udp [2001:db8::31]:5060']);

    // The first destination answered 503 with Retry-After: 120.
    blocklist.block(first[0]!, 120);
    expect(show(await locator.locate(target))).toEqual(['udp [2001:db8::31]:5060']);

    clock.advance(121);
    expect(show(await locator.locate(target))).toEqual(['udp 192.0.2.31:5060', 'udp [2001:db8::31]:5060']);
  });

  it('when every destination is blocked, returns them all, the soonest to recover first', async () => {
    const clock = new FakeClock();
    const blocklist = new DestinationBlocklist({ now: clock.now });
    const locator = new ServerLocator({ resolver: new StubDnsResolver(zone()), blocklist, transports: ['udp'] });
    blocklist.block({ transport: 'udp', address: '192.0.2.31', port: 5060 }, 300);
    blocklist.block({ transport: 'udp', address: '2001:db8::31', port: 5060 }, 30);
    expect(show(await locator.locate(sip('example.com')))).toEqual(['udp [2001:db8::31]:5060', 'udp 192.0.2.31:5060']);
  });

  it('a block is per transport: the same address over another transport is still tried', async () => {
    const blocklist = new DestinationBlocklist();
    const locator = new ServerLocator({ resolver: new StubDnsResolver(zone()), blocklist });
    blocklist.block({ transport: 'udp', address: '192.0.2.7', port: 5060 });
    expect(show(await locator.locate(sip('192.0.2.7', { transport: 'tcp' })))).toEqual(['tcp 192.0.2.7:5060']);
    expect(blocklist.isBlocked({ transport: 'udp', address: '192.0.2.7', port: 5060 })).toBe(true);
  });
});
