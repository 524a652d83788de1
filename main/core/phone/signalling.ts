/**
 * The phone's SIP endpoint and what it tells the user about the wire: every message sent or
 * received becomes a `log.sip` event (credentials already redacted by the transport), and
 * malformed input is counted and logged with its reason (RFC 3261 §18.3; the transport has
 * already answered 400 or dropped it).
 *
 * Flows (RFC 5626 §4.4): CRLF keep-alive is on for the TCP connections we open, and a flow that
 * fails (no pong, closed or reset by the server) is announced to `onFlowFailed` listeners —
 * the registrations over it register again (§4.5).
 */
import type { RateLimit } from '../sip/source-rate-limiter.js';
import type { ListenPoint, SipLogEntry } from '../../../shared/model.js';
import type { EventHub } from '../events.js';
import type { Logger } from '../log.js';
import {
  CachingDnsResolver,
  DestinationBlocklist,
  NodeDnsResolver,
  ServerLocator,
  type DnsResolver,
} from '../sip/locator/index.js';
import { createResponse } from '../sip/messages/create-response.js';
import type { FlowRecoveryOptions } from '../sip/registration/index.js';
import { SipEndpoint, sipTargetOf, type EndpointDelegate } from '../sip/sip-endpoint.js';
import { hostPort, type Flow, type KeepAliveOptions, type SipLogEntry as WireLogEntry } from '../sip/transport/index.js';
import type { SipUri } from '../sip/uri/index.js';

export type UserAgentRole = Pick<EndpointDelegate, 'receiveRequest' | 'receiveAck' | 'receiveStrayResponse'>;

export interface SignallingOptions {
  /**
   * CRLF keep-alive on the TCP/TLS connections we open (RFC 5626 §4.4.1), or false for none.
   * Default `defaultKeepAlive`: a ping every 96–120 s, the pong due within 10 s.
   */
  readonly keepAlive?: KeepAliveOptions | false;
  /**
   * A connection nobody holds closes after this long without a message. Default 120 s; the
   * connection a registration uses is held (retained) while registered, whatever this is.
   */
  readonly idleTimeoutMs?: number;
  /**
   * RFC 5626 §4.5 backoff before registering again after a failure: min(max, base · 2^failures),
   * 50–100 % of it. Default base 30 s, max 1800 s (`defaultFlowRecovery`).
   */
  readonly flowRecovery?: Partial<FlowRecoveryOptions>;
  /** New requests per source address (default `defaultRateLimit`: 50/s, bursts of 200), or false. */
  readonly rateLimit?: RateLimit | false;
}

/**
 * RFC 5626 §4.4.1: for TCP/TLS "the UA ... send[s] keep-alives at a random interval between 80
 * and 100 percent of" 120 s (the server-recommended value, absent Flow-Timer), and the flow has
 * failed when no pong comes within 10 s.
 */
export const defaultKeepAlive: KeepAliveOptions = { minIntervalMs: 96_000, intervalMs: 120_000, pongTimeoutMs: 10_000 };

/** The contract bounds the text of one entry; longer messages are cut with a marker. */
const maxLogText = 65536;
const maxFirstLine = 1024;

export class Signalling {
  readonly endpoint: SipEndpoint;
  private readonly locator: ServerLocator;
  /**
   * The RFC 5626 §4.5 backoff, read by each registration as it starts (so a change applies to
   * registrations started afterwards). From `SignallingOptions.flowRecovery`.
   */
  readonly flowRecovery: Partial<FlowRecoveryOptions>;
  private readonly flowFailedListeners = new Set<(flow: Flow) => void>();
  private seq = 0;
  private malformed = 0;

