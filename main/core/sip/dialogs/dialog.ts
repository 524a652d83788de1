/**
 * A dialog (RFC 3261 §12): the peer-to-peer relationship an INVITE (or SUBSCRIBE/REFER)
 * creates, identified by Call-ID, local tag and remote tag, and carrying what every later
 * request in it needs: sequence numbers, URIs, the remote target and the route set.
 *
 * ```
 *   (1xx with To tag) ──▶ Early ──2xx──▶ Confirmed ──BYE / error──▶ Terminated
 *   (2xx)  ─────────────────────────────▶ Confirmed
 *   Early ──non-2xx final──▶ Terminated
 * ```
 */
import { randomBytes } from 'node:crypto';
import { SipRequest, type NameAddr, type SipResponse } from '../messages/index.js';
import { isSipUri, type Uri } from '../uri/index.js';

export enum DialogState {
  Early = 'Early',
  Confirmed = 'Confirmed',
  Terminated = 'Terminated',
}

export class DialogStateError extends Error {
  override readonly name = 'DialogStateError';
}

/** §12: "A dialog is identified at each UA with a dialog ID, which consists of a Call-ID value, a local tag and a remote tag." */
export interface DialogId {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
}

export function dialogKey(id: DialogId): string {
  return `${id.callId}\n${id.localTag}\n${id.remoteTag}`;
}

/** A request arriving in a dialog that must be refused: §12.2.2 answers 500 for an old CSeq. */
export class OutOfOrderRequestError extends Error {
  override readonly name = 'OutOfOrderRequestError';
  readonly status = 500;
}

interface DialogInit {
  readonly id: DialogId;
  readonly state: DialogState.Early | DialogState.Confirmed;
  readonly localSeq: number | undefined;
  readonly remoteSeq: number | undefined;
  readonly localUri: NameAddr;
  readonly remoteUri: NameAddr;
  readonly remoteTarget: Uri;
  readonly routeSet: readonly NameAddr[];
  readonly secure: boolean;
  readonly localContact: string;
}

const allowedMoves: Record<DialogState, readonly DialogState[]> = {
  [DialogState.Early]: [DialogState.Early, DialogState.Confirmed, DialogState.Terminated],
  [DialogState.Confirmed]: [DialogState.Confirmed, DialogState.Terminated],
  [DialogState.Terminated]: [],
};

export class Dialog {
  readonly id: DialogId;
  readonly localUri: NameAddr;
  readonly remoteUri: NameAddr;
  readonly secure: boolean;
  /** Our Contact, sent in every request and 2xx of the dialog (§12.2.1.1, §13.3.1.4). */
  localContact: string;
  private current: DialogState;
  private localSeqNumber: number | undefined;
  private remoteSeqNumber: number | undefined;
  private target: Uri;
  private routes: readonly NameAddr[];

  private constructor(init: DialogInit) {
    this.id = init.id;
    this.current = init.state;
    this.localSeqNumber = init.localSeq;
    this.remoteSeqNumber = init.remoteSeq;
    this.localUri = init.localUri;
    this.remoteUri = init.remoteUri;
    this.target = init.remoteTarget;
    this.routes = init.routeSet;
    this.secure = init.secure;
    this.localContact = init.localContact;
  }

  /**
   * §12.1.2 (UAC): "The route set MUST be set to the list of URIs in the Record-Route header
   * field from the response, taken in reverse order ... The remote target MUST be set to the URI
   * from the Contact header field of the response ... The local sequence number MUST be set to
   * the value of the sequence number in the CSeq header field of the request. The remote
   * sequence number MUST be empty ... The remote tag MUST be set to the tag in the To field of
   * the response." A 1xx with a To tag makes an early dialog, a 2xx a confirmed one (§12.1).
   */
  static asUac(request: SipRequest, response: SipResponse, localContact: string): Dialog {
    const remoteTag = response.to.tag;
    const localTag = request.from.tag;
    if (remoteTag === undefined || localTag === undefined) throw new DialogStateError('a dialog needs a From tag and a To tag');
    const contact = firstContactUri(response);
    if (contact === undefined) throw new DialogStateError('the response that creates a dialog must carry a Contact');
    return new Dialog({
      id: { callId: request.callId, localTag, remoteTag },
      state: response.status < 200 ? DialogState.Early : DialogState.Confirmed,
      localSeq: request.cseq.seq,
      remoteSeq: undefined,
      localUri: request.from,
      remoteUri: response.to,
      remoteTarget: contact,
      routeSet: [...response.recordRoutes].reverse(),
      secure: isSips(request.uri),
      localContact,
    });
  }

