/**
 * The user agent core (RFC 3261 §8, §12.2.2): the endpoint's delegate. It checks every new
 * request (§8.2.1 method, §8.2.2 merged requests and Require), routes requests inside a dialog
 * to their session (481 when none, §12.2.2), creates a server session for a new INVITE,
 * answers OPTIONS (§11.2) and CANCEL (§9.2), and passes ACKs and stray 2xx responses to the
 * session of their dialog (§13.2.2.4, §13.3.1.4).
 */
import { randomBytes } from 'node:crypto';
import { credentialHeaders, DigestCredentialsError, type AuthorizationField } from '../auth/index.js';
import { createResponse } from '../messages/create-response.js';
import { NameAddr, parseNameAddr, SipRequest, type SipResponse } from '../messages/index.js';
import { parseUri, type Uri } from '../uri/index.js';
import type { EndpointDelegate } from '../sip-endpoint.js';
import { InviteServerTransaction, type ServerTransaction, type TransportAddress } from '../transactions/index.js';
import { InviteClientSession, type InviteOptions } from './invite-client-session.js';
import { InviteServerSession } from './invite-server-session.js';
import type { DialogUsage } from './dialog-usage.js';
import { InviteSession, dialogKeyOfRequest, dialogKeyOfResponse } from './invite-session.js';
import { SessionState } from './session-state.js';
import { dialogKey } from '../dialogs/index.js';
import type { Exchange, ExchangeOptions, SessionContext } from './session-context.js';
import { decideAsUas, defaultSessionTimerSettings } from './session-timer.js';
import type { UserAgentEndpoint } from './user-agent-endpoint.js';
import { ALLOWED_METHODS, KNOWN_METHODS, SUPPORTED_EXTENSIONS, type UserAgentSettings } from './user-agent-settings.js';

export interface UserAgentCoreOptions extends Partial<Omit<UserAgentSettings, 'contact' | 'from'>> {
  readonly contact: string;
  readonly from: string;
  /**
   * A new incoming call (§13.3.1): set its delegate, then `ring()`, `answer()` or `reject()`.
   * Without it, INVITEs are answered 480 Temporarily Unavailable.
   */
  readonly onIncomingCall?: (session: InviteServerSession) => void;
  /**
   * A new request outside any dialog other than INVITE, OPTIONS and CANCEL (SUBSCRIBE, NOTIFY,
   * MESSAGE, PUBLISH, REFER...): return true when it was taken (and will be answered), false
   * to have it answered 405 with Allow.
   */
  readonly onRequest?: (request: SipRequest, transaction: ServerTransaction) => boolean;
}

/** Challenges answered per request: the first, and one more for a stale nonce (RFC 7616 §3.3). */
const MAX_CHALLENGES = 2;

export class UserAgentCore implements EndpointDelegate {
  readonly settings: UserAgentSettings;
  private endpointRef: UserAgentEndpoint | undefined;
  private readonly onIncomingCall: ((session: InviteServerSession) => void) | undefined;
  private readonly onRequest: ((request: SipRequest, transaction: ServerTransaction) => boolean) | undefined;
  /** Dialog usages by dialog key (§12), and client calls by their key with an empty remote tag. */
  private readonly dialogs = new Map<string, DialogUsage>();
  private readonly serverSessions = new WeakMap<ServerTransaction, InviteServerSession>();
  /** §8.2.2.2: INVITEs in progress by From tag, Call-ID and CSeq, to spot merged requests. */
  private readonly invitesInProgress = new Map<string, ServerTransaction>();
  private readonly context: SessionContext;

  constructor(options: UserAgentCoreOptions) {
    this.settings = {
      contact: options.contact,
      from: options.from,
      routeSet: options.routeSet ?? [],
      digest: options.digest,
      userAgent: options.userAgent,
      reliableProvisional: options.reliableProvisional ?? 'supported',
      sessionTimer: options.sessionTimer,
      timers: options.timers ?? { t1: 500, t2: 4000 },
      random: options.random ?? Math.random,
      maxRedirects: options.maxRedirects ?? 5,
    };
    this.onIncomingCall = options.onIncomingCall;
    this.onRequest = options.onRequest;
    const endpoint = (): UserAgentEndpoint => this.endpoint;
    this.context = {
      get endpoint() {
        return endpoint();
      },
      settings: this.settings,
      exchange: (build, exchangeOptions) => this.exchange(build, exchangeOptions),
      sendAck: (ack) => this.sendAck(ack),
      addDialog: (key, usage) => this.dialogs.set(key, usage),
      removeDialog: (key) => this.dialogs.delete(key),
    };
  }

