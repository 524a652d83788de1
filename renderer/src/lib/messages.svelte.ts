/**
 * Instant messages: every conversation (kept current by `message` events), which incoming
 * messages have not been looked at (local to this window), and who is typing to us.
 */
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { MessageView } from '../../../shared/model.js';
import type { PhoneApi } from '../../../shared/phone-api.js';
import type { Listen } from './events.js';
import { upsertMessage } from './messages.js';

/** How many messages are loaded at start (all conversations). */
export const MESSAGES_LIMIT = 1000;

export class MessagesState {
  all = $state.raw<MessageView[]>([]);
  /** Ids of incoming messages not yet seen in their thread. */
  readonly unread = new SvelteSet<string>();
  /** Peers typing to us now (by address of record). */
  readonly typing = new SvelteMap<string, true>();
  /** The conversation chosen in the Messages screen (kept when the screen is left). */
  selected = $state<string | undefined>(undefined);
  /** The Messages screen is showing `selected`: what arrives there is seen at once. */
  viewing = $state(false);

  readonly #api: PhoneApi;

  constructor(api: PhoneApi) {
    this.#api = api;
  }

  start(on: Listen): void {
    on('message', (message) => {
      const known = this.all.some((m) => m.id === message.id);
      this.all = upsertMessage(this.all, message);
      if (message.direction === 'incoming') {
        this.typing.delete(message.peer);
        if (!known && !(this.viewing && this.selected === message.peer)) this.unread.add(message.id);
      }
    });
    on('message.typing', ({ peer, active }) => {
      if (active) this.typing.set(peer, true);
      else this.typing.delete(peer);
    });
  }

  async refresh(): Promise<void> {
    const list = await this.#api.messages.list({ limit: MESSAGES_LIMIT });
    // Events that came while the list was on its way are kept.
    // A local lookup, never drawn: no reactivity needed.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const listed = new Set(list.map((m) => m.id));
    let all = list;
    for (const message of this.all) if (!listed.has(message.id)) all = upsertMessage(all, message);
    this.all = all;
  }

  /** The user opened a conversation: its messages are read. */
  markRead(peer: string): void {
    for (const message of this.all) if (message.peer === peer) this.unread.delete(message.id);
  }

  get unreadCount(): number {
    return this.unread.size;
  }

  async send(to: string, text: string): Promise<MessageView> {
    const message = await this.#api.messages.send({ to, text });
    // The `message` event with a later state may already be here.
    if (!this.all.some((m) => m.id === message.id)) this.all = upsertMessage(this.all, message);
    return message;
  }

  /** Tells the peer we type or stopped; a failure only costs the indication. */
  setTyping(to: string, active: boolean): void {
    this.#api.messages.typing({ to, active }).catch((e: unknown) => console.warn('typing indication not sent', e));
  }
}
