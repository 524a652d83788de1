/**
 * REFER inside an INVITE dialog (RFC 3515) for call transfer (RFC 5589): the request we send
 * and the progress its implicit subscription reports, and the REFER we receive with the
 * NOTIFYs we owe its sender. The subscription shares the INVITE dialog (RFC 6665 §4.5.2) and
 * is told apart by `Event: refer;id=<CSeq of the REFER>` (RFC 3515 §2.4.6).
 */
import { DialogState, type Dialog } from '../dialogs/index.js';
import { SipParseError } from '../grammar/index.js';
import { NotifierState, ReferNotifier, type SendRequest } from '../subscriptions/index.js';
import type { NameAddr, Replaces, SipRequest } from '../messages/index.js';
import { createResponse } from '../messages/create-response.js';
import { parseReplaces } from '../messages/headers/replaces.js';
import type { ServerTransaction } from '../transactions/index.js';
import { isSipUri, type Uri } from '../uri/index.js';

/** What one NOTIFY of a REFER we sent said: the sipfrag's status line (RFC 3515 §2.4.5). */
export interface ReferProgress {
  /** The CSeq of the REFER: which transfer this is about. */
  readonly id: string;
  readonly status: number;
  readonly reason: string;
  /** The subscription ended (Subscription-State: terminated) or the status is final. */
  readonly final: boolean;
}

/**
 * The target of a transfer: the Refer-To URI without its headers, and the Replaces it carries
 * for an attended transfer (RFC 3891 §5: `?Replaces=<escaped value>`). Other URI headers are
 * not acted on: a REFER must not make us send arbitrary header fields (RFC 3261 §19.1.5).
 */
export interface ReferTarget {
  readonly uri: Uri;
  readonly replaces?: Replaces;
}

export class ReferTargetError extends Error {
  override readonly name = 'ReferTargetError';
  constructor(
    /** 400 malformed, 403 a URI scheme we do not call. */
    readonly status: 400 | 403,
    message: string,
  ) {
    super(message);
  }
}

export function referTargetOf(referTo: NameAddr): ReferTarget {
  const uri = referTo.uri;
  if (!isSipUri(uri)) {
    if (uri.scheme === 'tel') return { uri };
    throw new ReferTargetError(403, `cannot call a ${uri.scheme}: URI`);
  }
  const replacesHeader = uri.headers.find((h) => h.name.toLowerCase() === 'replaces');
  let replaces: Replaces | undefined;
  if (replacesHeader !== undefined) {
    try {
      replaces = parseReplaces(replacesHeader.value);
    } catch (error) {
      if (error instanceof SipParseError) throw new ReferTargetError(400, `bad Replaces in Refer-To: ${error.message}`);
      throw error;
    }
  }
  return { uri: uri.withoutHeaders(), ...(replaces === undefined ? {} : { replaces }) };
}

/**
 * The Refer-To of an attended transfer: the consultation call's peer with the Replaces that
 * names that dialog as the peer sees it (RFC 3891 §3: to-tag is its local tag — our remote
 * tag — and from-tag its remote tag — ours).
 */
export function attendedReferTo(target: Uri, consultation: Dialog['id']): string {
  const replaces = `${consultation.callId};to-tag=${consultation.remoteTag};from-tag=${consultation.localTag}`;
  const escaped = encodeURIComponent(replaces);
  const base = target.toString();
  return `<${base}${base.includes('?') ? '&' : '?'}Replaces=${escaped}>`;
}

/**
 * A REFER we accepted or may still refuse (RFC 3515 §2.4.2): the owner decides with `accept()`
 * (202, then a first NOTIFY "100 Trying", §2.4.4) or `reject()`, then reports the new call's
 * progress with `progress()`; a final status ends the implicit subscription. The NOTIFYs are
 * those of the one subscription implementation (`ReferNotifier`).
 */
export class IncomingRefer {
  readonly id: string;
  private answered = false;
  private notifier: ReferNotifier | undefined;

  constructor(
    readonly request: SipRequest,
    readonly target: ReferTarget,
    private readonly transaction: ServerTransaction,
    private readonly dialog: Dialog,
    private readonly send: SendRequest,
  ) {
    this.id = String(request.cseq.seq);
  }

  /** Who asked for the transfer (RFC 3892 Referred-By), as written. */
  get referredBy(): string | undefined {
    return this.request.get('Referred-By')?.slice(0, 1024);
  }

  get isOpen(): boolean {
    return this.notifier === undefined ? !this.answered : this.notifier.state !== NotifierState.Terminated;
  }

  /** The implicit subscription, for an in-dialog SUBSCRIBE that refreshes it (§2.4.4). */
  get subscription(): ReferNotifier | undefined {
    return this.notifier;
  }

  accept(): void {
    if (this.answered) return;
    this.answered = true;
    this.transaction.respond(createResponse(this.request, 202));
    this.notifier = new ReferNotifier({ dialog: this.dialog, refer: this.request, send: this.send });
    this.notifier.progress(100, 'Trying');
  }

  /** 603 Declined by default (the user or the account's policy said no). */
  reject(status = 603, reason?: string): void {
    if (this.answered) {
      this.progress(status, reason ?? 'Declined');
      return;
    }
    this.answered = true;
    this.transaction.respond(createResponse(this.request, status, reason === undefined ? {} : { reason }));
  }

  /** The status of the call we made to the target; a final one (≥ 200) ends the subscription. */
  progress(status: number, reason: string): void {
    if (this.notifier === undefined || this.notifier.state === NotifierState.Terminated || this.dialog.state === DialogState.Terminated) return;
    this.notifier.progress(status, reason);
  }
}
