/**
 * An incoming call: the UAS side of an INVITE (RFC 3261 §13.3) with reliable provisional
 * responses (RFC 3262 §3), CANCEL (§9.2), the 2xx retransmitted until the ACK (§13.3.1.4) and
 * session timers (RFC 4028 §9).
 */
import { randomBytes } from 'node:crypto';
import { Dialog, DialogStateError } from '../dialogs/index.js';
import { createResponse } from '../messages/create-response.js';
import type { SipRequest, SipResponse } from '../messages/index.js';
import type { InviteServerTransaction, ServerTransaction } from '../transactions/index.js';
import { InviteServerTransactionState } from '../transactions/index.js';
import type { NegotiatedAudio, SessionDescriptionState } from '../../media/sdp/index.js';
import { InviteSession, isSdpError } from './invite-session.js';
import { remoteIdentityOf } from './remote-identity.js';
import type { SessionContext } from './session-context.js';
import type { RemoteIdentity } from './session-delegate.js';
import { SessionState, type SessionMoves } from './session-state.js';
import { SessionStateError } from './session-state-error.js';
import { decideAsUas, defaultSessionTimerSettings } from './session-timer.js';

const S = SessionState;

/** The moves of an incoming call; see the diagram of `SessionState`. */
const serverMoves: SessionMoves = {
  [S.Incoming]: [S.Ringing, S.WaitingForAck, S.Terminated],
  [S.Ringing]: [S.Ringing, S.WaitingForAck, S.Terminated],
  [S.WaitingForAck]: [S.Established, S.Terminating, S.Terminated],
  [S.Established]: [S.Terminating, S.Terminated],
  [S.Terminating]: [S.Terminated],
};

/** A reliable provisional response waiting for its PRACK (RFC 3262 §3). */
interface UnacknowledgedProvisional {
  readonly response: SipResponse;
  readonly rseq: number;
  interval: number;
  timer: ReturnType<typeof setTimeout>;
  readonly giveUp: ReturnType<typeof setTimeout>;
}

export class InviteServerSession extends InviteSession {
  /** Our To tag: the same in every response to the INVITE (and to its CANCEL, §9.2). */
  readonly localTag = randomBytes(6).toString('hex');
  protected readonly moves = serverMoves;
  protected readonly ownsCallId = false;
  private readonly identity: RemoteIdentity;
  private unacknowledged: UnacknowledgedProvisional | undefined;
  private nextRseq: number;
  /**
   * The session this INVITE replaces (RFC 3891: it carried a Replaces naming one of our
   * dialogs): the owner answers it and ends the replaced one (§3).
   */
  replaces: InviteSession | undefined;

  constructor(
    context: SessionContext,
    /** The INVITE that created the session. */
    readonly request: SipRequest,
    private readonly transaction: InviteServerTransaction,
  ) {
    super(context, S.Incoming);
    this.identity = remoteIdentityOf(request, request.from);
    // RFC 3262 §3: "The value of the RSeq ... MUST be between 1 and 2**31 - 1"; start low.
    this.nextRseq = 1 + Math.floor(context.settings.random() * 10000);
  }

  get remoteIdentity(): RemoteIdentity {
    return this.identity;
  }

  /** The caller's SDP offer, or undefined for an offerless INVITE (we offer in the 2xx). */
  get offer(): string | undefined {
    return this.request.body.length === 0 ? undefined : this.request.bodyText;
  }

  /** §13.3.1.1: 180 Ringing, with our tag and Contact; reliable when the caller wants it (RFC 3262). */
  ring(): void {
    this.provisional(180);
  }