  /**
   * §12.1.1 (UAS): "The route set MUST be set to the list of URIs in the Record-Route header
   * field from the request, taken in order ... The remote target MUST be set to the URI from the
   * Contact header field of the request. The remote sequence number MUST be set to the value of
   * the sequence number in the CSeq header field of the request. The local sequence number MUST
   * be empty." The local tag is the To tag of our response.
   */
  static asUas(request: SipRequest, response: SipResponse, localContact: string): Dialog {
    const remoteTag = request.from.tag;
    const localTag = response.to.tag;
    if (remoteTag === undefined || localTag === undefined) throw new DialogStateError('a dialog needs a From tag and a To tag');
    const contact = firstContactUri(request);
    if (contact === undefined) throw new DialogStateError('the request that creates a dialog must carry a Contact');
    return new Dialog({
      id: { callId: request.callId, localTag, remoteTag },
      state: response.status < 200 ? DialogState.Early : DialogState.Confirmed,
      localSeq: undefined,
      remoteSeq: request.cseq.seq,
      localUri: response.to,
      remoteUri: request.from,
      remoteTarget: contact,
      routeSet: [...request.recordRoutes],
      secure: isSips(request.uri),
      localContact,
    });
  }

  get state(): DialogState {
    return this.current;
  }
  get localSeq(): number | undefined {
    return this.localSeqNumber;
  }
  get remoteSeq(): number | undefined {
    return this.remoteSeqNumber;
  }
  get remoteTarget(): Uri {
    return this.target;
  }
  get routeSet(): readonly NameAddr[] {
    return this.routes;
  }
  get key(): string {
    return dialogKey(this.id);
  }

  /** §13.2.2.4: the 2xx confirms an early dialog. */
  confirm(): void {
    this.stateTransition(DialogState.Confirmed);
  }

  terminate(): void {
    if (this.current !== DialogState.Terminated) this.stateTransition(DialogState.Terminated);
  }

  /**
   * §12.2.1.1: builds a request within the dialog. "The URI in the To field of the request MUST
   * be set to the remote URI from the dialog state. The tag in the To header field ... to the
   * remote tag ... The From URI ... local URI ... local tag ... The Call-ID ... of the dialog.
   * Requests within a dialog MUST contain strictly monotonically increasing and contiguous CSeq
   * sequence numbers ... with the exception of ACK and CANCEL", which reuse the INVITE's number
   * (pass `cseq`). Routing: a loose-routing first route (`lr`) keeps the remote target as the
   * Request-URI with the whole route set as Route; otherwise (strict routing) the first route
   * becomes the Request-URI and the remote target is appended as the last Route.
   */
  createRequest(method: string, options: { cseq?: number; headers?: readonly (readonly [string, string])[]; body?: string | Uint8Array; contentType?: string } = {}): SipRequest {
    if (this.current === DialogState.Terminated) throw new DialogStateError(`no ${method} in a terminated dialog`);
    let seq = options.cseq;
    if (seq === undefined) {
      // §12.2.1.1: an empty local sequence number (UAS side) starts anywhere below 2**31.
      this.localSeqNumber = this.localSeqNumber === undefined ? initialSeq() : this.localSeqNumber + 1;
      seq = this.localSeqNumber;
    }
    const first = this.routes[0];
    const looseFirst = first === undefined || (isSipUri(first.uri) && first.uri.lr);
    let requestUri: Uri;
    let routes: string[];
    if (looseFirst) {
      requestUri = this.target;
      routes = this.routes.map((r) => r.toString());
    } else {
      // §12.2.1.1 strict routing: "the UAC MUST place the first URI from the route set into the
      // Request-URI, stripping any parameters that are not allowed in a Request-URI", then the
      // rest of the route set and the remote target as the last Route.
      requestUri = first.uri;
      routes = [...this.routes.slice(1).map((r) => r.toString()), `<${this.target.toString()}>`];
    }
    const headers: [string, string][] = [
      ...routes.map((r): [string, string] => ['Route', r]),
      ['Max-Forwards', '70'],
      ['From', this.localUri.withTag(this.id.localTag).toString()],
      ['To', this.remoteUri.withTag(this.id.remoteTag).toString()],
      ['Call-ID', this.id.callId],
      ['CSeq', `${seq} ${method}`],
    ];
    if (method !== 'ACK' && method !== 'CANCEL' && method !== 'BYE') headers.push(['Contact', this.localContact]);
    for (const [name, value] of options.headers ?? []) headers.push([name, value]);
    if (options.body !== undefined && options.contentType !== undefined) headers.push(['Content-Type', options.contentType]);
    return new SipRequest({ method, uri: requestUri, headers, ...(options.body === undefined ? {} : { body: options.body }) });
  }

