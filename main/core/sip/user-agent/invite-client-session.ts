/**
 * An outgoing call: the UAC side of an INVITE (RFC 3261 §13.2) with CANCEL (§9.1), early
 * dialogs and forking (§13.2.2.4), reliable provisional responses (RFC 3262 §4), redirects
 * (§8.1.3.4), digest challenges (§22.2) and session timers (RFC 4028 §7).
 */
import { randomBytes } from 'node:crypto';
import type { AuthorizationField } from '../auth/index.js';
import { Dialog, DialogStateError } from '../dialogs/index.js';
import { NameAddr, SipRequest, parseNameAddr, type SipResponse } from '../messages/index.js';
import { SipRequestError } from '../sip-endpoint.js';
import type { TransportAddress } from '../transactions/index.js';
import { parseUri, type Uri } from '../uri/index.js';
import type { SessionDescriptionState } from '../../media/sdp/index.js';
import { InviteSession, credentialHeaders, dialogKeyOfResponse, isSdpError } from './invite-session.js';
import { redirectTargets } from './redirect-targets.js';
import { remoteIdentityOf } from './remote-identity.js';
import type { SessionContext } from './session-context.js';
import type { RemoteIdentity, SessionDelegate } from './session-delegate.js';
import { SessionState, type SessionMoves } from './session-state.js';
import { SessionStateError } from './session-state-error.js';
import { decideAsUac } from './session-timer.js';
import { dialogKey } from '../dialogs/index.js';

export interface InviteOptions {
  /** Whom to call: the Request-URI and the To URI (§8.1.1.1, §8.1.1.2). */
  readonly target: string | Uri;
  /** Our side of the offer/answer; its audio gives the RTP port and codecs we offer. */
  readonly sdp: SessionDescriptionState;
  /** No offer in the INVITE: the 2xx carries the offer and our ACK the answer (§13.2.1). */
  readonly offerless?: boolean;
  readonly delegate?: SessionDelegate;
  /** More header fields for the INVITE (e.g. Subject, Priority). */
  readonly headers?: readonly (readonly [string, string])[];
}

const S = SessionState;

/** The moves of an outgoing call; see the diagram of `SessionState`. */
const clientMoves: SessionMoves = {
  [S.Calling]: [S.Proceeding, S.EarlyMedia, S.Cancelling, S.Established, S.Terminated],
  // A redirect or a challenge after a provisional response starts a new INVITE: Calling again.
  [S.Proceeding]: [S.Calling, S.Proceeding, S.EarlyMedia, S.Cancelling, S.Established, S.Terminated],
  [S.EarlyMedia]: [S.Calling, S.EarlyMedia, S.Cancelling, S.Established, S.Terminated],
  // §9.1: a 2xx may cross the CANCEL; the call is then ended with ACK and BYE (Terminating).
  [S.Cancelling]: [S.Terminating, S.Terminated],
  [S.Established]: [S.Terminating, S.Terminated],
  [S.Terminating]: [S.Terminated],
};

/** An early dialog (§12.1.2, §13.2.2.4) and the RSeq of its last reliable provisional response. */
interface EarlyDialog {
  readonly dialog: Dialog;
  rseq: number | undefined;
}

export class InviteClientSession extends InviteSession {
  readonly callId: string;
  protected readonly moves = clientMoves;
  protected readonly ownsCallId = true;
  private readonly from: NameAddr;
  private readonly to: NameAddr;
  private readonly offerless: boolean;
  private readonly extraHeaders: readonly (readonly [string, string])[];
  private target: Uri;
  private cseq: number;
  /** Our offer, the same through redirects and challenges (the exchange is not over). */
  private offer: string | undefined;
  /** The INVITE of the current attempt, its Via set by the transaction (CANCEL copies it). */
  private invite: SipRequest | undefined;
  /** Where the current INVITE went: known once a provisional response came (§9.1). */
  private inviteDestination: TransportAddress | undefined;
  private readonly early = new Map<string, EarlyDialog>();
  private cancelRequested = false;
  private cancelSent = false;
  private cancelGuard: ReturnType<typeof setTimeout> | undefined;
  private redirects = 0;
  private readonly tried = new Set<string>();
  private queue: Uri[] = [];
  private identity: RemoteIdentity;
  private timerRetried = false;

  constructor(context: SessionContext, options: InviteOptions) {
    super(context, S.Calling);
    this.delegate = options.delegate;
    this.sdp = options.sdp;
    this.offerless = options.offerless === true;
    this.extraHeaders = options.headers ?? [];
    this.target = typeof options.target === 'string' ? parseUri(options.target) : options.target;
    this.callId = randomBytes(12).toString('hex');
    this.from = parseNameAddr(context.settings.from, 'From').withTag(randomBytes(6).toString('hex'));
    this.to = new NameAddr(this.target);
    // §8.1.1.5: any start below 2**31; small numbers leave room for the dialog's requests.
    this.cseq = Math.floor(context.settings.random() * 10000);
    this.identity = { uri: this.target.toString() };
  }

