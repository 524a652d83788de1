/**
 * Message waiting (RFC 3842): per account that wants it, a message-summary subscription to the
 * account's own address of record, and the NOTIFYs a voicemail server sends without one
 * (§4: "the notifier MAY send ... unsolicited NOTIFY"; many PBXes only do that). The counts
 * reach the UI as `voicemail.state`; `call` dials the account's voicemail number.
 */
import { PhoneError } from '../../../shared/errors.js';
import type { AccountStatus, CallView, VoicemailState } from '../../../shared/model.js';
import type { EventHub } from '../events.js';
import { silentLogger, type Logger } from '../log.js';
import { EventBodyError, MESSAGE_SUMMARY_CONTENT_TYPE, malformedBody, parseMessageSummary, type MessageSummary } from '../sip/events/index.js';
import { createResponse } from '../sip/messages/create-response.js';
import type { SipRequest } from '../sip/messages/index.js';
import { Subscription, eventMatches, toEvent } from '../sip/subscriptions/index.js';
import type { ServerTransaction } from '../sip/transactions/index.js';
import type { SessionContext } from '../sip/user-agent/session-context.js';
import type { StoredAccount } from '../store/accounts-store.js';
import { accountUsages } from './account-usages.js';

export interface VoicemailAccounts {
  enabled(): StoredAccount[];
  get(id: string): StoredAccount;
  statusOf(id: string): AccountStatus;
}

export interface VoicemailCalls {
  userAgentOf(accountId: string): Promise<{ readonly sessionContext: SessionContext }>;
  dial(target: string, accountId: string | undefined): Promise<CallView>;
  /** Out-of-dialog requests of a method reach `handler` (false: answered 405). */
  handleRequests(method: string, handler: (account: StoredAccount, request: SipRequest, transaction: ServerTransaction) => boolean): void;
}

export interface VoicemailOptions {
  readonly accounts: VoicemailAccounts;
  readonly calls: VoicemailCalls;
  readonly events: EventHub;
  readonly log?: Logger;
  /** Seconds asked for each subscription (default 3600). */
  readonly subscriptionExpires?: number;
}

const MESSAGE_SUMMARY = toEvent('message-summary');

export class Voicemail {
  private readonly accounts: VoicemailAccounts;
  private readonly calls: VoicemailCalls;
  private readonly events: EventHub;
  private readonly log: Logger;
  private readonly expires: number;
  private readonly states = new Map<string, VoicemailState>();
  private readonly subscriptions = new Map<string, Subscription | 'starting'>();
  private stopEvents: (() => void) | undefined;
  private closed = false;

  constructor(options: VoicemailOptions) {
    this.accounts = options.accounts;
    this.calls = options.calls;
    this.events = options.events;
    this.log = options.log ?? silentLogger;
    this.expires = options.subscriptionExpires ?? 3600;
  }

  /** Takes unsolicited NOTIFYs and follows the registrations from now on. */
  start(): void {
    if (this.stopEvents !== undefined) return;
    this.calls.handleRequests('NOTIFY', (account, request, transaction) => this.receiveUnsolicited(account, request, transaction));
    this.stopEvents = this.events.subscribe((name) => {
      if (name === 'account.state') this.sync();
    });
    this.sync();
  }

  /** Each account that watches its mailbox: what is waiting (nothing known yet: zeros). */
  list(): VoicemailState[] {
    return this.accounts
      .enabled()
      .filter((a) => a.messageWaiting)
      .map((a) => this.states.get(a.id) ?? { accountId: a.id, waiting: false, newMessages: 0, oldMessages: 0 });
  }

  /** Calls the account's voicemail number. */
  async call(accountId: string): Promise<CallView> {
    const account = this.accounts.get(accountId);
    if (account.voicemail === undefined || account.voicemail.trim() === '') {
      throw new PhoneError('invalid_state', 'no voicemail number is set for this account: set one in its settings', 'accountId');
    }
    return this.calls.dial(account.voicemail, account.id);
  }

