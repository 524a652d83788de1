/**
 * The implicit subscription of a REFER we sent (RFC 3515 §2.4.4): the NOTIFYs of its
 * `Event: refer;id=<CSeq>` (§2.4.6) arrive in the REFER's dialog, each with a message/sipfrag
 * status line of the referenced request (§2.4.5). The owner of the dialog (an INVITE session)
 * checks their CSeq in the dialog (RFC 3261 §12.2.2) and hands them over; bodies that are no
 * status line get 400. Nothing is refreshed: the
 * subscription ends with the final status, or at the expiry the notifier gave.
 *
 * ```
 *   const refer = dialog.createRequest('REFER', { headers: [['Refer-To', '<sip:carol@example.com>']] });
 *   const transfer = new ReferSubscriber({ dialog, refer, send, delegate: { onProgress: (p) => ... } });
 *   // in the INVITE session, for each NOTIFY of the dialog:
 *   if (transfer.matches(notify)) transfer.receiveRequest(notify, transaction);
 * ```
 */
import type { Dialog } from '../dialogs/index.js';
import { parseSipfragStatus } from '../events/sipfrag.js';
import type { SipRequest } from '../messages/index.js';
import type { SendRequest } from './send-request.js';
import { SubscriberDialogUsage, type Responder } from './subscriber-dialog-usage.js';
import type { SubscriptionTermination } from './subscription-termination.js';

export interface ReferProgress {
  readonly status: number;
  readonly reason: string;
  /** A final status, or the subscription ended. */
  readonly final: boolean;
}

export interface ReferSubscriberDelegate {
  onProgress?(progress: ReferProgress): void;
  onTerminated?(termination: SubscriptionTermination): void;
}

export interface ReferSubscriberOptions {
  readonly dialog: Dialog;
  /** The REFER as sent: its CSeq is the Event id. */
  readonly refer: SipRequest;
  readonly send: SendRequest;
  readonly delegate?: ReferSubscriberDelegate;
  /** T1 for the 64·T1 wait after unsubscribing. */
  readonly t1?: number;
}

export class ReferSubscriber {
  delegate: ReferSubscriberDelegate | undefined;
  readonly usage: SubscriberDialogUsage;

  constructor(options: ReferSubscriberOptions) {
    this.delegate = options.delegate;
    this.usage = new SubscriberDialogUsage({
      dialog: options.dialog,
      event: `refer;id=${options.refer.cseq.seq}`,
      send: options.send,
      idOptional: true,
      sharedDialog: true,
      ...(options.t1 === undefined ? {} : { t1: options.t1 }),
      delegate: {
        onNotify: (notification) => {
          // Throws EventBodyError for a body with no status line: the NOTIFY gets 400.
          const line = parseSipfragStatus(notification.body);
          const final = line.status >= 200 || notification.subscriptionState.state === 'terminated';
          this.delegate?.onProgress?.({ status: line.status, reason: line.reason, final });
        },
        onTerminated: (termination) => this.delegate?.onTerminated?.(termination),
      },
    });
  }

  /** Whether a NOTIFY of the dialog is for this REFER: `Event: refer` with its id, or none (§2.4.6). */
  matches(request: SipRequest): boolean {
    return this.usage.matches(request);
  }

  receiveRequest(request: SipRequest, transaction: Responder): void {
    this.usage.receiveRequest(request, transaction);
  }

  /** Stops following the transfer (RFC 6665 §4.1.2.3: SUBSCRIBE with Expires: 0 in the dialog). */
  unsubscribe(): void {
    this.usage.unsubscribe();
  }
}