  get remoteIdentity(): RemoteIdentity {
    return this.identity;
  }

  /** Sends the INVITE. The user agent core calls this once it routes responses to us. */
  start(): void {
    if (this.invite !== undefined) throw new SessionStateError(this.state, 'start again');
    this.addKey(dialogKey({ callId: this.callId, localTag: this.from.tag ?? '', remoteTag: '' }));
    if (!this.offerless) this.offer = this.sdp?.createOffer();
    void this.sendInvite();
  }

  /**
   * §9.1: "If no provisional response has been received, the CANCEL request MUST NOT be sent;
   * rather, the client MUST wait for the arrival of a provisional response before sending the
   * request."
   */
  cancel(): void {
    if (this.state !== S.Calling && this.state !== S.Proceeding && this.state !== S.EarlyMedia) throw new SessionStateError(this.state, 'cancel');
    this.cancelRequested = true;
    this.stateTransition(S.Cancelling);
    if (this.inviteDestination !== undefined) this.sendCancel();
  }

  /** Cancels a call not yet answered, ends an established one; otherwise nothing to do. */
  hangup(): void {
    if (this.state === S.Calling || this.state === S.Proceeding || this.state === S.EarlyMedia) this.cancel();
    else if (this.state === S.Established) this.bye();
  }

  /** After Timer M a 2xx is a stray: still ours to ACK (and BYE if from another fork). */
  override receiveStrayResponse(response: SipResponse): void {
    const invite = this.invite;
    if (invite !== undefined && response.cseq.seq === invite.cseq.seq && response.status >= 200 && response.status < 300) {
      this.receiveSuccess(response, invite);
      return;
    }
    super.receiveStrayResponse(response);
  }

  protected override dialogFor(key: string): Dialog | undefined {
    return super.dialogFor(key) ?? [...this.early.values()].find((e) => e.dialog.key === key)?.dialog;
  }

  protected override terminated(info: Parameters<InviteSession['terminated']>[0]): void {
    if (this.cancelGuard !== undefined) clearTimeout(this.cancelGuard);
    if (this.sdp?.offerPending === true) this.sdp.offerFailed();
    super.terminated(info);
  }

  private async sendInvite(): Promise<void> {
    this.tried.add(this.target.toString());
    this.inviteDestination = undefined;
    let request: SipRequest;
    let response: SipResponse;
    try {
      ({ request, response } = await this.context.exchange((credentials) => this.buildInvite(credentials), {
        receiveResponse: (received, sent, destination) => {
          if (received.status < 200) this.receiveProvisional(received, sent, destination);
          else if (received.status < 300) this.receiveSuccess(received, sent);
        },
      }));
    } catch (error) {
      if (!(error instanceof SipRequestError)) throw error;
      // §8.1.3.1: a timeout is a 408; a transport failure or an unresolvable target a 503.
      const timeout = error.code === 'timeout';
      this.terminated({ by: timeout ? 'timeout' : 'error', code: timeout ? 408 : 503, reason: error.message });
      return;
    }
    this.receiveFinal(request, response);
  }

  /** §8.1.1 and §13.2.1: the INVITE, built again (new CSeq) for each challenge or redirect. */
  private buildInvite(credentials: readonly AuthorizationField[]): SipRequest {
    const settings = this.context.settings;
    this.cseq += 1;
    const headers: [string, string][] = [
      ...settings.routeSet.map((route): [string, string] => ['Route', route]),
      ['Max-Forwards', '70'],
      ['From', this.from.toString()],
      ['To', this.to.toString()],
      ['Call-ID', this.callId],
      ['CSeq', `${this.cseq} INVITE`],
      ['Contact', settings.contact],
      ...this.capabilityHeaders(),
    ];
    // RFC 3262 §4: "the UAC MAY include a Require header field with the option tag 100rel".
    if (settings.reliableProvisional === 'required') headers.push(['Require', '100rel']);
    headers.push(...this.sessionTimerHeaders(), ...this.extraHeaders.map(([n, v]): [string, string] => [n, v]), ...credentialHeaders(credentials));
    if (this.offer !== undefined) headers.push(['Content-Type', 'application/sdp']);
    const request = new SipRequest({ method: 'INVITE', uri: this.target, headers, ...(this.offer === undefined ? {} : { body: this.offer }) });
    this.invite = request;
    this.inviteDestination = undefined;
    return request;
  }