  /**
   * One subscription per enabled account with messageWaiting, started once it registers; ended
   * when the account is disabled, unregistered or stops watching (not while it re-registers).
   */
  sync(): void {
    if (this.closed) return;
    const { keep, start: wanted } = accountUsages(this.accounts, (a) => a.messageWaiting);
    for (const [id, subscription] of this.subscriptions) {
      if (keep.has(id)) continue;
      this.subscriptions.delete(id);
      if (subscription !== 'starting') {
        subscription.delegate = undefined;
        subscription.unsubscribe();
      }
    }
    for (const [id, account] of wanted) if (!this.subscriptions.has(id)) this.subscribe(account);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopEvents?.();
    for (const subscription of this.subscriptions.values()) {
      if (subscription === 'starting') continue;
      subscription.delegate = undefined;
      subscription.unsubscribe();
    }
    this.subscriptions.clear();
    return Promise.resolve();
  }

  private subscribe(account: StoredAccount): void {
    const id = account.id;
    this.subscriptions.set(id, 'starting');
    this.calls.userAgentOf(id).then(
      (ua) => {
        if (this.closed || this.subscriptions.get(id) !== 'starting') return;
        const subscription: Subscription = new Subscription(ua.sessionContext, {
          // §4: "the subscriber ... SUBSCRIBE[s] to its own address of record".
          target: `sip:${account.user}@${account.domain}`,
          event: 'message-summary',
          accept: [MESSAGE_SUMMARY_CONTENT_TYPE],
          expires: this.expires,
          delegate: {
            onNotify: (notification) => {
              if (notification.body.length === 0) return;
              if (notification.contentType !== MESSAGE_SUMMARY_CONTENT_TYPE) throw malformedBody('message-summary', 'not application/simple-message-summary');
              this.update(id, parseMessageSummary(notification.body));
            },
            onTerminated: (termination) => {
              if (this.subscriptions.get(id) === subscription) this.subscriptions.delete(id);
              this.log.info('voicemail: subscription ended', { accountId: id, cause: termination.cause, ...(termination.code === undefined ? {} : { code: termination.code }) });
            },
          },
        });
        this.subscriptions.set(id, subscription);
        subscription.subscribe();
      },
      (error: unknown) => {
        if (this.subscriptions.get(id) === 'starting') this.subscriptions.delete(id);
        this.log.warn('voicemail: no user agent to subscribe with', { accountId: id, error: String(error) });
      },
    );
  }

  /**
   * An out-of-dialog NOTIFY (RFC 3842 §4 allows them for message-summary): 200 and the counts,
   * 400/413 for a bad body; other packages are not ours (false: 405 as before).
   */
  private receiveUnsolicited(account: StoredAccount, request: SipRequest, transaction: ServerTransaction): boolean {
    let isSummary: boolean;
    try {
      const event = request.event;
      isSummary = event !== undefined && eventMatches(MESSAGE_SUMMARY, event);
    } catch {
      isSummary = false;
    }
    if (!isSummary) return false;
    // Unsolicited NOTIFYs often carry no Subscription-State (there is no subscription): not checked.
    try {
      if (request.body.length > 0) {
        let type: string | undefined;
        try {
          type = request.contentType?.mimeType;
        } catch {
          throw malformedBody('message-summary', 'bad Content-Type');
        }
        if (type !== undefined && type !== MESSAGE_SUMMARY_CONTENT_TYPE) throw malformedBody('message-summary', 'not application/simple-message-summary');
        this.update(account.id, parseMessageSummary(request.body));
      }
    } catch (error) {
      if (!(error instanceof EventBodyError)) throw error;
      transaction.respond(createResponse(request, error.statusCode));
      return true;
    }
    transaction.respond(createResponse(request, 200));
    return true;
  }

  private update(accountId: string, summary: MessageSummary): void {
    const voice = summary.counts['voice-message'];
    const state: VoicemailState = {
      accountId,
      waiting: summary.messagesWaiting,
      newMessages: clampCount(voice?.newMessages ?? 0),
      oldMessages: clampCount(voice?.oldMessages ?? 0),
      ...(voice?.newUrgent === undefined ? {} : { urgentNew: clampCount(voice.newUrgent) }),
    };
    const previous = this.states.get(accountId);
    this.states.set(accountId, state);
    if (JSON.stringify(previous) !== JSON.stringify(state)) this.events.emit('voicemail.state', state);
  }
}

/** Counts above what anyone keeps are shown as the most a UI needs. */
function clampCount(n: number): number {
  return Math.min(n, 999_999);
}
