/**
 * Instant messages (RFC 3428 MESSAGE) and typing indication (RFC 3994 isComposing): sending
 * with the delivery result (200 delivered, 202 accepted by a server that stores it, failure
 * with its status), receiving UTF-8 text, conversations kept in the store per peer.
 */
import { randomBytes } from 'node:crypto';
import { PhoneError } from '../../../shared/errors.js';
import type { MessageView } from '../../../shared/model.js';
import type { EventHub } from '../events.js';
import type { Logger } from '../log.js';
import { EventBodyError, formatIsComposing, IS_COMPOSING_CONTENT_TYPE, parseIsComposing } from '../sip/events/index.js';
import { createResponse } from '../sip/messages/create-response.js';
import type { SipRequest } from '../sip/messages/index.js';
import { SipRequestError } from '../sip/sip-endpoint.js';
import type { ServerTransaction } from '../sip/transactions/index.js';
import { isSipUri, parseUri, type Uri } from '../sip/uri/index.js';
import type { StoredAccount } from '../store/accounts-store.js';
import type { MessagesStore } from '../store/messages-store.js';
import type { Accounts } from './accounts.js';
import type { Calls } from './calls.js';
import { dialTarget } from './dial-target.js';

/** RFC 3428 §7: a MESSAGE outside a session should stay under the path MTU; we take up to 16 KB. */
export const MAX_MESSAGE_BYTES = 16384;
/** RFC 3994 §4: without a refresh value, an "active" state lapses after 120 s. */
const DEFAULT_ACTIVE_SECONDS = 120;
/** How often we say we are still typing (RFC 3994 §3.2: a refresh interval of our choosing). */
const TYPING_REFRESH_SECONDS = 60;

const TEXT_TYPES = new Set(['text/plain']);

