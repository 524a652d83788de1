/**
 * Conversations as the UI shows them: messages grouped by peer, delivery words, and when to
 * tell the peer we are typing (RFC 3994). Pure, apart from the timers `TypingNotifier` is given.
 */
import type { MessageView } from '../../../shared/model.js';
import { addressText } from './contacts.js';
import { t } from './strings.js';

/** Adds a message or replaces an earlier state of it; oldest first, as `messages.list`. */
export function upsertMessage(list: readonly MessageView[], message: MessageView): MessageView[] {
  const index = list.findIndex((m) => m.id === message.id);
  if (index >= 0) return list.with(index, message);
  const next = [...list, message];
  // Events come in order; a page loaded late may not.
  return next.length > 1 && (next.at(-2)?.at ?? 0) > message.at ? next.sort((a, b) => a.at - b.at) : next;
}

export interface Conversation {
  readonly peer: string;
  /** The display name the peer last sent, if any. */
  readonly peerName: string | undefined;
  readonly last: MessageView;
  /** Incoming messages not yet looked at. */
  readonly unread: number;
}

/** One line per peer, the most recent conversation first. */
export function conversations(messages: readonly MessageView[], unread: ReadonlySet<string>): Conversation[] {
  const byPeer = new Map<string, { last: MessageView; peerName: string | undefined; unread: number }>();
  for (const message of messages) {
    const known = byPeer.get(message.peer);
    const peerName = message.peerName ?? known?.peerName;
    const isUnread = unread.has(message.id) ? 1 : 0;
    byPeer.set(message.peer, {
      last: known === undefined || message.at >= known.last.at ? message : known.last,
      peerName,
      unread: (known?.unread ?? 0) + isUnread,
    });
  }
  return [...byPeer.entries()].map(([peer, c]) => ({ peer, ...c })).sort((a, b) => b.last.at - a.last.at);
}

export function thread(messages: readonly MessageView[], peer: string): MessageView[] {
  return messages.filter((m) => m.peer === peer);
}

/** Delivery state of an outgoing message; nothing for one we received. */
export function deliveryText(message: Pick<MessageView, 'direction' | 'state' | 'code' | 'reason'>): string | undefined {
  switch (message.state) {
    case 'sending':
      return t.delivery.sending;
    case 'sent':
      return t.delivery.sent;
    case 'delivered':
      return t.delivery.delivered;
    case 'failed':
      return t.delivery.failed([message.code, message.reason].filter((p) => p !== undefined && p !== '').join(' '));
    case 'received':
      return undefined;
  }
}

/** The name a conversation goes by: a contact's, the one the peer sent, or its address. */
export function peerTitle(peer: string, names: { contact?: string | undefined; peerName?: string | undefined }): string {
  return names.contact?.trim() || names.peerName?.trim() || addressText(peer);
}

/** `14:05` for today, else the date too. */
export function messageTime(at: number, now: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  const clock = `${two(d.getHours())}:${two(d.getMinutes())}`;
  return new Date(now).toDateString() === d.toDateString() ? clock : `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${clock}`;
}

export interface Timers {
  setTimeout(handler: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
  now(): number;
}

const realTimers: Timers = {
  setTimeout: (handler, ms) => setTimeout(handler, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

/**
 * Our side of RFC 3994 for one conversation: "active" at the first keystroke, "idle" after
 * `idleMs` without one (§3.2 leaves the timeout to us; we use 5 s, quicker than its 15 s
 * example); a new "active" before the refresh interval the core announces (60 s) lapses, while
 * typing goes on. Sending the message makes us idle without a status message: the receiver
 * takes the content message itself as the end of composing (§3.3).
 */
export class TypingNotifier {
  #active = false;
  #lastActiveAt = 0;
  #idleTimer: unknown;

  constructor(
    private readonly notify: (active: boolean) => void,
    private readonly idleMs = 5000,
    private readonly refreshMs = 50_000,
    private readonly timers: Timers = realTimers,
  ) {}

  get active(): boolean {
    return this.#active;
  }

  /** The user changed the draft; an emptied draft is not composing. */
  input(draft: string): void {
    if (draft.trim() === '') {
      this.#goIdle(true);
      return;
    }
    const now = this.timers.now();
    if (!this.#active || now - this.#lastActiveAt >= this.refreshMs) {
      this.#active = true;
      this.#lastActiveAt = now;
      this.notify(true);
    }
    this.#clearTimer();
    this.#idleTimer = this.timers.setTimeout(() => this.#goIdle(true), this.idleMs);
  }

  /** The draft was sent: idle, said by the message itself. */
  sent(): void {
    this.#goIdle(false);
  }

  /** The conversation is left: an active state is ended explicitly. */
  stop(): void {
    this.#goIdle(true);
  }

  #goIdle(tell: boolean): void {
    this.#clearTimer();
    if (!this.#active) return;
    this.#active = false;
    if (tell) this.notify(false);
  }

  #clearTimer(): void {
    if (this.#idleTimer !== undefined) this.timers.clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
  }
}
