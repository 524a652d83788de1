/**
 * One `Registration` per account that wants to be reachable, kept in step with the account's
 * settings, its status announced as `account.state` events. Passwords are read from the
 * SecretStore when a registration starts and kept only in this process's memory.
 *
 * Flows (RFC 5626 §4.4–4.5): once registered over TCP, the connection the REGISTER went over
 * is held open (retained) until the registration ends or moves, so the binding's flow outlives
 * the idle timeout between refreshes; when the transport reports that flow failed (no pong,
 * closed or reset by the server), the registration is told (`flowFailed()`) and registers again
 * after the §4.5 backoff. The flow is found as the transport's open connection to the next
 * hop's destinations (`Signalling.flowsToward`): the one a send to them reuses, which is the
 * one the REGISTER and its 2xx used.
 */
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import type { AccountStatus } from '../../../shared/model.js';
import { PhoneError } from '../../../shared/errors.js';
import type { Flow } from '../sip/transport/index.js';
import { isSipUri, parseUri, type SipUri } from '../sip/uri/index.js';
import type { Logger } from '../log.js';
import { localContact, Registration, type RegistrationStatus } from '../sip/registration/index.js';
import type { StoredAccount } from '../store/accounts-store.js';
import { passwordKey, type SecretStore } from '../store/secret-store.js';
import type { Signalling } from './signalling.js';

export interface RegistrationsDelegate {
  onStatus(status: AccountStatus): void;
}

/** One account's registration and the flows held for it. */
interface ActiveRegistration {
  readonly accountId: string;
  /** The account as it was registered (its settings, for registering again elsewhere). */
  readonly account: StoredAccount;
  /** The Contact bound (our address toward the first hop when it was made). */
  readonly contact: SipUri;
  readonly registration: Registration;
  /** The next hop, `sip:host[:port];transport=…`, as the REGISTER goes to it. */
  readonly nextHop: SipUri;
  /** The flows retained for the binding (RFC 5626 §4.4). */
  flows: readonly Flow[];
}

export class Registrations {
  private readonly active = new Map<string, ActiveRegistration>();

  constructor(
    private readonly signalling: Signalling,
    private readonly secrets: SecretStore,
    private readonly delegate: RegistrationsDelegate,
    private readonly log: Logger,
    /** The local address the system sends from toward an address (tests pass a stand-in for a move). */
    private readonly sourceAddress: (toward: string | undefined) => Promise<string> = sourceAddressToward,
  ) {
    signalling.onFlowFailed((flow) => this.flowFailed(flow));
  }

  /** Starts (or restarts, after a settings change) the account's registration. */
  async register(account: StoredAccount): Promise<void> {
    await this.stop(account.id, false);
    if (account.transport === 'tls') {
      this.report(account.id, { state: 'failed', reason: 'registering over TLS is not supported yet' });
      return;
    }
    const password = await this.secrets.get(passwordKey(account.id));
    const contact = await this.contactFor(account);
    const registration = new Registration({
      aor: `sip:${account.user}@${account.domain}`,
      registrar: `sip:${account.domain}`,
      ...(account.outboundProxy === undefined ? {} : { outboundProxy: `sip:${account.outboundProxy}` }),
      transport: account.transport,
      contact,
      ...(account.authUser === undefined ? {} : { authUser: account.authUser }),
      credentials: () => password,
      expires: account.registerExpires,
      sender: this.signalling.endpoint,
      flowRecovery: this.signalling.flowRecovery,
      delegate: {
        onStateChange: (status) => {
          // Only called from register() on, once `entry` exists.
          this.followFlow(entry, status);
          this.report(account.id, status);
        },
      },
    });
    const nextHop = parseUri(`sip:${account.outboundProxy ?? account.domain};transport=${account.transport}`, 'Bad next hop');
    if (!isSipUri(nextHop)) throw new RangeError('the next hop must be a sip: URI');
    const entry: ActiveRegistration = { accountId: account.id, account, contact, registration, nextHop, flows: [] };
    this.active.set(account.id, entry);
    registration.register();
  }

  /**
   * Our Contact for an account (§8.1.1.8, §10.2.1): the endpoint's listening point for the
   * account's transport, opened on every address if none is configured; when listening on
   * every address, the local address toward the account's first hop.
   */
  async contactFor(account: StoredAccount): Promise<SipUri> {
    if (account.transport === 'tls') throw new PhoneError('unsupported', 'TLS accounts are not supported yet', 'transport');
    if (!this.signalling.listensOn(account.transport)) {
      await this.signalling.listen([{ transport: account.transport, address: '0.0.0.0', port: 0 }]);
    }
    const points = this.signalling.endpoint.transport.listeningPoints();
    const wildcard = points.find((p) => p.transport === account.transport)?.address === '0.0.0.0';
    const hop = account.outboundProxy ?? account.domain;
    return localContact(points, account.transport, {
      user: account.user,
      ...(wildcard ? { host: await this.sourceAddress(await this.signalling.firstAddress(hostOf(hop), account.transport)) } : {}),
    });
  }

  /** The Contact the account's registration binds, if it registers. */
  contactOf(accountId: string): SipUri | undefined {
    return this.active.get(accountId)?.contact;
  }

  /** The route set for the account's requests outside a registration: Service-Route (RFC 3608). */
  routeSetOf(accountId: string): readonly string[] {
    return this.active.get(accountId)?.registration.routeSet.map((route) => route.toString()) ?? [];
  }

  /** Removes the binding (bounded wait) and forgets the registration. */
  async unregister(accountId: string): Promise<void> {
    await this.stop(accountId, true);
  }

  status(accountId: string): RegistrationStatus | undefined {
    return this.active.get(accountId)?.registration.status;
  }