  /** §13.2.2.1 (1xx), RFC 3262 §4 (reliable), §13.2.1 (an answer in a 1xx: early media). */
  private receiveProvisional(response: SipResponse, request: SipRequest, destination: TransportAddress): void {
    if (this.state === S.Terminated || this.state === S.Terminating || this.dialog !== undefined || request !== this.invite) return;
    this.inviteDestination = destination;
    if (this.cancelRequested && !this.cancelSent) this.sendCancel();
    if (response.status === 100) return;
    const early = this.earlyDialog(request, response);
    if (early !== undefined && response.require.includes('100rel') && response.rseq !== undefined) {
      // RFC 3262 §4: a retransmission (RSeq not above the last) is not PRACKed again, nor one out
      // of order ("MUST NOT ... if the RSeq is not one higher than the last one").
      if (early.rseq !== undefined && response.rseq !== early.rseq + 1) return;
      early.rseq = response.rseq;
      this.sendPrack(early.dialog, request, response);
    }
    this.identity = remoteIdentityOf(response, response.to);
    this.delegate?.onProvisional?.(response.status, response.reason);
    if (this.state === S.Cancelling) return;
    if (response.body.length > 0 && !this.offerless && this.sdp?.offerPending === true) {
      try {
        const media = this.sdp.processAnswer(response.bodyText);
        this.stateTransition(S.EarlyMedia);
        this.delegate?.onEarlyMedia?.(media);
        return;
      } catch (error) {
        if (!isSdpError(error)) throw error;
      }
    }
    if (this.state === S.Calling) this.stateTransition(S.Proceeding);
  }

  /** §12.1.2: a provisional response with a To tag creates an early dialog, one per tag. */
  private earlyDialog(request: SipRequest, response: SipResponse): EarlyDialog | undefined {
    const tag = response.to.tag;
    if (tag === undefined) return undefined;
    const known = this.early.get(tag);
    if (known !== undefined) return known;
    let dialog: Dialog;
    try {
      dialog = Dialog.asUac(request, response, this.context.settings.contact);
    } catch (error) {
      if (error instanceof DialogStateError) return undefined;
      throw error;
    }
    const early = { dialog, rseq: undefined };
    this.early.set(tag, early);
    this.registerDialog(dialog);
    return early;
  }

  /** RFC 3262 §7.2: "RAck: response-num CSeq-num Method" in a PRACK within the early dialog. */
  private sendPrack(dialog: Dialog, request: SipRequest, response: SipResponse): void {
    const rack = `${response.rseq ?? 0} ${request.cseq.seq} INVITE`;
    this.context
      .exchange((credentials) => dialog.createRequest('PRACK', { headers: [['RAck', rack], ...credentialHeaders(credentials)] }))
      .catch(() => undefined);
  }

  /**
   * §13.2.2.4: the first 2xx confirms its dialog and is ACKed; "If the dialog identifier in the
   * 2xx response matches the dialog identifier of an existing dialog, the dialog MUST be
   * transitioned to the 'confirmed' state ... Otherwise, a new dialog in the 'confirmed' state
   * MUST be constructed". A 2xx from another fork is ACKed and its dialog ended with a BYE
   * ("the UAC core ... MUST generate an ACK ... and then a BYE" for a session it does not want).
   */
  private receiveSuccess(response: SipResponse, request: SipRequest): void {
    const tag = response.to.tag;
    if (tag === undefined) return;
    const confirmed = this.dialog;
    if (confirmed !== undefined) {
      if (confirmed.id.remoteTag === tag) this.acknowledge(confirmed, request);
      else this.dropFork(response, request);
      return;
    }
    if (this.state === S.Terminated || this.state === S.Terminating) {
      this.dropFork(response, request);
      return;
    }
    let dialog = this.early.get(tag)?.dialog;
    try {
      if (dialog === undefined) {
        dialog = Dialog.asUac(request, response, this.context.settings.contact);
        this.registerDialog(dialog);
      } else {
        dialog.receiveResponse(request, response);
        dialog.confirm();
      }
    } catch (error) {
      if (!(error instanceof DialogStateError)) throw error;
      return;
    }
    this.dialog = dialog;
    this.identity = remoteIdentityOf(response, response.to);
    for (const [otherTag, other] of this.early) if (otherTag !== tag) this.forgetDialog(other.dialog);
    this.early.clear();
    this.readAllow(response);
    const sdp = this.sdp;
    let ackBody: string | undefined;
    let media;
    let failure: string | undefined;
    try {
      if (this.offerless && sdp !== undefined) {
        // §13.2.1: the offer is in the 2xx, the answer goes in the ACK.
        const answer = sdp.createAnswer(response.bodyText);
        ackBody = answer.sdp;
        media = answer.negotiated;
      } else if (sdp?.offerPending === true) {
        media = sdp.processAnswer(response.bodyText);
      }
    } catch (error) {
      if (!isSdpError(error)) throw error;
      failure = error.message;
    }
    this.acknowledge(dialog, request, ackBody);
    if (this.cancelRequested) {
      // §9.1: the CANCEL lost the race; the call was answered anyway. ACK, then BYE.
      this.endDialog({ by: 'local' });
      return;
    }
    this.stateTransition(S.Established);
    if (failure !== undefined) {
      // §13.2.2.4 / RFC 3264: an answer we cannot use: "ACK ... and then ... BYE".
      this.endDialog({ by: 'error', code: 488, reason: failure });
      return;
    }
    if (media !== undefined) this.negotiated(media);
    this.applySessionTimer(decideAsUac(response));
  }

