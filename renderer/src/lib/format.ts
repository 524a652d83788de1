/** Words and numbers the UI shows for the core's states. Everything returned is plain text. */
import type { AccountStatus, AccountView, CallView, Party } from '../../../shared/model.js';
import { t } from './strings.js';

/** A SIP status code and reason phrase, either possibly missing: `486 Busy Here`. */
function codeAndReason(code: number | undefined, reason: string | undefined): string {
  return [code, reason].filter((part) => part !== undefined && part !== '').join(' ');
}

export type StatusTone = 'none' | 'ok' | 'busy' | 'error' | 'off';

export function registrationText(status: AccountStatus): string {
  switch (status.state) {
    case 'registered':
      return t.registration.registered;
    case 'registering':
      return t.registration.registering;
    case 'unregistering':
      return t.registration.unregistering;
    case 'unregistered':
      return t.registration.unregistered;
    case 'failed':
      return t.registration.failed(codeAndReason(status.code, status.reason));
  }
}

export function registrationTone(status: AccountStatus): StatusTone {
  switch (status.state) {
    case 'registered':
      return 'ok';
    case 'registering':
    case 'unregistering':
      return 'busy';
    case 'failed':
      return 'error';
    case 'unregistered':
      return 'off';
  }
}

export function accountAddress(account: Pick<AccountView, 'user' | 'domain'>): string {
  return `${account.user}@${account.domain}`;
}

export function accountName(account: AccountView): string {
  return account.label || account.displayName || accountAddress(account);
}

/**
 * One line for the header: a failure anywhere matters most, then work in progress, then
 * how many accounts are registered.
 */
export function summarizeRegistration(accounts: readonly AccountView[]): { tone: StatusTone; text: string } {
  const enabled = accounts.filter((a) => a.enabled);
  if (accounts.length === 0) return { tone: 'none', text: t.registration.noAccount };
  const failed = enabled.find((a) => a.status.state === 'failed');
  if (failed !== undefined) {
    const text = registrationText(failed.status);
    return { tone: 'error', text: enabled.length > 1 ? t.registration.ofAccount(accountAddress(failed), text) : text };
  }
  if (enabled.some((a) => a.status.state === 'registering' || a.status.state === 'unregistering')) {
    return { tone: 'busy', text: t.registration.registering };
  }
  const registered = enabled.filter((a) => a.status.state === 'registered');
  const [only] = registered;
  if (only !== undefined && registered.length === 1) return { tone: 'ok', text: t.registration.registeredAs(accountAddress(only)) };
  if (registered.length > 1) return { tone: 'ok', text: t.registration.registeredCount(registered.length) };
  return { tone: 'off', text: t.registration.unregistered };
}

export function partyName(party: Party): string {
  return party.displayName?.trim() || party.uri;
}

/** Who a call is with: the contact the core identified the caller as, else what the SIP party says. */
export function callerName(call: Pick<CallView, 'contact' | 'remote'>): string {
  return call.contact?.name.trim() || partyName(call.remote);
}

export function callStateText(call: CallView): string {
  switch (call.state) {
    case 'calling':
      return t.call.calling;
    case 'incoming':
      return t.call.incoming;
    case 'ringing':
      return t.call.ringing;
    case 'early':
      return t.call.early;
    case 'connecting':
      return t.call.connecting;
    case 'established':
      return t.call.established;
    case 'terminating':
      return t.call.terminating;
    case 'terminated':
      return t.call.ended(call.end === undefined ? '' : codeAndReason(call.end.code, call.end.reason));
  }
}

/** Which buttons a call shows in its state. */
export function callActions(call: CallView): { answer: boolean; reject: boolean; hangup: 'Cancel' | 'Hang up' | undefined } {
  switch (call.state) {
    case 'incoming':
      return { answer: true, reject: true, hangup: undefined };
    case 'calling':
    case 'ringing':
    case 'early':
      return { answer: false, reject: false, hangup: 'Cancel' };
    case 'connecting':
    case 'established':
      return { answer: false, reject: false, hangup: 'Hang up' };
    case 'terminating':
    case 'terminated':
      return { answer: false, reject: false, hangup: undefined };
  }
}

