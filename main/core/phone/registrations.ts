/**
 * One `Registration` per account that wants to be reachable, kept in step with the account's
 * settings, its status announced as `account.state` events. Passwords are read from the
 * SecretStore when a registration starts and kept only in this process's memory.
 */
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import type { AccountStatus } from '../../../shared/model.js';
import { PhoneError } from '../../../shared/errors.js';
import type { SipUri } from '../sip/uri/index.js';
import type { Logger } from '../log.js';
import { localContact, Registration, type RegistrationStatus } from '../sip/registration/index.js';
import type { StoredAccount } from '../store/accounts-store.js';
import { passwordKey, type SecretStore } from '../store/secret-store.js';
import type { Signalling } from './signalling.js';

export interface RegistrationsDelegate {
  onStatus(status: AccountStatus): void;
}

export class Registrations {
  private readonly active = new Map<string, Registration>();

  constructor(
    private readonly signalling: Signalling,
    private readonly secrets: SecretStore,
    private readonly delegate: RegistrationsDelegate,
    private readonly log: Logger,
  ) {}

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
      delegate: { onStateChange: (status) => this.report(account.id, status) },
    });
    this.active.set(account.id, registration);
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
      ...(wildcard ? { host: await sourceAddressToward(await this.signalling.firstAddress(hostOf(hop), account.transport)) } : {}),
    });
  }

  /** The route set for the account's requests outside a registration: Service-Route (RFC 3608). */
  routeSetOf(accountId: string): readonly string[] {
    return this.active.get(accountId)?.routeSet.map((route) => route.toString()) ?? [];
  }

  /** Removes the binding (bounded wait) and forgets the registration. */
  async unregister(accountId: string): Promise<void> {
    await this.stop(accountId, true);
  }

  status(accountId: string): RegistrationStatus | undefined {
    return this.active.get(accountId)?.status;
  }

  /** After a network change or a wake from sleep: every registration at once (RFC 5626 §4.4). */
  networkChanged(): void {
    for (const registration of this.active.values()) registration.networkChanged();
  }

  /** On quit: every binding removed, in parallel, each bounded by the registration's own wait. */
  async unregisterAll(): Promise<void> {
    await Promise.all([...this.active.keys()].map((id) => this.stop(id, true)));
  }

  private async stop(accountId: string, report: boolean): Promise<void> {
    const registration = this.active.get(accountId);
    if (registration === undefined) return;
    this.active.delete(accountId);
    try {
      await registration.unregister();
    } catch (error) {
      this.log.warn('unregister failed', { accountId, error: String(error) });
    } finally {
      registration.dispose();
    }
    if (report) this.report(accountId, { state: 'unregistered' });
  }

  /** The registration's states are the contract's, value for value. */
  private report(accountId: string, status: RegistrationStatus | Omit<AccountStatus, 'accountId'>): void {
    this.delegate.onStatus({ accountId, ...status } as AccountStatus);
  }
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
