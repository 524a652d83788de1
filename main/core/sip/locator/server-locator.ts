/**
 * RFC 3263 §4 "Client Usage": from a SIP or SIPS URI to the ordered list of (transport, address,
 * port) a request is sent to, the next one being tried when one fails (§4.3).
 */
import { isIP } from 'node:net';
import type { Destination } from './destination.js';
import { destinationKey } from './destination.js';
import type { DestinationBlocklist } from './destination-blocklist.js';
import type { AddressRecord, DnsError, DnsRecordType, DnsResolver } from './dns-resolver.js';
import { isNoDataError, toDnsError } from './dns-resolver.js';
import { LocatorError } from './locator-error.js';
import type { NaptrChoice } from './naptr-selection.js';
import { selectNaptr } from './naptr-selection.js';
import type { AddressFamily, ResolvedTargetName, SipTarget } from './sip-target.js';
import { targetName } from './sip-target.js';
import type { RandomSource } from './srv-ordering.js';
import { orderSrv } from './srv-ordering.js';
import type { TransportProtocol } from './transport-protocol.js';
import { ALL_TRANSPORTS, defaultPort, srvPrefix } from './transport-protocol.js';

export interface ServerLocatorOptions {
  readonly resolver: DnsResolver;
  /** What the phone can speak (default udp, tcp, tls); the rest is never chosen (RFC 3263 §4.1). */
  readonly transports?: readonly TransportProtocol[];
  /**
   * Which address families to use and in which order, for every name looked up (default
   * `[4, 6]`: IPv4 first, then IPv6). RFC 6724 would put IPv6 first, but SIP mostly runs over
   * UDP, where no connection attempt reveals a dead path: a broken IPv6 route — still common
   * behind home routers and VPNs — would cost a full Timer B/F (32 s, RFC 3261 §17.1) before
   * failing over, and a dual-stack server is reachable over IPv4 in practice everywhere. Put 6
   * first on networks known to route IPv6; leave a family out to never use it.
   */
  readonly addressFamilies?: readonly AddressFamily[];
  /** RFC 2782's uniform random number in [0, 1) for SRV weights (default `Math.random`). */
  readonly random?: RandomSource;
  /** Recently failed destinations to move aside (RFC 3263 §4.3); none when absent. */
  readonly blocklist?: DestinationBlocklist;
}

export interface LocateOptions {
  /** Narrows the transports for this target only, e.g. an account configured for TCP. */
  readonly transports?: readonly TransportProtocol[];
}

/**
 * Most SRV targets followed per RRset. An answer comes from the network and could list hundreds;
 * a request is never going to fail over through more than a handful anyway.
 */
const MAX_SRV_TARGETS = 16;

/** RFC 3263 §4.1 with no NAPTR records: the SRV services asked, best first. */
const SRV_PREFERENCE: readonly TransportProtocol[] = ['tls', 'tcp', 'udp'];

/** The state of one location: what went wrong on the way, reported only if nothing is found. */
class Attempt {
  readonly failures: DnsError[] = [];
  /** Some SRV RRset existed, even if only to say "." — then A/AAAA is not tried (RFC 3263 §4.2). */
  srvFound = false;
  /** Some SRV RRset was the single Target "." (RFC 2782). */
  unavailable = false;

  /**
   * One query. NODATA and NXDOMAIN are plain "nothing here" and lead to the next step; any other
   * failure is remembered and also leads on, because another step (another transport's SRV, the
   * other address family) may still find a server.
   */
  async ask<R>(rrtype: DnsRecordType, name: string, query: () => Promise<readonly R[]>): Promise<readonly R[]> {
    try {
      return await query();
    } catch (error) {
      if (!isNoDataError(error)) this.failures.push(toDnsError(error, rrtype, name));
      return [];
    }
  }
}

export class ServerLocator {
  private readonly resolver: DnsResolver;
  private readonly transports: readonly TransportProtocol[];
  private readonly families: readonly AddressFamily[];
  private readonly random: RandomSource;
  private readonly blocklist: DestinationBlocklist | undefined;

  constructor(options: ServerLocatorOptions) {
    this.resolver = options.resolver;
    this.transports = options.transports ?? ALL_TRANSPORTS;
    this.families = [...new Set<AddressFamily>(options.addressFamilies ?? [4, 6])];
    if (this.families.length === 0) throw new Error('ServerLocator needs at least one address family');
    this.random = options.random ?? Math.random;
    this.blocklist = options.blocklist;
  }

