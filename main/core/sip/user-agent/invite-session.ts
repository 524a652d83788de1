/**
 * What an outgoing and an incoming INVITE session share once a dialog exists (RFC 3261 §12–§15):
 * BYE both ways (§15), re-INVITE and UPDATE offers both ways (§14, RFC 3311) with glare (§14.1,
 * §14.2), the ACK for a 2xx we get and the 2xx retransmission for one we send (§13.2.2.4,
 * §13.3.1.4), and session timers (RFC 4028). Each subclass keeps its own table of moves.
 */
import type { DialogUsage } from './dialog-usage.js';
import { credentialHeaders } from '../auth/index.js';
import type { Dialog} from '../dialogs/index.js';
import { OutOfOrderRequestError, dialogKey } from '../dialogs/index.js';
import { createResponse } from '../messages/create-response.js';
import type { SipRequest, SipResponse } from '../messages/index.js';
import { SipRequestError } from '../sip-endpoint.js';
import type { InviteServerTransaction, ServerTransaction } from '../transactions/index.js';
import { SdpNegotiationError, SdpParseError, type NegotiatedAudio, type SessionDescriptionState } from '../../media/sdp/index.js';
import { glareRetryDelay } from './glare-retry-delay.js';
import type { SessionContext } from './session-context.js';
import type { RemoteIdentity, SessionDelegate, TerminationInfo } from './session-delegate.js';
import { SessionState, type SessionMoves } from './session-state.js';
import { SessionStateError } from './session-state-error.js';
import type { TargetRefreshOutcome } from './target-refresh.js';
import {
  decideAsUac,
  decideAsUas,
  defaultSessionTimerSettings,
  expiryDelay,
  readMinSE,
  refreshDelay,
  type SessionTimerAgreement,
} from './session-timer.js';
import { SuccessRetransmission } from './success-retransmission.js';
import { IncomingRefer, ReferTargetError, referTargetOf } from './refer.js';
import { ReferSubscriber } from '../subscriptions/index.js';
import { ALLOWED_METHODS, SUPPORTED_EXTENSIONS } from './user-agent-settings.js';

export type OfferMethod = 'INVITE' | 'UPDATE';

/** How one offer exchange of ours ended: a final response, or the session ending (with why, when the exchange ended it). */
type OfferResult =
  | { readonly kind: 'answered'; readonly status: number; readonly reason: string; readonly response: SipResponse }
  | { readonly kind: 'ended'; readonly info?: TerminationInfo };

/** Attempts of one target refresh: the first, and retries after 491 (§14.1) or 500 with Retry-After (§14.2). */
const MAX_TARGET_REFRESH_ATTEMPTS = 5;
/** §14.2 asks for a Retry-After of 0–10 s; a longer one is not waited for. */
const MAX_RETRY_AFTER_SECONDS = 10;

/** An SDP body we cannot parse or negotiate: answered 488 (§13.3.1.3, RFC 3264 §6). */
export function isSdpError(error: unknown): error is SdpNegotiationError | SdpParseError {
  return error instanceof SdpNegotiationError || error instanceof SdpParseError;
}

export { credentialHeaders } from '../auth/index.js';

/** The 2xx of ours being retransmitted, and whether its offer waits for the answer in the ACK. */
interface PendingAck {
  readonly retransmission: SuccessRetransmission;
  readonly answerInAck: boolean;
}

type TimerName = 'glare' | 'refresh' | 'expiry' | 'retry';

export abstract class InviteSession implements DialogUsage {
  delegate: SessionDelegate | undefined;
  /** The dialog of the session: confirmed, or (UAS) early until the 2xx. */
  protected dialog: Dialog | undefined;
  protected sdp: SessionDescriptionState | undefined;
  /** What the peer said it allows (§20.5), to refresh by UPDATE when it can (RFC 4028 §7.4). */
  protected remoteAllow: readonly string[] = [];
  protected abstract readonly moves: SessionMoves;
  /** Whether we generated the Call-ID: the UAC of the initial INVITE (§14.1 glare timers). */
  protected abstract readonly ownsCallId: boolean;
  private current: SessionState;
  private lastMedia: NegotiatedAudio | undefined;
  /** Keys under which the user agent core routes to us (dialogs, and a client's call key). */
  private readonly keys = new Set<string>();
  /** Our re-INVITE or UPDATE with an offer is in progress (§14.1: one at a time). */
  private outgoingOffer: OfferMethod | undefined;
  private pendingAck: PendingAck | undefined;
  /** The ACK we sent for the last 2xx to our INVITE, per dialog: resent for retransmissions. */
  private readonly acks = new Map<string, { readonly cseq: number; readonly ack: SipRequest }>();
  private timerAgreement: SessionTimerAgreement | undefined;
  /** The Session-Expires to ask for next, raised by a 422 (RFC 4028 §7.3). */
  private requestedInterval: number | undefined;
  private byeAfterAck = false;
  private readonly timers = new Map<TimerName, ReturnType<typeof setTimeout>>();
  /** Waiting for no exchange to be in progress in either direction (§14.1), or the end. */
  private readonly idleWaiters: (() => void)[] = [];
  /** Waiting for the session to end (a retry's wait is cut short by it). */
  private readonly endWaiters: (() => void)[] = [];
  /** Offer/answer exchanges completed so far, either direction (a target refresh counts them). */
  private exchanges = 0;
  /** REFERs we sent whose implicit subscription is still open, by their CSeq (RFC 3515 §2.4.6). */
  private readonly refers = new Map<string, ReferSubscriber>();
  /** REFERs we accepted: their implicit subscriptions, which the peer may refresh. */
  private readonly referred: IncomingRefer[] = [];