  /**
   * What sessions and other dialog usages (subscriptions) use to send and to register their
   * dialogs: requests get digest answers, in-dialog requests reach the usage registered by key.
   */
  get sessionContext(): SessionContext {
    return this.context;
  }

  /** The endpoint is made with this core as its delegate, then attached. */
  attach(endpoint: UserAgentEndpoint): void {
    this.endpointRef = endpoint;
  }

  get endpoint(): UserAgentEndpoint {
    if (this.endpointRef === undefined) throw new Error('the user agent core has no endpoint: call attach()');
    return this.endpointRef;
  }

  /** How many dialogs (and calls not yet answered) are routed to sessions. */
  get dialogCount(): number {
    return this.dialogs.size;
  }

  /**
   * Whether a message belongs to one of this core's sessions: an in-dialog request or ACK, a
   * CANCEL of an INVITE it serves, a response of its calls. Lets an owner with one core per
   * account route what the endpoint receives.
   */
  owns(message: SipRequest | SipResponse): boolean {
    if (message.kind === 'response') {
      return this.dialogs.has(dialogKeyOfResponse(message)) || this.dialogs.has(`${message.callId}\n${message.from.tag ?? ''}\n`);
    }
    if (message.method === 'CANCEL') {
      const invite = this.endpointRef?.transactions.findInviteServerTransaction(message);
      return invite !== undefined && this.serverSessions.has(invite);
    }
    return this.dialogs.has(dialogKeyOfRequest(message)) || this.subscriptionAwaitingDialog(message) !== undefined;
  }

  /**
   * RFC 6665 §4.1.2.4: a NOTIFY may come before the SUBSCRIBE's 2xx, or from another fork: it
   * names our From tag and Call-ID with a To tag we do not know yet. The subscription waits
   * under the key with an empty remote tag and makes the dialog from the NOTIFY.
   */
  private subscriptionAwaitingDialog(request: SipRequest): DialogUsage | undefined {
    if (request.method !== 'NOTIFY' || request.to.tag === undefined) return undefined;
    return this.dialogs.get(dialogKey({ callId: request.callId, localTag: request.to.tag, remoteTag: '' }));
  }

  /**
   * A request outside any dialog (§8.1.1) — MESSAGE (RFC 3428), PUBLISH... — sent with our From
   * and route set, answered challenges included; resolves with the final response, rejects with
   * a SipRequestError when none came.
   */
  async requestOutsideDialog(
    method: string,
    target: string | Uri,
    options: { readonly headers?: readonly (readonly [string, string])[]; readonly body?: string | Uint8Array; readonly contentType?: string } = {},
  ): Promise<SipResponse> {
    const uri = typeof target === 'string' ? parseUri(target) : target;
    const settings = this.settings;
    const callId = randomBytes(12).toString('hex');
    const from = parseNameAddr(settings.from, 'From').withTag(randomBytes(6).toString('hex'));
    const to = new NameAddr(uri);
    let cseq = Math.floor(settings.random() * 10000);
    const { response } = await this.exchange((credentials) => {
      cseq += 1;
      const headers: [string, string][] = [
        ...settings.routeSet.map((route): [string, string] => ['Route', route]),
        ['Max-Forwards', '70'],
        ['From', from.toString()],
        ['To', to.toString()],
        ['Call-ID', callId],
        ['CSeq', `${cseq} ${method}`],
        ...(settings.userAgent === undefined ? [] : [['User-Agent', settings.userAgent] as [string, string]]),
        ...(options.headers ?? []).map(([n, v]): [string, string] => [n, v]),
        ...credentialHeaders(credentials),
      ];
      if (options.contentType !== undefined) headers.push(['Content-Type', options.contentType]);
      return new SipRequest({ method, uri, headers, ...(options.body === undefined ? {} : { body: options.body }) });
    });
    return response;
  }

  /** Starts an outgoing call (§13.2.1). */
  invite(options: InviteOptions): InviteClientSession {
    const session = new InviteClientSession(this.context, options);
    session.start();
    return session;
  }