  /**
   * §13.3.1.4: accepts the call: a 2xx with our answer (or our offer, §13.2.1), retransmitted
   * until the ACK. Returns the media agreed when the INVITE carried an offer; an offer we
   * cannot accept is answered 488 instead and the session ends.
   */
  answer(sdp: SessionDescriptionState): NegotiatedAudio | undefined {
    if (this.state !== S.Incoming && this.state !== S.Ringing) throw new SessionStateError(this.state, 'answer');
    this.sdp = sdp;
    this.stopProvisional();
    const offer = this.offer;
    let body: string;
    let media: NegotiatedAudio | undefined;
    if (offer === undefined) {
      body = sdp.createOffer();
    } else {
      try {
        const answer = sdp.createAnswer(offer);
        body = answer.sdp;
        media = answer.negotiated;
      } catch (error) {
        if (!isSdpError(error)) throw error;
        this.finalFailure(488, 'Not Acceptable Here', 'error');
        return undefined;
      }
    }
    const timer = decideAsUas(this.request, this.context.settings.sessionTimer ?? defaultSessionTimerSettings);
    const response = createResponse(this.request, 200, {
      toTag: this.localTag,
      headers: [
        ['Contact', this.context.settings.contact],
        ...this.capabilityHeaders(),
        ...(timer.kind === 'agreed' ? timer.headers : []),
        ['Content-Type', 'application/sdp'],
      ],
      body,
    });
    const dialog = this.confirmDialog(response);
    if (dialog === undefined) return undefined;
    this.readAllow(this.request);
    this.sendSuccess(this.transaction, response, offer === undefined);
    this.stateTransition(S.WaitingForAck);
    if (media !== undefined) this.negotiated(media);
    this.applySessionTimer(timer.kind === 'agreed' ? timer.agreement : undefined);
    return media;
  }

  /** §13.3.1.3: declines with a final failure, by default 486 Busy Here (603 Decline for "no"). */
  reject(status = 486, reason?: string): void {
    if (this.state !== S.Incoming && this.state !== S.Ringing) throw new SessionStateError(this.state, 'reject');
    if (!Number.isInteger(status) || status < 300 || status > 699) throw new RangeError(`a rejection is 300-699, not ${status}`);
    this.finalFailure(status, reason, 'local');
  }

  /**
   * Sends the caller elsewhere (§21.3.3 302 Moved Temporarily, §8.1.3.4): call forwarding. The
   * targets go in Contact, in order of preference.
   */
  redirect(targets: readonly string[], status = 302): void {
    if (this.state !== S.Incoming && this.state !== S.Ringing) throw new SessionStateError(this.state, 'redirect');
    if (status < 300 || status > 399 || targets.length === 0) throw new RangeError('a redirect is 3xx with at least one target');
    this.finalFailure(status, undefined, 'local', targets.map((t): [string, string] => ['Contact', t.startsWith('<') ? t : `<${t}>`]));
  }

  /** Rejects (603) a call not yet answered, ends an answered one. */
  hangup(): void {
    if (this.state === S.Incoming || this.state === S.Ringing) this.reject(603);
    else if (this.state === S.Established || this.state === S.WaitingForAck) this.bye();
  }

  /**
   * §9.2: "If the UAS did not find a matching transaction for the CANCEL ... 481 ... [else] the
   * UAS ... SHOULD respond to the INVITE with a 487 (Request Terminated)", when it has not sent
   * a final response. The user agent core has answered the CANCEL itself.
   */
  receiveCancel(): void {
    if (this.state !== S.Incoming && this.state !== S.Ringing) return;
    this.finalFailure(487, undefined, 'remote');
  }

  /** RFC 3262 §3: a PRACK whose RAck names our unacknowledged reliable 1xx stops its retransmission. */
  protected override receivePrack(request: SipRequest, transaction: ServerTransaction): void {
    const pending = this.unacknowledged;
    let rack;
    try {
      rack = request.rack;
    } catch {
      rack = undefined;
    }
    if (pending === undefined || rack === undefined || rack.rseq !== pending.rseq || rack.cseq !== this.request.cseq.seq || rack.method !== 'INVITE') {
      // RFC 3262 §3: "If the PRACK does not match any unacknowledged reliable provisional
      // response, the UAS MUST respond to the PRACK with a 481".
      this.respond(transaction, request, 481);
      return;
    }
    this.stopProvisional();
    this.respond(transaction, request, 200);
  }

  protected override ackReceived(): void {
    if (this.state === S.WaitingForAck) this.stateTransition(S.Established);
    super.ackReceived();
  }

  protected override dialogFor(key: string): Dialog | undefined {
    return this.dialog?.key === key ? this.dialog : undefined;
  }