  /**
   * §12.2.2: a request received in the dialog. "If the remote sequence number is empty, it
   * MUST be set to the value of the sequence number in the CSeq header field value in the
   * request. If the remote sequence number was not empty, but the sequence number of the
   * request is lower than the remote sequence number, the request is out of order and MUST be
   * rejected with a 500 (Server Internal Error) response." ACK and CANCEL carry the INVITE's
   * number and are not checked. A target refresh request (re-INVITE, UPDATE) replaces the
   * remote target with its Contact.
   */
  receiveRequest(request: SipRequest): void {
    if (request.method === 'ACK' || request.method === 'CANCEL') return;
    const seq = request.cseq.seq;
    if (this.remoteSeqNumber !== undefined && seq <= this.remoteSeqNumber) {
      // Equal is a retransmission the transaction layer absorbs; reaching here it is a replay.
      throw new OutOfOrderRequestError(`CSeq ${seq} is not above ${this.remoteSeqNumber}`);
    }
    this.remoteSeqNumber = seq;
    if (isTargetRefresh(request.method)) this.refreshTarget(request);
  }

  /** §12.2.1.2: a 2xx to a target refresh request we sent replaces the remote target. */
  receiveResponse(request: SipRequest, response: SipResponse): void {
    if (response.status >= 200 && response.status < 300 && isTargetRefresh(request.method)) this.refreshTarget(response);
  }

  /** Whether a request or response belongs to this dialog (§12.2.2: by dialog ID). */
  matches(message: SipRequest | SipResponse, asUas: boolean): boolean {
    const localTag = asUas ? message.to.tag : message.from.tag;
    const remoteTag = asUas ? message.from.tag : message.to.tag;
    return message.callId === this.id.callId && localTag === this.id.localTag && remoteTag === this.id.remoteTag;
  }

  private refreshTarget(message: SipRequest | SipResponse): void {
    const contact = firstContactUri(message);
    if (contact !== undefined) this.target = contact;
  }

  private stateTransition(to: DialogState): void {
    if (!allowedMoves[this.current].includes(to)) throw new DialogStateError(`dialog cannot go from ${this.current} to ${to}`);
    this.current = to;
  }
}

/** RFC 3261 §12.2 and RFC 3311 §5.1: re-INVITE and UPDATE are target refresh requests. */
function isTargetRefresh(method: string): boolean {
  return method === 'INVITE' || method === 'UPDATE';
}

function firstContactUri(message: SipRequest | SipResponse): Uri | undefined {
  for (const contact of message.contacts) if (!contact.wildcard) return contact.uri;
  return undefined;
}

function isSips(uri: Uri): boolean {
  return isSipUri(uri) && uri.scheme === 'sips';
}

/** §8.1.1.5: "The sequence number value MUST be expressible as a 32-bit unsigned integer and MUST be less than 2**31." */
function initialSeq(): number {
  return (randomBytes(2).readUInt16BE(0) % 10000) + 1;
}
