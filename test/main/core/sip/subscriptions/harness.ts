/**
 * An in-memory session context for subscription tests: every request a usage sends waits here
 * until the test (playing the notifier or subscriber) answers it; requests the test delivers
 * are routed like the user agent core routes them (§12.2.2), by dialog key — and, for a NOTIFY
 * whose dialog nobody registered, by the key with an empty remote tag (the change to
 * `UserAgentCore.receiveRequest` that NOTIFY-before-2xx and forking need, RFC 6665 §4.1.2.4).
 */
import type { AuthorizationField } from '../../../../../main/core/sip/auth/index.js';
import { dialogKey } from '../../../../../main/core/sip/dialogs/index.js';
import { createResponse } from '../../../../../main/core/sip/messages/create-response.js';
import { SipRequest, type SipResponse } from '../../../../../main/core/sip/messages/index.js';
import { SipRequestError } from '../../../../../main/core/sip/sip-endpoint.js';
import type { ServerTransaction } from '../../../../../main/core/sip/transactions/index.js';
import type { DialogUsage, Exchange, SessionContext, UserAgentEndpoint, UserAgentSettings } from '../../../../../main/core/sip/user-agent/index.js';

export const NOTIFIER_CONTACT = '<sip:presence@192.0.2.20:5060>';

export interface Pending {
  readonly request: SipRequest;
  resolve(response: SipResponse): void;
  reject(error: Error): void;
  settled: boolean;
}

/** Records the responses a usage gives to a delivered request. */
export class FakeServerTransaction {
  readonly responses: SipResponse[] = [];
  respond(response: SipResponse): void {
    this.responses.push(response);
  }
  get status(): number | undefined {
    return this.responses.at(-1)?.status;
  }
}

export class SubscriptionHarness {
  readonly settings: UserAgentSettings = {
    contact: '<sip:alice@192.0.2.1:5060>',
    from: '"Alice" <sip:alice@example.test>',
    routeSet: [],
    digest: undefined,
    userAgent: undefined,
    reliableProvisional: 'supported',
    sessionTimer: undefined,
    timers: { t1: 500, t2: 4000 },
    random: () => 0,
    maxRedirects: 5,
  };
  readonly pending: Pending[] = [];
  readonly dialogs = new Map<string, DialogUsage>();
  /** Out-of-dialog requests (no To tag): what `onRequest` would get. */
  onRequest: ((request: SipRequest, transaction: FakeServerTransaction) => boolean) | undefined;
  readonly context: SessionContext;

  constructor() {
    const endpoint = (): UserAgentEndpoint => {
      throw new Error('the subscription harness has no endpoint');
    };
    this.context = {
      get endpoint() {
        return endpoint();
      },
      settings: this.settings,
      exchange: (build) => this.exchange(build),
      sendAck: () => Promise.resolve(),
      addDialog: (key, usage) => this.dialogs.set(key, usage),
      removeDialog: (key) => this.dialogs.delete(key),
    };
  }

  /** The requests sent (of one method), in order. */
  sent(method?: string): SipRequest[] {
    return this.pending.filter((p) => method === undefined || p.request.method === method).map((p) => p.request);
  }

  last(method: string): SipRequest {
    const request = this.sent(method).at(-1);
    if (request === undefined) throw new Error(`no ${method} was sent`);
    return request;
  }

  /** The peer answers a request we sent. */
  answer(request: SipRequest, status: number, options: { toTag?: string; headers?: [string, string][]; contact?: string } = {}): SipResponse {
    const entry = this.pending.find((p) => p.request === request);
    if (entry === undefined || entry.settled) throw new Error('nothing to answer');
    const headers: [string, string][] = [...(status >= 200 && status < 300 ? [['Contact', options.contact ?? NOTIFIER_CONTACT] as [string, string]] : []), ...(options.headers ?? [])];
    const response = createResponse(request, status, { toTag: options.toTag ?? 'notifier1', headers });
    entry.settled = true;
    entry.resolve(response);
    return response;
  }