  constructor(
    private readonly events: EventHub,
    private readonly log: Logger,
    /** DNS for RFC 3263 server location; tests pass a stub (no test may reach real DNS). */
    resolver: DnsResolver = new NodeDnsResolver(),
    options: SignallingOptions = {},
  ) {
    this.flowRecovery = options.flowRecovery ?? {};
    const keepAlive = options.keepAlive ?? defaultKeepAlive;
    const blocklist = new DestinationBlocklist();
    const locator = new ServerLocator({ resolver: new CachingDnsResolver(resolver), blocklist });
    this.locator = locator;
    this.endpoint = new SipEndpoint({
      // Until the user agent takes over, a request nobody handles is answered 480 (§21.4.18).
      receiveRequest: (request, transaction) => this.userAgent.receiveRequest(request, transaction),
      receiveAck: (ack, source) => this.userAgent.receiveAck?.(ack, source),
      receiveStrayResponse: (response, source) => this.userAgent.receiveStrayResponse?.(response, source),
      onSipLog: (entry) => this.events.emit('log.sip', this.logEntry(entry)),
      onMalformed: (info) => {
        this.malformed = info.count;
        this.log.warn('malformed SIP input', {
          from: hostPort(info.flow.remoteAddress, info.flow.remotePort),
          transport: info.flow.transport,
          reason: info.reason,
          action: info.action,
          count: info.count,
        });
      },
      onFlowFailed: (flow) => {
        this.log.info('SIP flow failed', { transport: flow.transport, to: hostPort(flow.remoteAddress, flow.remotePort) });
        for (const listener of this.flowFailedListeners) listener(flow);
      },
    }, {
      locator,
      blocklist,
      ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
      transport: {
        ...(keepAlive === false ? {} : { keepAlive }),
        ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs }),
      },
    });
  }

  private userAgent: UserAgentRole = {
    receiveRequest: (request, transaction) => transaction.respond(createResponse(request, 480)),
  };

  /** Who answers requests that start a server transaction, and takes ACKs and stray 2xx. */
  attachUserAgent(userAgent: UserAgentRole): void {
    this.userAgent = userAgent;
  }

  /** Calls `listener` with every flow that fails (RFC 5626 §4.4); returns the unsubscribe. */
  onFlowFailed(listener: (flow: Flow) => void): () => void {
    this.flowFailedListeners.add(listener);
    return () => this.flowFailedListeners.delete(listener);
  }

  /**
   * The open connections a request to `next hop` (a SIP URI with its transport) would go over
   * now: for each destination RFC 3263 gives for it, the connection the transport reuses to it
   * (none over UDP). Empty when it cannot be located.
   */
  async flowsToward(nextHop: SipUri): Promise<Flow[]> {
    let destinations;
    try {
      destinations = await this.locator.locate(sipTargetOf(nextHop));
    } catch {
      return [];
    }
    return destinations.flatMap((d) => this.endpoint.transport.flowTo(d) ?? []);
  }

  /** How many malformed messages (or streams) have been refused so far. */
  get malformedCount(): number {
    return this.malformed;
  }

  /** The first address RFC 3263 gives for a host (for choosing our source address), if any. */
  async firstAddress(host: string, transport: 'udp' | 'tcp'): Promise<string | undefined> {
    try {
      return (await this.locator.locate({ host, transport, secure: false }))[0]?.address;
    } catch {
      return undefined;
    }
  }

  /** Every address RFC 3263 gives for a host over the transports we use (empty if none). */
  async addressesOf(host: string): Promise<Set<string>> {
    const found = new Set<string>();
    for (const transport of ['udp', 'tcp'] as const) {
      try {
        for (const destination of await this.locator.locate({ host, transport, secure: false })) found.add(destination.address);
      } catch {
        // Not reachable over this transport: other transports may still name it.
      }
    }
    return found;
  }

  /** Whether the endpoint has a listening point for this transport. */
  listensOn(transport: 'udp' | 'tcp' | 'tls'): boolean {
    return this.endpoint.transport.listeningPoints().some((p) => p.transport === transport);
  }

  async listen(points: readonly ListenPoint[]): Promise<void> {
    for (const point of points) {
      const bound = await this.endpoint.listen(point.transport, point.address, point.port);
      this.log.info('listening for SIP', { transport: bound.transport, at: hostPort(bound.address, bound.port) });
    }
  }

  close(): Promise<void> {
    return this.endpoint.close();
  }

  private logEntry(entry: WireLogEntry): SipLogEntry {
    const callId = /^(?:call-id|i)[ \t]*:[ \t]*(\S{1,256})/im.exec(entry.text)?.[1];
    return {
      seq: this.seq++,
      at: Date.now(),
      direction: entry.direction,
      transport: entry.transport,
      local: hostPort(entry.localAddress, entry.localPort),
      remote: hostPort(entry.remoteAddress, entry.remotePort),
      ...(callId === undefined ? {} : { callId }),
      firstLine: entry.firstLine.slice(0, maxFirstLine),
      text: entry.text.length > maxLogText ? `${entry.text.slice(0, maxLogText - 20)}\n[… cut]` : entry.text,
      ...(entry.error === undefined ? {} : { error: entry.error.slice(0, 256) }),
    };
  }
}