  receiveRequest(request: SipRequest, transaction: ServerTransaction): void {
    const method = request.method;
    // §8.2.1: "If a UAS does not understand a request method, it MUST respond 501"; a method
    // it knows but does not serve here gets 405 with Allow.
    if (!KNOWN_METHODS.includes(method)) {
      this.respond(transaction, request, 501, [['Allow', ALLOWED_METHODS.join(', ')]]);
      return;
    }
    if (!ALLOWED_METHODS.includes(method)) {
      this.respond(transaction, request, 405, [['Allow', ALLOWED_METHODS.join(', ')]]);
      return;
    }
    if (method === 'CANCEL') {
      this.receiveCancel(request, transaction);
      return;
    }
    // §8.2.2.3: "If a UAS does not understand an option tag listed in a Require header field,
    // it MUST respond by generating a response with status code 420 (Bad Extension). The UAS
    // MUST add an Unsupported header field, and list in it those options it does not understand".
    let unsupported: string[];
    try {
      unsupported = request.require.filter((tag) => !SUPPORTED_EXTENSIONS.includes(tag));
    } catch {
      this.respond(transaction, request, 400, [], 'Bad Require');
      return;
    }
    if (unsupported.length > 0) {
      this.respond(transaction, request, 420, [['Unsupported', unsupported.join(', ')]]);
      return;
    }
    if (request.to.tag !== undefined) {
      // §12.2.2: "If the UAS ... does not match any existing dialogs ... it SHOULD ... respond
      // to the request with a 481 (Call/Transaction Does Not Exist)".
      const key = dialogKeyOfRequest(request);
      const usage = this.dialogs.get(key) ?? this.subscriptionAwaitingDialog(request);
      if (usage === undefined) this.respond(transaction, request, 481);
      else usage.receiveRequest(request, transaction, key);
      return;
    }
    switch (method) {
      case 'INVITE':
        this.receiveInvite(request, transaction);
        return;
      // §11.2: "Allow, Accept, Accept-Encoding, Accept-Language, and Supported header fields
      // SHOULD be present in a 200 (OK) response to an OPTIONS request".
      case 'OPTIONS':
        this.respond(transaction, request, 200, [
          ['Allow', ALLOWED_METHODS.join(', ')],
          ['Accept', 'application/sdp'],
          ['Accept-Encoding', 'identity'],
          ['Accept-Language', 'en'],
          ['Supported', SUPPORTED_EXTENSIONS.join(', ')],
        ]);
        return;
      // BYE, PRACK, UPDATE, INFO only exist in a dialog.
      case 'BYE':
      case 'PRACK':
      case 'UPDATE':
      case 'INFO':
      case 'ACK':
        this.respond(transaction, request, 481);
        return;
      default:
        if (this.onRequest?.(request, transaction) !== true) this.respond(transaction, request, 405, [['Allow', ALLOWED_METHODS.join(', ')]]);
    }
  }

  /** An ACK for a 2xx (§13.3.1.4): to the session of its dialog; others are dropped. */
  receiveAck(ack: SipRequest): void {
    this.dialogs.get(dialogKeyOfRequest(ack))?.receiveAck?.(ack);
  }

  /**
   * A 2xx to INVITE after its transaction ended (§13.2.2.4): the session of its dialog ACKs it
   * again; a new fork of a call of ours is ACKed and ended by that call's session.
   */
  receiveStrayResponse(response: SipResponse): void {
    if (response.cseq.method !== 'INVITE' || response.status < 200 || response.status >= 300) return;
    const session = this.dialogs.get(dialogKeyOfResponse(response)) ?? this.dialogs.get(`${response.callId}\n${response.from.tag ?? ''}\n`);
    session?.receiveStrayResponse?.(response);
  }

  /**
   * §9.2: "If the UAS did not find a matching transaction for the CANCEL according to the
   * procedure above, it SHOULD respond to the CANCEL with a 481 ... If the original request was
   * an INVITE, the UAS SHOULD immediately respond to the INVITE with a 487 ... the CANCEL
   * request ... is answered with a 200", with the To tag of the INVITE's responses.
   */
  private receiveCancel(cancel: SipRequest, transaction: ServerTransaction): void {
    const invite = this.endpoint.transactions.findInviteServerTransaction(cancel);
    if (invite === undefined) {
      this.respond(transaction, cancel, 481);
      return;
    }
    const session = this.serverSessions.get(invite);
    transaction.respond(createResponse(cancel, 200, session === undefined ? {} : { toTag: session.localTag }));
    session?.receiveCancel();
  }