  /** The request got no answer (Timer F, RFC 3261 §17.1.2.2). */
  timeout(request: SipRequest): void {
    const entry = this.pending.find((p) => p.request === request);
    if (entry === undefined || entry.settled) throw new Error('nothing to time out');
    entry.settled = true;
    entry.reject(new SipRequestError('timeout', 'timeout'));
  }

  /** The peer sends `request` to us; returns what we answered. */
  deliver(request: SipRequest): FakeServerTransaction {
    const transaction = new FakeServerTransaction();
    const toTag = request.to.tag;
    if (toTag === undefined) {
      if (this.onRequest?.(request, transaction) !== true) transaction.respond(createResponse(request, 405));
      return transaction;
    }
    const key = dialogKey({ callId: request.callId, localTag: toTag, remoteTag: request.from.tag ?? '' });
    const half = dialogKey({ callId: request.callId, localTag: toTag, remoteTag: '' });
    const usage = this.dialogs.get(key) ?? (request.method === 'NOTIFY' ? this.dialogs.get(half) : undefined);
    if (usage === undefined) transaction.respond(createResponse(request, 481));
    else usage.receiveRequest(request, transaction as unknown as ServerTransaction, key);
    return transaction;
  }

  /** Lets promises settle. */
  async flush(): Promise<void> {
    for (let i = 0; i < 20; i++) await Promise.resolve();
  }

  private exchange(build: (credentials: readonly AuthorizationField[]) => SipRequest): Promise<Exchange> {
    const request = build([]);
    return new Promise<Exchange>((resolve, reject) => {
      this.pending.push({
        request,
        resolve: (response) => resolve({ request, response }),
        reject,
        settled: false,
      });
    });
  }
}

let branch = 0;

/** A NOTIFY from the notifier for the SUBSCRIBE `subscribe` (its Call-ID, our From tag as To tag). */
export function notifyFor(
  subscribe: SipRequest,
  options: {
    state: string;
    event?: string;
    fromTag?: string;
    seq?: number;
    body?: string;
    contentType?: string;
    headers?: [string, string][];
  },
): SipRequest {
  const headers: [string, string][] = [
    ['Via', `SIP/2.0/UDP 192.0.2.20:5060;branch=z9hG4bKn${branch++}`],
    ['Max-Forwards', '70'],
    ['From', `<${subscribe.uri.toString()}>;tag=${options.fromTag ?? 'notifier1'}`],
    ['To', subscribe.get('From') ?? ''],
    ['Call-ID', subscribe.callId],
    ['CSeq', `${options.seq ?? 1} NOTIFY`],
    ['Contact', NOTIFIER_CONTACT],
    ['Event', options.event ?? subscribe.get('Event') ?? ''],
    ['Subscription-State', options.state],
    ...(options.headers ?? []),
  ];
  if (options.body !== undefined) headers.push(['Content-Type', options.contentType ?? 'application/pidf+xml']);
  return new SipRequest({ method: 'NOTIFY', uri: 'sip:alice@192.0.2.1:5060', headers, ...(options.body === undefined ? {} : { body: options.body }) });
}

/** A request from the subscriber (bob) to us, e.g. an initial SUBSCRIBE. */
export function fromBob(
  method: string,
  options: { headers?: [string, string][]; toTag?: string; seq?: number; callId?: string; body?: string; contentType?: string } = {},
): SipRequest {
  const headers: [string, string][] = [
    ['Via', `SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKb${branch++}`],
    ['Max-Forwards', '70'],
    ['From', '"Bob" <sip:bob@example.test>;tag=bobtag'],
    ['To', `<sip:alice@example.test>${options.toTag === undefined ? '' : `;tag=${options.toTag}`}`],
    ['Call-ID', options.callId ?? 'sub-call-1'],
    ['CSeq', `${options.seq ?? 1} ${method}`],
    ['Contact', '<sip:bob@192.0.2.10:5060>'],
    ...(options.headers ?? []),
  ];
  if (options.body !== undefined) headers.push(['Content-Type', options.contentType ?? 'text/plain']);
  return new SipRequest({ method, uri: 'sip:alice@192.0.2.1:5060', headers, ...(options.body === undefined ? {} : { body: options.body }) });
}