  /**
   * After a network change or a wake from sleep: every registration at once (RFC 5626 §4.4),
   * each over a new flow — the held connection may be bound to an address that is gone, and
   * would only be found dead by a keep-alive (pjsua's `shutdown_tp`). Registering first, so
   * the flow's end is not taken for a failure of the binding. When our address toward the
   * first hop changed too, the binding moves to the new Contact (`followAddress`).
   */
  networkChanged(): void {
    const transport = this.signalling.endpoint.transport;
    for (const entry of this.active.values()) {
      entry.registration.networkChanged();
      const flows = entry.flows;
      entry.flows = [];
      for (const flow of flows) {
        transport.releaseFlow(flow.id);
        transport.closeFlow(flow.id);
      }
      void this.followAddress(entry);
    }
  }

  /**
   * pjsua's contact rewrite on an IP change: a Contact naming an address we no longer have
   * would route every incoming call nowhere. The old binding is removed (from the new address:
   * §10.2.2 only needs the Contact and expires=0; bounded wait) and the new one registered.
   */
  private async followAddress(entry: ActiveRegistration): Promise<void> {
    let contact: SipUri;
    try {
      contact = await this.contactFor(entry.account);
    } catch (error) {
      this.log.warn('our address after a network change is unknown', { accountId: entry.accountId, error: String(error) });
      return;
    }
    if (this.active.get(entry.accountId) !== entry || contact.toString() === entry.contact.toString()) return;
    this.log.info('our address changed: registering the new Contact', { accountId: entry.accountId, from: entry.contact.host, to: contact.host });
    await this.register(entry.account).catch((error: unknown) => this.log.warn('registration at the new address not started', { accountId: entry.accountId, error: String(error) }));
  }

  /** On quit: every binding removed, in parallel, each bounded by the registration's own wait. */
  async unregisterAll(): Promise<void> {
    await Promise.all([...this.active.keys()].map((id) => this.stop(id, true)));
  }

  private async stop(accountId: string, report: boolean): Promise<void> {
    const entry = this.active.get(accountId);
    if (entry === undefined) return;
    this.active.delete(accountId);
    const { registration } = entry;
    try {
      await registration.unregister();
    } catch (error) {
      this.log.warn('unregister failed', { accountId, error: String(error) });
    } finally {
      registration.dispose();
      this.holdFlows(entry, []);
    }
    if (report) this.report(accountId, { state: 'unregistered' });
  }

  /**
   * Registered (first time or refresh): hold the flow the REGISTER went over, letting go of
   * one it no longer uses. Failed or unregistered: nothing left to hold. Registering keeps
   * what it has, since the binding still stands meanwhile.
   */
  private followFlow(entry: ActiveRegistration, status: RegistrationStatus): void {
    if (status.state === 'registered') {
      void this.signalling.flowsToward(entry.nextHop).then((flows) => {
        // Still the same registration, still registered (the lookup is async).
        if (this.active.get(entry.accountId) === entry && entry.registration.state === 'registered') this.holdFlows(entry, flows);
      });
    } else if (status.state !== 'registering') {
      this.holdFlows(entry, []);
    }
  }

  private holdFlows(entry: ActiveRegistration, flows: readonly Flow[]): void {
    const transport = this.signalling.endpoint.transport;
    const held = flows.filter((flow) => entry.flows.some((f) => f.id === flow.id) || transport.retainFlow(flow.id));
    for (const old of entry.flows) if (!held.some((f) => f.id === old.id)) transport.releaseFlow(old.id);
    entry.flows = held;
  }

  /**
   * RFC 5626 §4.5: a registration whose flow failed forms a new one. It is the held flow, or
   * (not held yet: the 2xx just came) a flow over the same transport to the same address.
   */
  private flowFailed(flow: Flow): void {
    for (const entry of this.active.values()) {
      const held = entry.flows.some((f) => f.id === flow.id);
      if (!held && !sameRemote(flow, entry.nextHop)) continue;
      entry.flows = entry.flows.filter((f) => f.id !== flow.id);
      this.log.info('registration flow failed, registering again', { accountId: entry.accountId, transport: flow.transport });
      entry.registration.flowFailed();
    }
  }

  /** The registration's states are the contract's, value for value. */
  private report(accountId: string, status: RegistrationStatus | Omit<AccountStatus, 'accountId'>): void {
    this.delegate.onStatus({ accountId, ...status } as AccountStatus);
  }
}

/** Whether a flow goes to the next hop itself (an IP address, its port or 5060 by default). */
function sameRemote(flow: Flow, nextHop: SipUri): boolean {
  const host = nextHop.host.replace(/^\[|\]$/g, '').toLowerCase();
  const port = nextHop.port ?? (flow.transport === 'tls' ? 5061 : 5060);
  return nextHop.transport?.toLowerCase() === flow.transport && host === flow.remoteAddress.toLowerCase() && port === flow.remotePort;
}

function hostOf(hostPort: string): string {
  const bracket = /^\[([^\]]+)\]/.exec(hostPort);
  if (bracket !== null) return bracket[1]!;
  return hostPort.replace(/:\d+$/, '');
}

/**
 * The local address the system would send from toward `address` (a UDP "connect" picks the
 * route without sending anything): what our Contact must say when we listen on every address.
 * Without an address or a route: loopback.
 */
async function sourceAddressToward(address: string | undefined): Promise<string> {
  if (address === undefined || isIP(address) === 0) return '127.0.0.1';
  const family = isIP(address) === 6 ? 'udp6' : 'udp4';
  const socket = createSocket(family);
  try {
    return await new Promise<string>((resolve) => {
      socket.once('error', () => resolve(family === 'udp6' ? '::1' : '127.0.0.1'));
      socket.connect(5060, address, () => resolve(socket.address().address));
    });
  } finally {
    socket.close();
  }
}