  protected constructor(
    protected readonly context: SessionContext,
    initial: SessionState,
  ) {
    this.current = initial;
  }

  get state(): SessionState {
    return this.current;
  }

  /** The media as last agreed, if an exchange completed. */
  get media(): NegotiatedAudio | undefined {
    return this.lastMedia;
  }

  /** The session timer in force (RFC 4028), if any. */
  get sessionTimer(): SessionTimerAgreement | undefined {
    return this.timerAgreement;
  }

  /** The dialog ID (§12), once there is a dialog. */
  get dialogId(): Dialog['id'] | undefined {
    return this.dialog?.id;
  }

  abstract get remoteIdentity(): RemoteIdentity;

  /**
   * §15.1.1: ends an established session with a BYE. A UAS waiting for the ACK of its 2xx sends
   * it once the ACK comes or the 2xx retransmission gives up (§15: "MUST NOT send a BYE on a
   * confirmed dialog until it has received an ACK for its 2xx response or until the server
   * transaction times out").
   */
  bye(): void {
    if (this.current === SessionState.WaitingForAck) {
      this.byeAfterAck = true;
      return;
    }
    if (this.current !== SessionState.Established) throw new SessionStateError(this.current, 'send BYE');
    this.endDialog({ by: 'local' });
  }

  /** Puts the peer on hold with a new offer (RFC 6337 §5.3) by re-INVITE (default) or UPDATE. */
  async hold(method: OfferMethod = 'INVITE'): Promise<void> {
    this.requireEstablished('hold');
    this.sdp?.hold();
    return this.sendOffer(method);
  }

  async resume(method: OfferMethod = 'INVITE'): Promise<void> {
    this.requireEstablished('resume');
    this.sdp?.resume();
    return this.sendOffer(method);
  }

  /**
   * Sends an INFO in the session (RFC 6086 §4.2.1; here the legacy, package-less use such as
   * `application/dtmf-relay`); resolves with the final status, or rejects with a SipRequestError.
   */
  async info(contentType: string, body: string): Promise<number> {
    const dialog = this.dialog;
    if (this.current !== SessionState.Established || dialog === undefined) throw new SessionStateError(this.current, 'send INFO');
    const { response } = await this.context.exchange((credentials) =>
      dialog.createRequest('INFO', { headers: [...this.userAgentHeader(), ...credentialHeaders(credentials)], body, contentType }),
    );
    return response.status;
  }

  /**
   * Asks the peer to call `referTo` (RFC 3515 §2.4.1; a name-addr, e.g. `<sip:carol@example.com>`
   * or one with `?Replaces=` for an attended transfer), saying we asked (RFC 3892 Referred-By).
   * Resolves with the REFER's final status; the transfer's progress then comes to
   * `delegate.onReferProgress` from the peer's NOTIFYs.
   */
  async refer(referTo: string): Promise<{ id: string; status: number; reason: string }> {
    const dialog = this.dialog;
    if (this.current !== SessionState.Established || dialog === undefined) throw new SessionStateError(this.current, 'send REFER');
    let id = '';
    const { response } = await this.context.exchange((credentials) => {
      const request = dialog.createRequest('REFER', {
        headers: [['Refer-To', referTo], ['Referred-By', dialog.localUri.withoutParam('tag').toString()], ...this.userAgentHeader(), ...credentialHeaders(credentials)],
      });
      // A NOTIFY may overtake the 202 (RFC 3515 §2.4.4): the subscription exists before sending.
      this.refers.delete(id);
      const referId = String(request.cseq.seq);
      id = referId;
      const subscriber = new ReferSubscriber({
        dialog,
        refer: request,
        send: (again) => this.context.exchange(again),
        t1: this.context.settings.timers.t1,
        delegate: {
          onProgress: (progress) => {
            if (progress.final) this.refers.delete(referId);
            this.delegate?.onReferProgress?.({ id: referId, ...progress });
          },
          onTerminated: () => this.refers.delete(referId),
        },
      });
      this.refers.set(referId, subscriber);
      return request;
    });
    if (response.status >= 300) this.refers.delete(id);
    return { id, status: response.status, reason: response.reason };
  }

  /** A new offer with whatever changed in the SessionDescriptionState (port, codecs...). */
  renegotiate(method: OfferMethod = 'INVITE'): Promise<void> {
    return this.sendOffer(method);
  }