  private dropFork(response: SipResponse, request: SipRequest): void {
    const key = dialogKeyOfResponse(response);
    const early = response.to.tag === undefined ? undefined : this.early.get(response.to.tag);
    let dialog = early?.dialog;
    try {
      if (dialog === undefined) dialog = Dialog.asUac(request, response, this.context.settings.contact);
      else dialog.confirm();
    } catch (error) {
      if (!(error instanceof DialogStateError)) throw error;
      return;
    }
    if (response.to.tag !== undefined) this.early.delete(response.to.tag);
    this.context.removeDialog(key);
    this.acknowledge(dialog, request);
    void this.sendBye(dialog);
  }

  /**
   * Final non-2xx responses: §8.1.3.4 redirects, RFC 4028 §7.3 (422), otherwise the call
   * failed (a 487 after our CANCEL is the cancel succeeding, §9.1).
   */
  private receiveFinal(request: SipRequest, response: SipResponse): void {
    const status = response.status;
    if (status < 300) {
      this.receiveSuccess(response, request);
      return;
    }
    if (this.state === S.Terminated || this.dialog !== undefined) return;
    for (const early of this.early.values()) this.forgetDialog(early.dialog);
    this.early.clear();
    if (!this.cancelRequested) {
      if (status >= 300 && status < 400) {
        this.queue.push(...redirectTargets(response, new Set([...this.tried, ...this.queue.map((u) => u.toString())])));
        this.redirects += 1;
        if (this.redirects <= this.context.settings.maxRedirects && this.retryNext()) return;
      } else if (status === 422 && !this.timerRetried && this.raiseIntervalFor(response)) {
        this.timerRetried = true;
        this.retry();
        return;
      } else if (this.redirects > 0 && this.retryNext()) {
        // §8.1.3.4: a redirected target failed; the next Contact of the 3xx is tried.
        return;
      }
    }
    const byUs = this.cancelRequested && status === 487;
    this.terminated({ by: byUs ? 'local' : 'remote', code: status, reason: response.reason });
  }

  private retryNext(): boolean {
    let next = this.queue.shift();
    while (next !== undefined && this.tried.has(next.toString())) next = this.queue.shift();
    if (next === undefined) return false;
    this.target = next;
    this.retry();
    return true;
  }

  private retry(): void {
    if (this.state !== S.Calling) this.stateTransition(S.Calling);
    void this.sendInvite();
  }

  /**
   * §9.1: "the Request-URI, Call-ID, To, the numeric part of CSeq, and From header fields in
   * the CANCEL request MUST be identical to those in the request being cancelled, including
   * tags. A CANCEL constructed by a client MUST have only a single Via header field value
   * matching the top Via value in the request being cancelled", the same Route header fields,
   * and goes where the INVITE went. If no final response follows in 64*T1, the call is over.
   */
  private sendCancel(): void {
    const invite = this.invite;
    const destination = this.inviteDestination;
    if (invite === undefined || destination === undefined) return;
    this.cancelSent = true;
    const cancel = new SipRequest({
      method: 'CANCEL',
      uri: invite.uri,
      headers: [
        ['Via', invite.getAll('Via')[0] ?? ''],
        ...invite.getAll('Route').map((route): [string, string] => ['Route', route]),
        ['Max-Forwards', '70'],
        ['From', invite.get('From') ?? ''],
        ['To', invite.get('To') ?? ''],
        ['Call-ID', invite.callId],
        ['CSeq', `${invite.cseq.seq} CANCEL`],
        ...this.capabilityHeaders().filter(([name]) => name === 'User-Agent'),
      ],
    });
    this.context.endpoint.request(cancel, destination).catch(() => undefined);
    this.cancelGuard = setTimeout(() => {
      if (this.state === S.Cancelling) this.terminated({ by: 'local', reason: 'no final response after CANCEL' });
    }, 64 * this.context.settings.timers.t1);
  }
}
