/**
 * The implicit subscription of a REFER we accepted (RFC 3515 §2.4.4): in the REFER's dialog
 * (an INVITE dialog for a transfer, RFC 5589), `Event: refer;id=<CSeq of the REFER>` (§2.4.6),
 * each NOTIFY a message/sipfrag status line of the referenced request (§2.4.5), the final one
 * ending the subscription with reason "noresource" (§2.4.7, RFC 6665 §4.2.2).
 *
 * ```
 *   const notifier = new ReferNotifier({ dialog, refer, send: (b) => context.exchange(b) });
 *   notifier.progress(100, 'Trying');   // §2.4.4: sent right after accepting the REFER
 *   notifier.progress(180, 'Ringing');
 *   notifier.progress(200, 'OK');       // final: terminated;reason=noresource
 * ```
 */
import type { Dialog } from '../dialogs/index.js';
import { SIPFRAG_CONTENT_TYPE, formatSipfrag } from '../events/sipfrag.js';
import type { SipRequest } from '../messages/index.js';
import { NotifierDialogUsage, type NotifierDelegate } from './notifier-dialog-usage.js';
import { NotifierState } from './notifier-state.js';
import type { SendRequest } from './send-request.js';
import type { Responder } from './subscriber-dialog-usage.js';

export interface ReferNotifierOptions {
  /** The dialog the REFER came in. */
  readonly dialog: Dialog;
  /** The REFER: its CSeq is the Event id. */
  readonly refer: SipRequest;
  readonly send: SendRequest;
  /** Seconds the implicit subscription lasts without progress (§2.4.4 leaves it to us). Default 60. */
  readonly expires?: number;
  readonly delegate?: NotifierDelegate;
}

export class ReferNotifier {
  readonly usage: NotifierDialogUsage;

  constructor(options: ReferNotifierOptions) {
    this.usage = new NotifierDialogUsage({
      dialog: options.dialog,
      event: `refer;id=${options.refer.cseq.seq}`,
      send: options.send,
      expires: options.expires ?? 60,
      state: NotifierState.Active,
      sharedDialog: true,
      ...(options.delegate === undefined ? {} : { delegate: options.delegate }),
    });
  }

  get state(): NotifierState {
    return this.usage.state;
  }

  /** Reports the referenced request's latest response; a final one (≥ 200) ends the subscription. */
  progress(status: number, reason: string): void {
    const content = { contentType: SIPFRAG_CONTENT_TYPE, body: formatSipfrag(status, reason) };
    if (status >= 200) this.usage.terminate('noresource', { content });
    else this.usage.notify(content);
  }

  /** A SUBSCRIBE refreshing (or ending) the implicit subscription (§2.4.4), handed on by the dialog's owner. */
  receiveRequest(request: SipRequest, transaction: Responder): void {
    this.usage.receiveRequest(request, transaction);
  }

  /** Whether an in-dialog SUBSCRIBE is for this REFER (its Event id). */
  matches(request: SipRequest): boolean {
    try {
      const event = request.event;
      return event !== undefined && event.type === 'refer' && event.id === this.usage.event.id;
    } catch {
      return false;
    }
  }
}