/** `m:ss`, or `h:mm:ss` from an hour on. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Wall-clock time with milliseconds, for the SIP log. */
export function formatClock(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** One line of call quality for the calls panel: MOS, loss and jitter (from RTCP and the jitter buffer). */
export function qualityText(stats: { mos: number; lossPercent: number; jitterMs: number; srtp: boolean }): string {
  return t.call.quality(stats.mos.toFixed(1), stats.lossPercent.toFixed(1), Math.round(stats.jitterMs), stats.srtp);
}

/** Good (≥ 4), fair (≥ 3.6) or poor, the usual MOS bands for telephony. */
export function qualityTone(mos: number): 'ok' | 'busy' | 'error' {
  return mos >= 4 ? 'ok' : mos >= 3.6 ? 'busy' : 'error';
}

/** Short words for what is going on in a call besides its state, in the order they are shown. */
export function callBadges(call: CallView): { kind: 'reconnecting' | 'held' | 'remote-held' | 'conference' | 'recording' | 'muted' | 'waiting'; text: string }[] {
  const badges: ReturnType<typeof callBadges> = [];
  const add = (kind: ReturnType<typeof callBadges>[number]['kind']) => badges.push({ kind, text: t.call.badges[kind] });
  // After a network change, until the re-INVITE that carries the call over is answered.
  if (call.reconnecting === true) add('reconnecting');
  if (call.waiting === true) add('waiting');
  if (call.held === true) add('held');
  if (call.remoteHeld === true) add('remote-held');
  if (call.conference === true) add('conference');
  if (call.recording === true) add('recording');
  if (call.muted === true) add('muted');
  return badges;
}

/** How a transfer we asked for goes (RFC 3515 NOTIFYs with sipfrag), in one line. */
export function transferText(transfer: NonNullable<CallView['transfer']>): string {
  const who = transfer.target;
  switch (transfer.state) {
    case 'trying':
      return t.call.transferTrying(who);
    case 'ringing':
      return t.call.transferRinging(who);
    case 'succeeded':
      return t.call.transferSucceeded(who);
    case 'failed':
      return t.call.transferFailed(who, codeAndReason(transfer.code, transfer.reason));
  }
}

/** The auto-answer countdown: whole seconds left, never below zero. */
export function autoAnswerText(at: number, now: number): string {
  const seconds = Math.max(0, Math.ceil((at - now) / 1000));
  return seconds === 0 ? t.call.autoAnswerNow : t.call.autoAnswerIn(seconds);
}

/** A call that can be held, transferred, merged: up and not on its way out. */
export function isEstablished(call: CallView): boolean {
  return call.state === 'established';
}

/** The call we are talking in (established, not held), other than `except`. */
export function activeCall(calls: readonly CallView[], except?: CallView): CallView | undefined {
  return calls.find((c) => c.id !== except?.id && isEstablished(c) && c.held !== true);
}

/** What the account does with incoming calls besides ringing, for the accounts list. */
export function callHandlingText(account: AccountView): string[] {
  const notes: string[] = [];
  if (account.dnd) notes.push(t.callHandling.dnd(account.dndCode === 603 ? 603 : 486));
  if (account.forwardAlways !== undefined) notes.push(t.callHandling.forwardAlways(account.forwardAlways));
  if (account.forwardBusy !== undefined) notes.push(t.callHandling.forwardBusy(account.forwardBusy));
  if (account.forwardNoAnswer !== undefined) notes.push(t.callHandling.forwardNoAnswer(account.forwardNoAnswerSeconds, account.forwardNoAnswer));
  // Compared with the values that do something: an account stored before these fields has none.
  if (account.autoAnswer === 'all' || account.autoAnswer === 'intercom') {
    notes.push(t.callHandling.autoAnswer(account.autoAnswer === 'intercom', account.autoAnswerDelaySeconds));
  }
  if (account.transferPolicy === 'ask') notes.push(t.callHandling.transferAsk);
  if (account.transferPolicy === 'refuse') notes.push(t.callHandling.transferRefuse);
  if (account.musicOnHold) notes.push(t.callHandling.musicOnHold);
  if (account.codecs !== undefined) notes.push(t.callHandling.codecs(account.codecs.join(', ')));
  return notes;
}