  /**
   * The destinations for `target`, in the order to try them, without duplicates, and with
   * blocked ones left out while others remain. Throws a `LocatorError` when there is none.
   */
  async locate(target: SipTarget, options: LocateOptions = {}): Promise<Destination[]> {
    const supported: ReadonlySet<TransportProtocol> = new Set(options.transports ?? this.transports);
    const port = target.port;
    if (port !== undefined && !(Number.isInteger(port) && port > 0 && port <= 0xffff)) {
      throw new LocatorError('invalid_target', `port ${port} is out of range`);
    }
    const resolved = targetName(target);
    const explicit = target.transport === undefined ? undefined : explicitTransport(target.transport, target.secure);
    if (explicit !== undefined && !supported.has(explicit)) {
      throw new LocatorError('unsupported_transport', `transport ${explicit} is not supported`);
    }
    const attempt = new Attempt();
    const found = await this.find(attempt, target, resolved, explicit, supported);

    const serverName = uriServerName(target.host);
    const unique = new Map<string, Destination>();
    for (const destination of found) {
      const key = destinationKey(destination);
      if (!unique.has(key)) unique.set(key, serverName === undefined ? destination : { ...destination, serverName });
    }
    const destinations = [...unique.values()];
    if (destinations.length === 0) throw noDestination(resolved.name, attempt);
    return this.blocklist === undefined ? destinations : this.blocklist.filter(destinations);
  }

  /** RFC 3263 §4.1 and §4.2, one branch per way the transport gets chosen. */
  private async find(
    attempt: Attempt,
    target: SipTarget,
    { name, numericFamily }: ResolvedTargetName,
    explicit: TransportProtocol | undefined,
    supported: ReadonlySet<TransportProtocol>,
  ): Promise<Destination[]> {
    if (numericFamily !== undefined) {
      // §4.1: "if no transport protocol is specified, but the TARGET is a numeric IP address, the
      // client SHOULD use UDP for a SIP URI, and TCP for a SIPS URI"; §4.2: it is used as is,
      // with the URI's port or the transport's default. A literal address is used even in a
      // family left out of `addressFamilies`: that option orders DNS answers, it does not
      // overrule an address the user wrote.
      const transport = explicit ?? defaultTransport(target.secure, supported);
      return [{ transport, address: name, port: target.port ?? defaultPort(transport), family: numericFamily }];
    }
    if (target.port !== undefined) {
      // §4.1: a name with an explicit port gets UDP (TCP for SIPS) unless a transport is given;
      // §4.2: "if a port is present in the URI, the client performs an A or AAAA record lookup".
      const transport = explicit ?? defaultTransport(target.secure, supported);
      return this.addresses(attempt, name, transport, target.port);
    }
    if (explicit !== undefined) {
      // §4.2: a transport was given, so no NAPTR: "the client performs an SRV query for that
      // specific transport", _sips for a SIPS URI or for TLS; A/AAAA only if no SRV records.
      const found = await this.viaSrv(attempt, [{ transport: explicit, srvName: `${srvPrefix(explicit)}.${name}` }]);
      return attempt.srvFound ? found : this.addresses(attempt, name, explicit, defaultPort(explicit));
    }

    const naptr = selectNaptr(
      await attempt.ask('NAPTR', name, () => this.resolver.resolveNaptr(name)),
      target.secure,
      supported,
    );
    const [best] = naptr;
    if (best !== undefined) {
      // §4.1: NAPTR gives the server's most preferred transport that we support, and the SRV
      // name to look up; §4.2: "the client performs an SRV query on the record returned", and
      // without SRV records, A/AAAA over that transport.
      const found = await this.viaSrv(attempt, naptr);
      return attempt.srvFound ? found : this.addresses(attempt, name, best.transport, defaultPort(best.transport));
    }

    // §4.1: "If no NAPTR records are found, the client constructs SRV queries for those
    // transport protocols it supports, and does a query for each", _sips for SIPS URIs — TLS
    // first, then TCP (no UDP size limit, RFC 3261 §18.1.1), then UDP. NAPTR records naming no
    // service we can use count as none.
    const services = SRV_PREFERENCE.filter((t) => supported.has(t) && (!target.secure || t === 'tls'));
    const found = await this.viaSrv(
      attempt,
      services.map((transport) => ({ transport, srvName: `${srvPrefix(transport)}.${name}` })),
    );
    if (attempt.srvFound) return found;
    // §4.1: "If no SRV records are found, the client SHOULD use TCP for a SIPS URI, and UDP for a
    // SIP URI"; §4.2: A/AAAA of the domain, at the transport's default port.
    const transport = defaultTransport(target.secure, supported);
    return this.addresses(attempt, name, transport, defaultPort(transport));
  }