  /**
   * A target refresh after a network change (§12.2, §14; pjsua's re-INVITE with
   * UPDATE_CONTACT): a re-INVITE whose Contact is `contact` and whose offer is a new version
   * of our description (`prepare` changes it — a new address, a new port — just before it is
   * written). Serialised: it waits for any exchange in progress in either direction (a hold,
   * the peer's re-INVITE awaiting its ACK) rather than colliding with it (§14.1). A 491 is tried
   * again after the §14.1 timer, a 500 after its Retry-After (§14.2); an exchange the peer
   * completes meanwhile refreshes the target as well (our 2xx carries the Contact and the new
   * description), so no second request is sent. A 408, a 481 or no answer ends the session
   * (§12.2.1.2): `failed`. Any other refusal leaves the session as it was: `refused`.
   */
  async refreshTarget(contact: string, prepare?: () => void): Promise<TargetRefreshOutcome> {
    let prepared = false;
    let baseline = 0;
    let last: { status: number; reason: string } | undefined;
    for (let attempt = 0; attempt < MAX_TARGET_REFRESH_ATTEMPTS; attempt++) {
      while (this.current === SessionState.Established && !this.idle()) await this.whenIdle();
      const dialog = this.dialog;
      if (this.current !== SessionState.Established || dialog === undefined) return { kind: 'over' };
      if (prepared && this.exchanges > baseline) return { kind: 'accepted' };
      const result = await this.exchangeOffer('INVITE', () => {
        if (prepared) return;
        prepared = true;
        // §12.2.1.1: the Contact of every later request (and 2xx) in the dialog.
        dialog.localContact = contact;
        prepare?.();
        baseline = this.exchanges;
      });
      if (result.kind === 'ended') {
        const info = result.info;
        return info === undefined ? { kind: 'over' } : { kind: 'failed', ...(info.code === undefined ? {} : { code: info.code }), reason: info.reason ?? 'no answer' };
      }
      const { status, reason, response } = result;
      if (status >= 200 && status < 300) return { kind: 'accepted' };
      last = { status, reason };
      let waitMs: number;
      if (status === 491) {
        waitMs = glareRetryDelay(this.ownsCallId, this.context.settings.random);
      } else if (status === 500 && retryAfterSeconds(response) !== undefined) {
        waitMs = retryAfterSeconds(response)! * 1000;
      } else {
        return { kind: 'refused', code: status, reason };
      }
      await this.pause(waitMs);
    }
    return { kind: 'refused', code: last?.status ?? 491, reason: last?.reason ?? 'Request Pending' };
  }