export class Messages {
  /** Peers typing to us, with the timer that ends it (RFC 3994 §4). */
  private readonly typing = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly accounts: Accounts,
    private readonly calls: Calls,
    private readonly store: MessagesStore,
    private readonly events: EventHub,
    private readonly log: Logger,
  ) {
    calls.handleRequests('MESSAGE', (account, request, transaction) => {
      this.receive(account, request, transaction);
      return true;
    });
  }

  list(peer: string | undefined, limit: number): MessageView[] {
    return this.store.list(peer === undefined ? undefined : this.normalisedPeer(peer, undefined), limit);
  }

  /** Sends a text; the view returned says `sending`, `message` events tell how it went. */
  async send(to: string, text: string, accountId: string | undefined): Promise<MessageView> {
    const account = this.account(accountId);
    if (Buffer.byteLength(text, 'utf8') > MAX_MESSAGE_BYTES) throw new PhoneError('invalid_params', `a message is at most ${MAX_MESSAGE_BYTES} bytes`, 'text');
    const uri = parseUri(dialTarget(to, account.domain, account));
    const ua = await this.calls.userAgentOf(account.id);
    let message: MessageView = {
      id: `msg-${randomBytes(8).toString('hex')}`,
      accountId: account.id,
      peer: aor(uri),
      direction: 'outgoing',
      text,
      at: Date.now(),
      state: 'sending',
    };
    this.save(message);
    const sending = message;
    void ua.requestOutsideDialog('MESSAGE', uri, { body: text, contentType: 'text/plain;charset=UTF-8' }).then(
      (response) => {
        const status = response.status;
        // §7: 200 the recipient has it; 202 a relay (a store-and-forward server) took it.
        message =
          status >= 200 && status < 300
            ? { ...sending, state: status === 202 ? 'sent' : 'delivered', code: status }
            : { ...sending, state: 'failed', code: status, reason: response.reason.slice(0, 256) };
        this.save(message);
      },
      (error: unknown) => {
        const timeout = error instanceof SipRequestError && error.code === 'timeout';
        this.save({ ...sending, state: 'failed', code: timeout ? 408 : 503, reason: (error instanceof Error ? error.message : String(error)).slice(0, 256) });
      },
    );
    return message;
  }

  /** Tells the peer we are typing or stopped (RFC 3994 §3); failures are only logged. */
  async setTyping(to: string, active: boolean, accountId: string | undefined): Promise<void> {
    const account = this.account(accountId);
    const uri = dialTarget(to, account.domain, account);
    const ua = await this.calls.userAgentOf(account.id);
    const body = formatIsComposing(
      active ? { state: 'active', contentType: 'text/plain', refresh: TYPING_REFRESH_SECONDS } : { state: 'idle', lastActive: new Date().toISOString(), contentType: 'text/plain' },
    );
    ua.requestOutsideDialog('MESSAGE', uri, { body, contentType: IS_COMPOSING_CONTENT_TYPE }).catch((error: unknown) =>
      this.log.debug('typing indication not sent', { error: String(error) }),
    );
  }

  /**
   * A MESSAGE for one of our accounts: text is stored and shown, an isComposing body moves the
   * peer's typing state; other types get 415 with Accept (RFC 3428 §8), oversize 413, text that
   * is no UTF-8 400.
   */
  private receive(account: StoredAccount, request: SipRequest, transaction: ServerTransaction): void {
    const type = request.contentType;
    const mime = type === undefined ? 'text/plain' : `${type.type}/${type.subtype}`.toLowerCase();
    const peer = aor(request.from.uri);
    const respond = (status: number, reason?: string, headers: [string, string][] = []) =>
      transaction.respond(createResponse(request, status, { headers, ...(reason === undefined ? {} : { reason }) }));
    if (request.body.length > MAX_MESSAGE_BYTES) return respond(413);
    if (mime === IS_COMPOSING_CONTENT_TYPE) {
      let indication;
      try {
        indication = parseIsComposing(request.body);
      } catch (error) {
        if (!(error instanceof EventBodyError)) throw error;
        return respond(error.statusCode, 'Bad isComposing');
      }
      respond(200);
      this.peerTyping(account.id, peer, indication.state === 'active', indication.refresh ?? DEFAULT_ACTIVE_SECONDS);
      return;
    }
    if (!TEXT_TYPES.has(mime)) return respond(415, undefined, [['Accept', `text/plain, ${IS_COMPOSING_CONTENT_TYPE}`]]);
    const charset = type?.params.get('charset')?.toLowerCase();
    if (charset !== undefined && charset !== null && charset !== 'utf-8' && charset !== 'us-ascii') return respond(415, 'Unsupported charset', [['Accept', 'text/plain;charset=UTF-8']]);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(request.body);
    } catch {
      return respond(400, 'Message is not UTF-8');
    }
    respond(200);
    const displayName = request.from.displayName;
    this.peerTyping(account.id, peer, false, 0);
    this.save({
      id: `msg-${randomBytes(8).toString('hex')}`,
      accountId: account.id,
      peer,
      ...(displayName === undefined || displayName === '' ? {} : { peerName: displayName.slice(0, 128) }),
      direction: 'incoming',
      text,
      at: Date.now(),
      state: 'received',
    });
  }

  private peerTyping(accountId: string, peer: string, active: boolean, seconds: number): void {
    const key = `${accountId}\n${peer}`;
    const timer = this.typing.get(key);
    if (timer !== undefined) clearTimeout(timer);
    this.typing.delete(key);
    if (active) {
      this.typing.set(
        key,
        setTimeout(() => {
          this.typing.delete(key);
          this.events.emit('message.typing', { accountId, peer, active: false });
        }, seconds * 1000).unref(),
      );
    } else if (timer === undefined) {
      return;
    }
    this.events.emit('message.typing', { accountId, peer, active });
  }

  private save(message: MessageView): void {
    this.store.put(message);
    this.events.emit('message', message);
  }

  private account(accountId: string | undefined): StoredAccount {
    if (accountId !== undefined) return this.accounts.get(accountId);
    const enabled = this.accounts.enabled();
    const account = enabled.find((a) => this.accounts.statusOf(a.id).state === 'registered') ?? enabled[0];
    if (account === undefined) throw new PhoneError('invalid_state', 'add an account to send messages', 'accountId');
    return account;
  }

  private normalisedPeer(peer: string, accountId: string | undefined): string {
    try {
      const account = this.account(accountId);
      return aor(parseUri(dialTarget(peer, account.domain, account)));
    } catch {
      return peer;
    }
  }
}

/** A conversation's key: the peer's address of record, without parameters or headers. */
function aor(uri: Uri): string {
  return (isSipUri(uri) ? uri.with({ params: [], headers: [] }).toString() : uri.toString()).slice(0, 1024);
}