  /**
   * §4.2: the SRV RRsets of `choices`, each ordered by RFC 2782, their targets resolved in that
   * order, the RRsets one after the other (§4.3: failing over runs down the whole list).
   */
  private async viaSrv(attempt: Attempt, choices: readonly NaptrChoice[]): Promise<Destination[]> {
    const rrsets = await Promise.all(
      choices.map((c) => attempt.ask('SRV', c.srvName, () => this.resolver.resolveSrv(c.srvName))),
    );
    const pending: Promise<Destination[]>[] = [];
    choices.forEach((choice, i) => {
      const records = rrsets[i] ?? [];
      if (records.length === 0) return;
      attempt.srvFound = true;
      const order = orderSrv(records, this.random);
      if (order.unavailable) attempt.unavailable = true;
      for (const srv of order.targets.slice(0, MAX_SRV_TARGETS)) {
        pending.push(this.addresses(attempt, srv.name, choice.transport, srv.port));
      }
    });
    return (await Promise.all(pending)).flat();
  }

  /** §4.2: the A and AAAA records of `name`, in the configured family order. */
  private async addresses(
    attempt: Attempt,
    name: string,
    transport: TransportProtocol,
    port: number,
  ): Promise<Destination[]> {
    const host = name.endsWith('.') ? name.slice(0, -1) : name;
    const perFamily = await Promise.all(
      this.families.map(async (family) => {
        const records: readonly AddressRecord[] =
          family === 4
            ? await attempt.ask('A', host, () => this.resolver.resolve4(host))
            : await attempt.ask('AAAA', host, () => this.resolver.resolve6(host));
        // Only well-formed addresses of the family asked for: the answer is untrusted input.
        return records
          .filter((r) => isIP(r.address) === family)
          .map((r): Destination => ({ transport, address: r.address, port, family }));
      }),
    );
    return perFamily.flat();
  }
}

/**
 * The URI's transport parameter as a transport to use. In a SIPS URI, `tcp` means TLS over TCP
 * (RFC 3261 §26.2.2, which deprecates `transport=tls`), and UDP cannot carry TLS at all.
 */
function explicitTransport(transport: TransportProtocol, secure: boolean): TransportProtocol {
  if (!secure) return transport;
  if (transport === 'udp') throw new LocatorError('unsupported_transport', 'a SIPS URI cannot be reached over UDP');
  return 'tls';
}

/**
 * RFC 3263 §4.1's default: UDP for a SIP URI ("the only one guaranteed to be interoperable"),
 * TLS over TCP for a SIPS URI. A phone set up without UDP takes TCP, then TLS, rather than fail.
 */
function defaultTransport(secure: boolean, supported: ReadonlySet<TransportProtocol>): TransportProtocol {
  const candidates: readonly TransportProtocol[] = secure ? ['tls'] : ['udp', 'tcp', 'tls'];
  const transport = candidates.find((t) => supported.has(t));
  if (transport === undefined) {
    const why = secure ? 'a SIPS URI needs TLS, which is not supported' : 'no transport is supported';
    throw new LocatorError('unsupported_transport', why);
  }
  return transport;
}

/** The URI's host when it is a domain name (RFC 5922 §4 checks the certificate against it). */
function uriServerName(host: string): string | undefined {
  const lower = host.trim().toLowerCase();
  const unbracketed = lower.startsWith('[') && lower.endsWith(']') ? lower.slice(1, -1) : lower;
  if (isIP(unbracketed) !== 0 || lower.length === 0) return undefined;
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

function noDestination(name: string, attempt: Attempt): LocatorError {
  if (attempt.failures.length > 0) {
    return new LocatorError('dns_failure', `no destination for ${name}: DNS failed`, attempt.failures);
  }
  if (attempt.unavailable) return new LocatorError('service_unavailable', `${name} says SIP is not available there`);
  return new LocatorError('not_found', `no destination for ${name}`);
}