  private receiveInvite(request: SipRequest, transaction: ServerTransaction): void {
    // §8.2.2.2: "If the request has no tag in the To header field, the UAS core MUST check the
    // request against ongoing transactions. If the From tag, Call-ID, and CSeq exactly match
    // those associated with an ongoing transaction, but the request does not match that
    // transaction ... the UAS core SHOULD generate a 482 (Loop Detected)".
    const mergeKey = `${request.from.tag ?? ''}\n${request.callId}\n${request.cseq.seq}`;
    const ongoing = this.invitesInProgress.get(mergeKey);
    if (ongoing !== undefined && ongoing !== transaction && !ongoing.isTerminated) {
      this.respond(transaction, request, 482);
      return;
    }
    this.invitesInProgress.set(mergeKey, transaction);
    transaction.whenTerminated(() => {
      if (this.invitesInProgress.get(mergeKey) === transaction) this.invitesInProgress.delete(mergeKey);
    });
    // §8.1.1.8: an INVITE MUST carry a Contact: without one no dialog can be made.
    if (!request.contacts.some((c) => !c.wildcard)) {
      this.respond(transaction, request, 400, [], 'Missing Contact');
      return;
    }
    // RFC 4028 §8.1: too small a Session-Expires is refused before anyone is alerted.
    const timer = decideAsUas(request, this.settings.sessionTimer ?? defaultSessionTimerSettings);
    if (timer.kind === 'too-small') {
      this.respond(transaction, request, 422, [['Min-SE', `${timer.minSE}`]]);
      return;
    }
    if (this.onIncomingCall === undefined) {
      this.respond(transaction, request, 480);
      return;
    }
    if (!(transaction instanceof InviteServerTransaction)) throw new Error('an INVITE came without an INVITE server transaction');
    let replaced: InviteSession | undefined;
    if (request.get('Replaces') !== undefined) {
      const found = this.replacedSession(request);
      if (typeof found === 'number') {
        this.respond(transaction, request, found);
        return;
      }
      replaced = found;
    }
    const session = new InviteServerSession(this.context, request, transaction);
    session.replaces = replaced;
    this.serverSessions.set(transaction, session);
    this.onIncomingCall(session);
  }

  /**
   * RFC 3891 §3: the session a Replaces names — to-tag our local tag, from-tag the peer's — or
   * the status that refuses the INVITE: 400 malformed, 481 no such dialog (or an early one we
   * did not start), 486 early-only but confirmed, 603 already over.
   */
  private replacedSession(request: SipRequest): InviteSession | number {
    let replaces;
    try {
      if (request.getAll('Replaces').length !== 1) return 400;
      replaces = request.replaces;
    } catch {
      return 400;
    }
    if (replaces === undefined || replaces.toTag === undefined || replaces.fromTag === undefined) return 400;
    const usage = this.dialogs.get(dialogKey({ callId: replaces.callId, localTag: replaces.toTag, remoteTag: replaces.fromTag }));
    if (!(usage instanceof InviteSession)) return 481;
    const state = usage.state;
    if (state === SessionState.Terminated || state === SessionState.Terminating) return 603;
    const confirmed = state === SessionState.Established || state === SessionState.WaitingForAck;
    if (!confirmed && usage instanceof InviteServerSession) return 481;
    if (confirmed && replaces.earlyOnly) return 486;
    return usage;
  }

  /** See `SessionContext.exchange`. */
  private async exchange(build: (credentials: readonly AuthorizationField[]) => SipRequest, options: ExchangeOptions = {}): Promise<Exchange> {
    let credentials: readonly AuthorizationField[] = [];
    for (let challenges = 0; ; challenges++) {
      const request = build(credentials);
      const response = await this.endpoint.send(request, {
        receiveResponse: (received: SipResponse, destination: TransportAddress) => options.receiveResponse?.(received, request, destination),
      });
      const digest = this.settings.digest;
      if ((response.status !== 401 && response.status !== 407) || digest === undefined || challenges >= MAX_CHALLENGES) return { request, response };
      let outcome;
      try {
        outcome = digest.handleChallenge(response, { method: request.method, uri: request.uri.toString(), body: request.body }, credentials);
      } catch (error) {
        if (error instanceof DigestCredentialsError) return { request, response };
        throw error;
      }
      if (outcome.kind !== 'retry') return { request, response };
      credentials = outcome.fields;
    }
  }

  private async sendAck(ack: SipRequest): Promise<void> {
    const [destination] = await this.endpoint.locate(ack);
    if (destination === undefined) return;
    await this.endpoint.transactions.sendAck(ack, destination);
  }

  private respond(transaction: ServerTransaction, request: SipRequest, status: number, headers: [string, string][] = [], reason?: string): void {
    transaction.respond(createResponse(request, status, { headers, ...(reason === undefined ? {} : { reason }) }));
  }
}