  protected override terminated(info: Parameters<InviteSession['terminated']>[0]): void {
    this.stopProvisional();
    super.terminated(info);
  }

  /**
   * RFC 3262 §3: a reliable 1xx carries Require: 100rel and an RSeq, and "is retransmitted
   * ... with an interval that starts at T1 seconds and doubles for each retransmission" until
   * its PRACK; "The UAS MUST NOT send a second reliable provisional response until the first is
   * acknowledged". "If a reliable provisional response is retransmitted for 64*T1 seconds
   * without reception of a corresponding PRACK, the UAS SHOULD reject the original request with
   * a 5xx response."
   */
  private provisional(status: number): void {
    if (this.state !== S.Incoming && this.state !== S.Ringing) throw new SessionStateError(this.state, `send ${status}`);
    if (this.unacknowledged !== undefined) return;
    const reliable = this.wantsReliable();
    const rseq = this.nextRseq;
    const headers: [string, string][] = [['Contact', this.context.settings.contact], ...this.capabilityHeaders()];
    if (reliable) headers.push(['Require', '100rel'], ['RSeq', `${rseq}`]);
    const response = createResponse(this.request, status, { toTag: this.localTag, headers });
    if (this.dialog === undefined) {
      try {
        // §12.1.1: a 1xx with a To tag creates the early dialog (the PRACK arrives in it).
        this.dialog = Dialog.asUas(this.request, response, this.context.settings.contact);
        this.registerDialog(this.dialog);
      } catch (error) {
        if (!(error instanceof DialogStateError)) throw error;
      }
    }
    this.transaction.respond(response);
    this.stateTransition(S.Ringing);
    if (!reliable) return;
    this.nextRseq += 1;
    const t1 = this.context.settings.timers.t1;
    const pending: UnacknowledgedProvisional = {
      response,
      rseq,
      interval: t1,
      timer: setTimeout(() => this.retransmitProvisional(), t1),
      giveUp: setTimeout(() => {
        this.stopProvisional();
        if (this.state === S.Incoming || this.state === S.Ringing) this.finalFailure(504, 'No PRACK', 'timeout');
      }, 64 * t1),
    };
    this.unacknowledged = pending;
  }

  private retransmitProvisional(): void {
    const pending = this.unacknowledged;
    if (pending === undefined || this.transaction.state !== InviteServerTransactionState.Proceeding) return;
    this.transaction.respond(pending.response);
    pending.interval *= 2;
    pending.timer = setTimeout(() => this.retransmitProvisional(), pending.interval);
  }

  private stopProvisional(): void {
    const pending = this.unacknowledged;
    if (pending === undefined) return;
    clearTimeout(pending.timer);
    clearTimeout(pending.giveUp);
    this.unacknowledged = undefined;
  }

  /** RFC 3262 §3: reliably when the UAC requires it, or supports it and we are willing. */
  private wantsReliable(): boolean {
    try {
      if (this.request.require.includes('100rel')) return true;
      return this.context.settings.reliableProvisional !== 'never' && this.request.supported.includes('100rel');
    } catch {
      return false;
    }
  }

  /** §12.1.1: the 2xx confirms the early dialog, or creates the dialog. */
  private confirmDialog(response: SipResponse): Dialog | undefined {
    if (this.dialog !== undefined) {
      this.dialog.confirm();
      return this.dialog;
    }
    try {
      this.dialog = Dialog.asUas(this.request, response, this.context.settings.contact);
    } catch (error) {
      if (!(error instanceof DialogStateError)) throw error;
      this.finalFailure(400, 'Missing Contact', 'error');
      return undefined;
    }
    this.registerDialog(this.dialog);
    return this.dialog;
  }

  private finalFailure(status: number, reason: string | undefined, by: 'local' | 'remote' | 'timeout' | 'error', headers: [string, string][] = []): void {
    this.stopProvisional();
    const response = createResponse(this.request, status, { toTag: this.localTag, headers, ...(reason === undefined ? {} : { reason }) });
    this.transaction.respond(response);
    this.terminated({ by, code: status, reason: response.reason });
  }
}