  /** Waits `ms`, or less if the session ends meanwhile. */
  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        const index = this.endWaiters.indexOf(wake);
        if (index >= 0) this.endWaiters.splice(index, 1);
        resolve();
      };
      this.endWaiters.push(wake);
      this.setTimer('retry', ms, wake);
    });
  }

  /** No offer/answer exchange in progress in either direction, or the session is not up. */
  private idle(): boolean {
    return this.current !== SessionState.Established || (this.outgoingOffer === undefined && this.pendingAck === undefined && this.sdp?.offerPending !== true);
  }

  private whenIdle(): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** An exchange settled (or the session ended): those waiting for quiet go on. */
  private settle(): void {
    if (!this.idle()) return;
    for (const wake of this.idleWaiters.splice(0)) wake();
  }

  /** The user agent core matched `request` to one of our dialogs (§12.2.2). */
  receiveRequest(request: SipRequest, transaction: ServerTransaction, key: string): void {
    const dialog = this.dialogFor(key);
    if (dialog === undefined) {
      this.respond(transaction, request, 481);
      return;
    }
    try {
      dialog.receiveRequest(request);
    } catch (error) {
      if (!(error instanceof OutOfOrderRequestError)) throw error;
      // §12.2.2: "the request is out of order and MUST be rejected with a 500".
      this.respond(transaction, request, 500);
      return;
    }
    switch (request.method) {
      // §15.1.2: "the UAS core ... SHOULD generate a 2xx response to the BYE, and MUST pass
      // that to the server transaction for transmission ... [and] terminate the session".
      case 'BYE':
        this.respond(transaction, request, 200);
        if (dialog === this.dialog) this.terminated({ by: 'remote' });
        else this.forgetDialog(dialog);
        return;
      case 'INVITE':
        this.receiveReinvite(request, transaction as InviteServerTransaction, dialog);
        return;
      case 'UPDATE':
        this.receiveUpdate(request, transaction);
        return;
      case 'PRACK':
        this.receivePrack(request, transaction);
        return;
      // §11.2: OPTIONS inside a dialog is answered as outside it.
      case 'OPTIONS':
        this.respond(transaction, request, 200, [['Accept', 'application/sdp']]);
        return;
      // RFC 6086 §4.2.2: an INFO whose content the owner does not take gets 415 (legacy use,
      // no Info-Package: e.g. application/dtmf-relay).
      case 'INFO': {
        const type = request.contentType;
        const taken = type !== undefined && this.delegate?.onInfo?.(`${type.type}/${type.subtype}`.toLowerCase(), request.bodyText) === true;
        this.respond(transaction, request, taken ? 200 : 415);
        return;
      }
      case 'REFER':
        this.receiveRefer(request, transaction, dialog);
        return;
      case 'NOTIFY':
        this.receiveNotify(request, transaction);
        return;
      case 'SUBSCRIBE':
        this.receiveSubscribe(request, transaction);
        return;
      default:
        this.respond(transaction, request, 405);
    }
  }

  /**
   * RFC 3515 §2.4.2: a REFER in the session. Exactly one Refer-To (else 400); a target we cannot
   * call is refused (400 malformed, 403 other schemes); the owner then accepts or declines.
   */
  private receiveRefer(request: SipRequest, transaction: ServerTransaction, dialog: Dialog): void {
    const onRefer = this.delegate?.onRefer;
    if (onRefer === undefined || this.current !== SessionState.Established) {
      this.respond(transaction, request, 603);
      return;
    }
    let target;
    try {
      if (request.getAll('Refer-To').length !== 1) throw new ReferTargetError(400, 'a REFER needs exactly one Refer-To');
      const referTo = request.referTo;
      if (referTo === undefined) throw new ReferTargetError(400, 'a REFER needs a Refer-To');
      target = referTargetOf(referTo);
    } catch (error) {
      const status = error instanceof ReferTargetError ? error.status : 400;
      const reason = error instanceof Error ? error.message : 'Bad Refer-To';
      transaction.respond(createResponse(request, status, { reason: status === 400 ? 'Bad Refer-To' : 'Forbidden', headers: [['Warning', `399 - "${reason.replace(/["\\]/g, '')}"`]] }));
      this.delegate?.onReferRefused?.(status, reason);
      return;
    }
    const refer = new IncomingRefer(request, target, transaction, dialog, (build) => this.context.exchange(build));
    this.referred.push(refer);
    onRefer.call(this.delegate, refer);
  }

  /**
   * A NOTIFY of the implicit subscription of a REFER we sent (RFC 3515 §2.4.5), handed to it
   * (it answers 200, or 400 for a body that is no sipfrag status line); 489 for another event
   * package (RFC 6665 §4.1.3), 481 for a subscription we do not have.
   */
  private receiveNotify(request: SipRequest, transaction: ServerTransaction): void {
    const subscriber = [...this.refers.values()].find((s) => s.matches(request));
    if (subscriber !== undefined) {
      subscriber.receiveRequest(request, transaction);
      return;
    }
    let refer: boolean;
    try {
      refer = request.event?.type.toLowerCase() === 'refer';
    } catch {
      this.respond(transaction, request, 400);
      return;
    }
    this.respond(transaction, request, refer ? 481 : 489);
  }

  /** A SUBSCRIBE in the dialog: the refresh (or end) of a REFER's implicit subscription (§2.4.4). */
  private receiveSubscribe(request: SipRequest, transaction: ServerTransaction): void {
    const notifier = this.referred.map((r) => r.subscription).find((n) => n?.matches(request) === true);
    if (notifier === undefined) this.respond(transaction, request, 489);
    else notifier.receiveRequest(request, transaction);
  }

  /** An ACK for a 2xx of ours (§13.3.1.4, §17.1.1.3: no transaction absorbs it). */
  receiveAck(ack: SipRequest): void {
    const pending = this.pendingAck;
    if (pending === undefined || ack.cseq.seq !== pending.retransmission.cseq) return;
    pending.retransmission.stop();
    this.pendingAck = undefined;
    // Whatever the ACK carries, the exchange is over once this returns.
    queueMicrotask(() => this.settle());
    if (pending.answerInAck && this.sdp !== undefined) {
      // §13.3.1.4 / RFC 3264 §4: our offer was in the 2xx, so the ACK carries the answer.
      if (ack.body.length === 0) {
        this.sdp.offerFailed();
        this.endDialog({ by: 'error', reason: 'the ACK carried no SDP answer' });
        return;
      }
      try {
        this.negotiated(this.sdp.processAnswer(ack.bodyText));
      } catch (error) {
        if (!isSdpError(error)) throw error;
        this.sdp.offerFailed();
        this.endDialog({ by: 'error', code: 488, reason: error.message });
        return;
      }
    }
    this.ackReceived();
  }

  /**
   * A 2xx to INVITE no client transaction wanted any more (after Timer M, RFC 6026 §8.4): the
   * peer did not get our ACK, so it is sent again (§13.2.2.4).
   */
  receiveStrayResponse(response: SipResponse): void {
    const dialog = this.dialogFor(dialogKeyOfResponse(response));
    const sent = dialog === undefined ? undefined : this.acks.get(dialog.key);
    if (sent !== undefined && sent.cseq === response.cseq.seq) this.resendAck(sent.ack);
  }

  /** The move the subclass's table allows, or a plain Error (a bug, not a network event). */
  protected stateTransition(to: SessionState): void {
    const from = this.current;
    if (from === to && to !== SessionState.Terminated) return;
    if (!(this.moves[from] ?? []).includes(to)) throw new Error(`${this.constructor.name} cannot go from ${from} to ${to}`);
    this.current = to;
    this.delegate?.onStateChange?.(to);
  }

  /** A PRACK in one of our dialogs; only a UAS with a reliable 1xx pending wants one (RFC 3262 §3). */
  protected receivePrack(request: SipRequest, transaction: ServerTransaction): void {
    this.respond(transaction, request, 481);
  }

  /** The ACK of our 2xx came: a UAS's call is now established. */
  protected ackReceived(): void {
    if (this.byeAfterAck) {
      this.byeAfterAck = false;
      this.endDialog({ by: 'local' });
    }
  }

  protected registerDialog(dialog: Dialog): void {
    this.addKey(dialog.key);
  }

  protected addKey(key: string): void {
    this.keys.add(key);
    this.context.addDialog(key, this);
  }

  protected forgetDialog(dialog: Dialog): void {
    dialog.terminate();
    this.keys.delete(dialog.key);
    this.context.removeDialog(dialog.key);
  }

  /** Which of our dialogs a key names; a client session overrides it for its early dialogs. */
  protected dialogFor(key: string): Dialog | undefined {
    return this.dialog?.key === key ? this.dialog : undefined;
  }

  protected respond(
    transaction: ServerTransaction,
    request: SipRequest,
    status: number,
    headers: readonly (readonly [string, string])[] = [],
    body?: string,
  ): void {
    const extra: [string, string][] = status === 405 || status === 200 ? [['Allow', ALLOWED_METHODS.join(', ')]] : [];
    transaction.respond(createResponse(request, status, { headers: [...extra, ...headers], ...(body === undefined ? {} : { body }) }));
  }

  /** Allow, Supported and User-Agent: what our INVITEs, re-INVITEs, UPDATEs and their 2xx say. */
  protected capabilityHeaders(): [string, string][] {
    const settings = this.context.settings;
    const supported = SUPPORTED_EXTENSIONS.filter((tag) => tag !== '100rel' || settings.reliableProvisional !== 'never');
    const headers: [string, string][] = [
      ['Allow', ALLOWED_METHODS.join(', ')],
      ['Supported', supported.join(', ')],
    ];
    if (settings.userAgent !== undefined) headers.push(['User-Agent', settings.userAgent]);
    return headers;
  }

  /**
   * RFC 4028 §7.1/§7.4: Session-Expires and Min-SE in a session refresh request. With a timer
   * in force, the refresher stays who it is; otherwise we ask for one when configured to.
   */
  protected sessionTimerHeaders(): [string, string][] {
    const settings = this.context.settings.sessionTimer;
    const agreement = this.timerAgreement;
    const minSE = settings?.minSE ?? defaultSessionTimerSettings.minSE;
    if (agreement !== undefined) {
      const interval = Math.max(this.requestedInterval ?? agreement.interval, minSE);
      return [
        ['Session-Expires', `${interval};refresher=${agreement.localRefresher ? 'uac' : 'uas'}`],
        ['Min-SE', `${minSE}`],
      ];
    }
    if (settings === undefined) return [];
    return [
      ['Session-Expires', `${Math.max(this.requestedInterval ?? settings.expires, minSE)}`],
      ['Min-SE', `${minSE}`],
    ];
  }

  /**
   * RFC 4028 §7.3: a 422 carries the peer's Min-SE; the request is retried once asking for at
   * least that. Returns whether a retry is worth it.
   */
  protected raiseIntervalFor(response: SipResponse): boolean {
    const minSE = readMinSE(response);
    if (minSE === undefined || (this.requestedInterval !== undefined && this.requestedInterval >= minSE)) return false;
    this.requestedInterval = minSE;
    return true;
  }

  /**
   * Starts sending our 2xx to an INVITE until its ACK (§13.3.1.4). `answerInAck`: the 2xx
   * carries our offer, the ACK must carry the answer (§13.2.1).
   */
  protected sendSuccess(transaction: InviteServerTransaction, response: SipResponse, answerInAck: boolean): void {
    const retransmission = new SuccessRetransmission(transaction, response, this.context.settings.timers, () => {
      this.pendingAck = undefined;
      queueMicrotask(() => this.settle());
      if (answerInAck) this.sdp?.offerFailed();
      this.byeAfterAck = false;
      // §13.3.1.4: "the dialog is confirmed, but the session SHOULD be terminated ... with a BYE".
      if (this.current === SessionState.WaitingForAck || this.current === SessionState.Established) {
        this.endDialog({ by: 'timeout', reason: 'no ACK for the 2xx (RFC 3261 §13.3.1.4)' });
      }
    });
    this.pendingAck = { retransmission, answerInAck };
  }

  /**
   * §13.2.2.4: "The UAC core MUST generate an ACK request for each 2xx received from the
   * transaction layer ... constructed in the same way as any other request sent within a dialog
   * ... with the exception of the CSeq and the header fields related to authentication. The
   * sequence number of the CSeq header field MUST be the same as the INVITE being acknowledged
   * ... [and] MUST contain the same credentials as the INVITE." The ACK of a retransmitted 2xx
   * is the same ACK again.
   */
  protected acknowledge(dialog: Dialog, request: SipRequest, body?: string): void {
    const seq = request.cseq.seq;
    const sent = this.acks.get(dialog.key);
    if (sent !== undefined && sent.cseq === seq) {
      this.resendAck(sent.ack);
      return;
    }
    const credentials = [...request.getAll('Authorization').map((v): [string, string] => ['Authorization', v]), ...request.getAll('Proxy-Authorization').map((v): [string, string] => ['Proxy-Authorization', v])];
    const ack = dialog.createRequest('ACK', {
      cseq: seq,
      headers: credentials,
      ...(body === undefined ? {} : { body, contentType: 'application/sdp' }),
    });
    this.acks.set(dialog.key, { cseq: seq, ack });
    this.resendAck(ack);
  }

  /** An exchange settled the media: tell the owner. */
  protected negotiated(media: NegotiatedAudio): void {
    this.lastMedia = media;
    this.exchanges++;
    this.delegate?.onSessionDescription?.(media);
  }

  /** RFC 4028 §10: the refresher refreshes at half the interval; the other side ends the session if none came. */
  protected applySessionTimer(agreement: SessionTimerAgreement | undefined): void {
    this.clearTimer('refresh');
    this.clearTimer('expiry');
    this.timerAgreement = agreement;
    this.requestedInterval = undefined;
    if (agreement === undefined) return;
    if (agreement.localRefresher) {
      this.setTimer('refresh', refreshDelay(agreement.interval), () => this.refreshSession());
    } else {
      this.setTimer('expiry', expiryDelay(agreement.interval), () =>
        this.endDialog({ by: 'timeout', code: 408, reason: 'session expired (RFC 4028 §10)' }),
      );
    }
  }

  /** Ends the dialog with a BYE (Terminating), then the session (Terminated). */
  protected endDialog(info: TerminationInfo): void {
    if (this.current === SessionState.Terminating || this.current === SessionState.Terminated) return;
    const dialog = this.dialog;
    if (dialog === undefined) {
      this.terminated(info);
      return;
    }
    this.stateTransition(SessionState.Terminating);
    this.stopTimers();
    void this.sendBye(dialog).finally(() => this.terminated(info));
  }

  /** §15.1.1: a BYE in `dialog`; any response, or none, ends it. */
  protected async sendBye(dialog: Dialog): Promise<void> {
    try {
      await this.context.exchange((credentials) =>
        dialog.createRequest('BYE', { headers: [...this.userAgentHeader(), ...credentialHeaders(credentials)] }),
      );
    } catch (error) {
      if (!(error instanceof SipRequestError)) throw error;
    }
  }

  /** Stops everything and reports the end once; every machine may end from every state. */
  protected terminated(info: TerminationInfo): void {
    if (this.current === SessionState.Terminated) return;
    this.stopTimers();
    this.pendingAck?.retransmission.stop();
    this.pendingAck = undefined;
    for (const key of this.keys) this.context.removeDialog(key);
    this.keys.clear();
    this.dialog?.terminate();
    this.stateTransition(SessionState.Terminated);
    for (const wake of this.endWaiters.splice(0)) wake();
    this.settle();
    this.delegate?.onTerminated?.(info);
  }

  protected setTimer(name: TimerName, ms: number, fire: () => void): void {
    this.clearTimer(name);
    this.timers.set(
      name,
      setTimeout(() => {
        this.timers.delete(name);
        fire();
      }, ms),
    );
  }

  private clearTimer(name: TimerName): void {
    const handle = this.timers.get(name);
    if (handle !== undefined) clearTimeout(handle);
    this.timers.delete(name);
  }

  private stopTimers(): void {
    for (const name of [...this.timers.keys()]) this.clearTimer(name);
  }

  private userAgentHeader(): [string, string][] {
    const userAgent = this.context.settings.userAgent;
    return userAgent === undefined ? [] : [['User-Agent', userAgent]];
  }

  private requireEstablished(action: string): void {
    if (this.current !== SessionState.Established) throw new SessionStateError(this.current, action);
  }

  private resendAck(ack: SipRequest): void {
    this.context.sendAck(ack).catch(() => undefined);
  }

  /**
   * §14.1 / RFC 3311 §5.1: a new offer in a re-INVITE or an UPDATE, once no other exchange is
   * in progress; after a 491 it is tried again once the §14.1 glare timer runs out.
   */
  private async sendOffer(method: OfferMethod): Promise<void> {
    // §14.1: one exchange at a time — one in progress (ours, or the peer's awaiting its ACK) is
    // waited for rather than refused.
    while (this.current === SessionState.Established && !this.idle()) await this.whenIdle();
    const result = await this.exchangeOffer(method);
    if (result.kind !== 'answered' || result.status !== 491) return;
    // §14.1 glare: try again after T, unless something else happened meanwhile.
    this.setTimer('glare', glareRetryDelay(this.ownsCallId, this.context.settings.random), () => {
      if (this.current === SessionState.Established && this.outgoingOffer === undefined && this.pendingAck === undefined) {
        this.sendOffer(method).catch(() => undefined);
      }
    });
  }

  /**
   * One offer exchange. "A UAC MUST NOT initiate a re-INVITE transaction while another INVITE
   * transaction is in progress in either direction" (§14.1); RFC 3264 §4: no new offer while one
   * is unanswered. `prepare` runs just before the offer is written (a target refresh moves the
   * media there). Resolves with the final status, or `ended` when the session is over.
   */
  private async exchangeOffer(method: OfferMethod, prepare?: () => void): Promise<OfferResult> {
    const dialog = this.dialog;
    const sdp = this.sdp;
    if (this.current !== SessionState.Established || dialog === undefined || sdp === undefined) {
      throw new SessionStateError(this.current, `send a ${method} offer`);
    }
    if (this.outgoingOffer !== undefined || sdp.offerPending || this.pendingAck !== undefined) {
      throw new SessionStateError(this.current, `send a ${method} offer while another exchange is in progress`);
    }
    // A new offer supersedes one waiting out a glare timer: it carries the same state (hold...).
    this.clearTimer('glare');
    prepare?.();
    this.outgoingOffer = method;
    let offer: string | undefined;
    let request: SipRequest;
    let response: SipResponse;
    try {
      ({ request, response } = await this.context.exchange(
        (credentials) => {
          offer ??= sdp.createOffer();
          return dialog.createRequest(method, {
            headers: [...this.capabilityHeaders(), ...this.sessionTimerHeaders(), ...credentialHeaders(credentials)],
            body: offer,
            contentType: 'application/sdp',
          });
        },
        {
          // A retransmitted 2xx to our re-INVITE: the same ACK again (§13.2.2.4).
          receiveResponse: (again, sent) => {
            if (method === 'INVITE' && again.status >= 200 && again.status < 300) this.acknowledge(dialog, sent);
          },
        },
      ));
    } catch (error) {
      this.outgoingOffer = undefined;
      if (offer !== undefined) sdp.offerFailed();
      if (!(error instanceof SipRequestError)) {
        this.settle();
        throw error;
      }
      // §12.2.1.2: "If the response for a request within a dialog is a 481 ... or a 408 ... or no
      // response at all is received ... the UAC SHOULD terminate the dialog."
      const info: TerminationInfo = { by: error.code === 'timeout' ? 'timeout' : 'error', code: 408, reason: error.message };
      this.endDialog(info);
      this.settle();
      return { kind: 'ended', info };
    }
    this.outgoingOffer = undefined;
    try {
      return await this.offerAnswered(method, dialog, sdp, request, response);
    } finally {
      this.settle();
    }
  }

  /** What a final response to our offer means (§14.1, RFC 3311 §5.1, RFC 4028 §7.3). */
  private async offerAnswered(method: OfferMethod, dialog: Dialog, sdp: SessionDescriptionState, request: SipRequest, response: SipResponse): Promise<OfferResult> {
    if (this.current !== SessionState.Established) {
      if (sdp.offerPending) sdp.offerFailed();
      return { kind: 'ended' };
    }
    dialog.receiveResponse(request, response);
    const status = response.status;
    const answered: OfferResult = { kind: 'answered', status, reason: response.reason, response };
    if (status >= 200 && status < 300) {
      if (method === 'INVITE') this.acknowledge(dialog, request);
      this.readAllow(response);
      try {
        this.negotiated(sdp.processAnswer(response.bodyText));
      } catch (error) {
        if (!isSdpError(error)) throw error;
        // RFC 3264 §8: an unusable answer leaves the old session in place.
        sdp.offerFailed();
      }
      this.applySessionTimer(decideAsUac(response));
      return answered;
    }
    sdp.offerFailed();
    if (status === 422 && this.raiseIntervalFor(response)) return this.exchangeOffer(method);
    if (status === 408 || status === 481) {
      const info: TerminationInfo = { by: 'remote', code: status, reason: response.reason };
      this.endDialog(info);
      return { kind: 'ended', info };
    }
    // Any other failure: "the session parameters remain as they were" (§14.1).
    return answered;
  }

  /**
   * RFC 4028 §7.4/§10: the refresher refreshes. UPDATE without a body when the peer allows it
   * (cheaper, no offer), else a re-INVITE with our unchanged description (§8 of RFC 3264: same
   * version).
   */
  private refreshSession(): void {
    const dialog = this.dialog;
    if (this.current !== SessionState.Established || dialog === undefined) return;
    if (this.outgoingOffer !== undefined || this.pendingAck !== undefined || this.sdp?.offerPending === true) {
      // An exchange is in progress; try again shortly rather than collide with it.
      this.setTimer('refresh', 2 * this.context.settings.timers.t2, () => this.refreshSession());
      return;
    }
    if (!this.remoteAllow.includes('UPDATE')) {
      this.sendOffer('INVITE').catch(() => undefined);
      return;
    }
    this.outgoingOffer = 'UPDATE';
    this.context
      .exchange((credentials) =>
        dialog.createRequest('UPDATE', { headers: [...this.capabilityHeaders(), ...this.sessionTimerHeaders(), ...credentialHeaders(credentials)] }),
      )
      .then(
        ({ request, response }) => {
          this.outgoingOffer = undefined;
          queueMicrotask(() => this.settle());
          if (this.current !== SessionState.Established) return;
          dialog.receiveResponse(request, response);
          if (response.status >= 200 && response.status < 300) this.applySessionTimer(decideAsUac(response));
          else if (response.status === 422 && this.raiseIntervalFor(response)) this.refreshSession();
          else if (response.status === 408 || response.status === 481) this.endDialog({ by: 'remote', code: response.status, reason: response.reason });
          else {
            // The peer refused UPDATE after all: refresh by re-INVITE instead.
            this.remoteAllow = this.remoteAllow.filter((m) => m !== 'UPDATE');
            this.refreshSession();
          }
        },
        (error: unknown) => {
          this.outgoingOffer = undefined;
          this.endDialog({ by: 'timeout', code: 408, reason: error instanceof Error ? error.message : 'refresh failed' });
          this.settle();
        },
      );
  }

  /**
   * §14.2: a re-INVITE. "A UAS that receives a second INVITE before it sends the final response
   * to a first INVITE with a lower CSeq sequence number on the same dialog MUST return a 500
   * (Server Internal Error) response to the second INVITE and MUST include a Retry-After header
   * field with a randomly chosen value of between 0 and 10 seconds. A UAS that receives an
   * INVITE on a dialog while an INVITE it had sent on that dialog is in progress MUST return a
   * 491 (Request Pending) response to the received INVITE."
   */
  private receiveReinvite(request: SipRequest, transaction: InviteServerTransaction, dialog: Dialog): void {
    const sdp = this.sdp;
    if (this.outgoingOffer !== undefined || sdp?.offerPending === true) {
      this.respond(transaction, request, 491);
      return;
    }
    if (this.pendingAck !== undefined || sdp === undefined || this.current !== SessionState.Established) {
      this.respond(transaction, request, 500, [['Retry-After', `${Math.floor(this.context.settings.random() * 11)}`]]);
      return;
    }
    const timer = decideAsUas(request, this.context.settings.sessionTimer ?? defaultSessionTimerSettings);
    if (timer.kind === 'too-small') {
      this.respond(transaction, request, 422, [['Min-SE', `${timer.minSE}`]]);
      return;
    }
    let body: string;
    let media: NegotiatedAudio | undefined;
    const answerInAck = request.body.length === 0;
    if (answerInAck) {
      // §14.2: "If the re-INVITE ... does not contain an offer, the UAS ... places an offer in the 2xx".
      body = sdp.createOffer();
    } else {
      try {
        const answer = sdp.createAnswer(request.bodyText);
        body = answer.sdp;
        media = answer.negotiated;
      } catch (error) {
        if (!isSdpError(error)) throw error;
        // §14.2: "If the UAS ... does not accept the offer, it responds 488 ... the session is unchanged".
        this.respond(transaction, request, 488, [['Warning', `${error instanceof SdpNegotiationError ? error.warnCode : 399} - "${error.message.replace(/["\\]/g, '')}"`]]);
        return;
      }
    }
    this.readAllow(request);
    const response = createResponse(request, 200, {
      headers: [['Contact', dialog.localContact], ...this.capabilityHeaders(), ...(timer.kind === 'agreed' ? timer.headers : []), ['Content-Type', 'application/sdp']],
      body,
    });
    this.sendSuccess(transaction, response, answerInAck);
    if (media !== undefined) this.negotiated(media);
    this.applySessionTimer(timer.kind === 'agreed' ? timer.agreement : undefined);
  }

  /**
   * RFC 3311 §5.2: an UPDATE. "If an UPDATE is received that contains an offer, and the UAS has
   * generated an offer (in an UPDATE, PRACK or INVITE) to which it has not yet received an
   * answer, the UAS MUST reject the UPDATE with a 491 response ... if the UAS has received an
   * offer (in an UPDATE, PRACK or INVITE) on which it has not yet generated an answer, the UAS
   * MUST reject the UPDATE with a 500 response, and MUST include a Retry-After". Without a body
   * it only refreshes the session (RFC 4028 §7.4) and the target (§5.2).
   */
  private receiveUpdate(request: SipRequest, transaction: ServerTransaction): void {
    const sdp = this.sdp;
    const hasOffer = request.body.length > 0;
    if (hasOffer && (this.outgoingOffer !== undefined || sdp?.offerPending === true)) {
      this.respond(transaction, request, 491);
      return;
    }
    if (hasOffer && (sdp === undefined || this.pendingAck?.answerInAck === true)) {
      this.respond(transaction, request, 500, [['Retry-After', `${Math.floor(this.context.settings.random() * 11)}`]]);
      return;
    }
    const timer = decideAsUas(request, this.context.settings.sessionTimer ?? defaultSessionTimerSettings);
    if (timer.kind === 'too-small') {
      this.respond(transaction, request, 422, [['Min-SE', `${timer.minSE}`]]);
      return;
    }
    const headers: [string, string][] = [['Contact', this.dialog?.localContact ?? this.context.settings.contact], ...(timer.kind === 'agreed' ? timer.headers : [])];
    if (hasOffer && sdp !== undefined) {
      let answer;
      try {
        answer = sdp.createAnswer(request.bodyText);
      } catch (error) {
        if (!isSdpError(error)) throw error;
        this.respond(transaction, request, 488);
        return;
      }
      this.respond(transaction, request, 200, [...headers, ['Content-Type', 'application/sdp']], answer.sdp);
      this.negotiated(answer.negotiated);
    } else {
      this.respond(transaction, request, 200, headers);
    }
    if (this.current === SessionState.Established) this.applySessionTimer(timer.kind === 'agreed' ? timer.agreement : undefined);
  }

  protected readAllow(message: SipRequest | SipResponse): void {
    try {
      if (message.has('Allow')) this.remoteAllow = message.allow;
    } catch {
      // A malformed Allow tells us nothing; keep what we knew.
    }
  }
}

/** §20.33 Retry-After in whole seconds, when present, readable and within what §14.2 allows. */
function retryAfterSeconds(response: SipResponse): number | undefined {
  const match = /^\s*(\d{1,5})/.exec(response.get('Retry-After') ?? '');
  if (match === null) return undefined;
  const seconds = Number(match[1]);
  return seconds <= MAX_RETRY_AFTER_SECONDS ? seconds : undefined;
}

/** The dialog key of a response to a request we sent (we are its UAC: From tag is ours). */
export function dialogKeyOfResponse(response: SipResponse): string {
  return dialogKey({ callId: response.callId, localTag: response.from.tag ?? '', remoteTag: response.to.tag ?? '' });
}

/** The dialog key of a request we received (we are its UAS: To tag is ours). */
export function dialogKeyOfRequest(request: SipRequest): string {
  return dialogKey({ callId: request.callId, localTag: request.to.tag ?? '', remoteTag: request.from.tag ?? '' });
}
