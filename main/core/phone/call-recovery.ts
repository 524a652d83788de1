/**
 * Calls carried over a network change (wake from sleep, unlock, a new interface), as pjsua's
 * `pjsua_handle_ip_change` does: the account registers again first, then each call sends a
 * target refresh — a re-INVITE with our current Contact and media address (RFC 3261 §12.2,
 * §14). This is the bookkeeping of when; the refresh itself is the delegate's.
 *
 * - A confirmed call shows "reconnecting" at once. It waits for its account's registration to
 *   settle (registered, or failed: the re-INVITE itself then tells whether the peer is still
 *   reachable), at most `registrationWaitMs`; with no registration in progress it goes at once.
 * - A call not confirmed yet (ringing, early media, waiting for the ACK) is left alone — no
 *   re-INVITE on an early dialog (§14.1) and its INVITE transaction carries on — and is
 *   refreshed as soon as it is confirmed.
 * - Several changes in quick succession make one refresh per call: changes while a call waits
 *   are the same change. One that comes while its re-INVITE is on the wire (which may have left
 *   by the old network) brings exactly one more refresh after it.
 *
 *   networkChanged ─▶ waiting ──registration settled / bound──▶ refreshing ──▶ done
 *        │ (early)       ▲                                        │ changed again meanwhile
 *        └─▶ deferred ───┘ confirmed            waiting ◀─────────┘
 */
import type { Logger } from '../log.js';

/** A call as recovery sees it. */
export interface RecoveringCall {
  readonly id: string;
  readonly accountId: string;
  /** The dialog is confirmed (established): a re-INVITE may be sent. */
  readonly confirmed: boolean;
}

export interface CallRecoveryDelegate {
  /** The account's registration state now (undefined: it does not register). */
  registrationState(accountId: string): string | undefined;
  /** Sends the call's target refresh; resolves once it is over, whatever came of it. */
  refresh(callId: string): Promise<void>;
  /** The call is (or is no longer) being reconnected: shown to the user. */
  reconnecting(callId: string, reconnecting: boolean): void;
}

/** The registration after a network change is waited for at most this long (default). */
export const REGISTRATION_WAIT_MS = 8000;

interface Entry {
  readonly accountId: string;
  phase: 'deferred' | 'waiting' | 'refreshing';
  /** The network changed again while the re-INVITE was on the wire. */
  again: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

export class CallRecovery {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly delegate: CallRecoveryDelegate,
    private readonly log: Logger,
    private readonly registrationWaitMs = REGISTRATION_WAIT_MS,
  ) {}

  /** Whether a call is being recovered (or will be, once confirmed). */
  has(callId: string): boolean {
    return this.entries.has(callId);
  }

  /** The network changed: every call given recovers (call it after the registrations restarted). */
  networkChanged(calls: Iterable<RecoveringCall>): void {
    for (const call of calls) {
      const entry = this.entries.get(call.id);
      if (entry !== undefined) {
        if (entry.phase === 'refreshing') entry.again = true;
        continue;
      }
      if (!call.confirmed) {
        this.entries.set(call.id, { accountId: call.accountId, phase: 'deferred', again: false });
        continue;
      }
      const waiting: Entry = { accountId: call.accountId, phase: 'waiting', again: false };
      this.entries.set(call.id, waiting);
      this.delegate.reconnecting(call.id, true);
      this.wait(call.id, waiting);
    }
  }

  /** An account's registration moved: calls waiting for it go once it settled. */
  registrationChanged(accountId: string, state: string): void {
    if (state !== 'registered' && state !== 'failed') return;
    for (const [callId, entry] of this.entries) {
      if (entry.accountId === accountId && entry.phase === 'waiting' && entry.timer !== undefined) void this.refresh(callId, entry);
    }
  }

  /** A call was confirmed: one deferred by a change while it was early recovers now. */
  confirmed(callId: string): void {
    const entry = this.entries.get(callId);
    if (entry?.phase !== 'deferred') return;
    entry.phase = 'waiting';
    this.delegate.reconnecting(callId, true);
    this.wait(callId, entry);
  }

  /** The call ended: nothing more for it. */
  ended(callId: string): void {
    const entry = this.entries.get(callId);
    if (entry?.timer !== undefined) clearTimeout(entry.timer);
    this.entries.delete(callId);
  }

  close(): void {
    for (const callId of [...this.entries.keys()]) this.ended(callId);
  }

  private wait(callId: string, entry: Entry): void {
    if (this.delegate.registrationState(entry.accountId) !== 'registering') {
      void this.refresh(callId, entry);
      return;
    }
    entry.timer = setTimeout(() => {
      this.log.info('registration not back after a network change: reconnecting the call anyway', { callId, waitedMs: this.registrationWaitMs });
      void this.refresh(callId, entry);
    }, this.registrationWaitMs);
  }

  private async refresh(callId: string, entry: Entry): Promise<void> {
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    entry.timer = undefined;
    entry.phase = 'refreshing';
    try {
      await this.delegate.refresh(callId);
    } catch (error) {
      this.log.warn('call not reconnected after a network change', { callId, error: String(error) });
    }
    if (this.entries.get(callId) !== entry) return;
    if (entry.again) {
      entry.again = false;
      entry.phase = 'waiting';
      this.wait(callId, entry);
      return;
    }
    this.entries.delete(callId);
    this.delegate.reconnecting(callId, false);
  }
}
