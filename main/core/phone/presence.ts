/**
 * Presence and busy lamps: the contacts and extensions we watch (RFC 3856 presence, RFC 4235
 * dialog package — one subscription per entity and package, through the default registered
 * account), and our own presence published on every account that publishes (RFC 3903).
 *
 * The watch list and our chosen status live in the settings, so they survive a restart. What
 * we publish follows the calls (on-the-phone while one is up) and the accounts' DND; a server
 * that does not take PUBLISH only costs us our own publication — watching goes on.
 */
import { PhoneError } from '../../../shared/errors.js';
import type { AccountStatus, CallView, OwnPresence, PresenceStatus, WatchedEntity } from '../../../shared/model.js';
import type { EventHub } from '../events.js';
import { silentLogger, type Logger } from '../log.js';
import {
  DIALOG_INFO_CONTENT_TYPE,
  DialogInfoView,
  PIDF_CONTENT_TYPE,
  formatPidf,
  malformedBody,
  parseDialogInfo,
  parsePidf,
} from '../sip/events/index.js';
import { Publication, Subscription } from '../sip/subscriptions/index.js';
import type { EventNotification, PublicationState, SubscriberState, SubscriptionTermination } from '../sip/subscriptions/index.js';
import type { SessionContext } from '../sip/user-agent/session-context.js';
import type { StoredAccount } from '../store/accounts-store.js';
import { accountUsages } from './account-usages.js';
import type { SettingsStore } from '../store/settings-store.js';
import { dialTarget } from './dial-target.js';
import { contactPresence, effectivePresence, lineState, ownDocument, ringingDialog, type ContactPresence } from './presence-status.js';

/** What presence needs of the accounts. */
export interface PresenceAccounts {
  enabled(): StoredAccount[];
  get(id: string): StoredAccount;
  statusOf(id: string): AccountStatus;
}

/** What presence needs of the calls: each account's user agent, dialling, the calls up. */
export interface PresenceCalls {
  userAgentOf(accountId: string): Promise<{ readonly sessionContext: SessionContext }>;
  dial(target: string, accountId: string | undefined, options?: { readonly headers?: readonly (readonly [string, string])[] }): Promise<CallView>;
  list(): CallView[];
}

export interface PresenceOptions {
  readonly accounts: PresenceAccounts;
  readonly calls: PresenceCalls;
  readonly events: EventHub;
  readonly settings: Pick<SettingsStore, 'get' | 'set'>;
  readonly log?: Logger;
  /** Seconds asked for each subscription (default 3600). */
  readonly subscriptionExpires?: number;
  /**
   * 0..1: how much earlier than due a refresh may go, at random (default 0.3). Watching many
   * entities, the subscriptions all start together; a wide jitter spreads their refreshes over
   * that share of the period instead of a burst every hour, for ~15 % more refreshes.
   */
  readonly refreshJitter?: number;
  /** New subscriptions started at once; more wait 100 ms per batch (default 20: 200/s). */
  readonly startBurst?: number;
  /** Seconds asked for our publication (default 3600). */
  readonly publicationExpires?: number;
  /** Longest wait for the removals of our publications on quit (default 2000 ms). */
  readonly closeTimeoutMs?: number;
}

type ChosenStatus = OwnPresence['status'];

/** One contact or extension: its subscriptions and what they told us. */
interface Watched {
  readonly uri: string;
  displayName: string | undefined;
  presence: boolean;
  blf: boolean;
  presenceSubscription: Subscription | undefined;
  dialogSubscription: Subscription | undefined;
  contact: ContactPresence;
  /** undefined until the first dialog NOTIFY (and after the subscription ended). */
  dialogs: DialogInfoView | undefined;
  view: WatchedEntity;
}

/** Our publication on one account. */
interface Published {
  readonly publication: Publication;
  readonly entity: string;
}

/** Calls in these states make us "on the phone" (an incoming call still ringing does not). */
const ON_THE_PHONE: readonly CallView['state'][] = ['calling', 'ringing', 'early', 'connecting', 'established'];

export class Presence {
  private readonly accounts: PresenceAccounts;
  private readonly calls: PresenceCalls;
  private readonly events: EventHub;
  private readonly settings: Pick<SettingsStore, 'get' | 'set'>;
  private readonly log: Logger;
  private readonly subscriptionExpires: number;
  private readonly refreshJitter: number;
  private readonly startBurst: number;
  /** Entities waiting for their subscriptions to start (paced: a start-up storm of 500 SUBSCRIBEs gets retransmitted and challenged twice). */
  private readonly startQueue = new Set<Watched>();
  private startTimer: ReturnType<typeof setTimeout> | undefined;
  private batchLeft: number;
  private readonly publicationExpires: number;
  private readonly closeTimeoutMs: number;
  private chosen: { status: ChosenStatus; note?: string };
  private idle = false;
  private own: OwnPresence;
  private readonly watched = new Map<string, Watched>();
  /** The account the subscriptions go through, and its session context once known. */
  private watchAccountId: string | undefined;
  private watchContext: SessionContext | undefined;
  private readonly publications = new Map<string, Published | 'starting'>();
  private readonly ids = { tupleId: `t${Math.random().toString(36).slice(2, 10)}`, personId: `p${Math.random().toString(36).slice(2, 10)}` };
  private stopEvents: (() => void) | undefined;
  private closed = false;

  constructor(options: PresenceOptions) {
    this.accounts = options.accounts;
    this.calls = options.calls;
    this.events = options.events;
    this.settings = options.settings;
    this.log = options.log ?? silentLogger;
    this.subscriptionExpires = options.subscriptionExpires ?? 3600;
    this.refreshJitter = options.refreshJitter ?? 0.3;
    this.startBurst = Math.max(1, options.startBurst ?? 20);
    this.batchLeft = this.startBurst;
    this.publicationExpires = options.publicationExpires ?? 3600;
    this.closeTimeoutMs = options.closeTimeoutMs ?? 2000;
    const stored = this.settings.get('presence.own');
    this.chosen = stored ?? { status: 'available' };
    this.own = this.ownView();
    for (const entry of this.settings.get('presence.watched') ?? []) this.watched.set(entry.uri, this.newWatched(entry));
  }

  /** Follows the calls and the accounts' registrations from now on. */
  start(): void {
    if (this.stopEvents !== undefined) return;
    this.stopEvents = this.events.subscribe((name) => {
      if (name === 'call.state') this.updateOwn();
      else if (name === 'account.state') this.sync();
    });
    this.sync();
  }

  get(): { own: OwnPresence; watched: WatchedEntity[] } {
    return { own: this.own, watched: [...this.watched.values()].map((w) => w.view) };
  }

  /** The user sets their presence; it is kept and published. */
  set(status: ChosenStatus, note?: string): OwnPresence {
    this.chosen = note === undefined || note === '' ? { status } : { status, note };
    this.settings.set({ 'presence.own': this.chosen });
    this.updateOwn(true);
    return this.own;
  }

  /** The desktop host says the user is idle (or back): "available" shows as "away" meanwhile. */
  setIdle(idle: boolean): void {
    if (this.idle === idle) return;
    this.idle = idle;
    this.updateOwn();
  }

  /** Watches a contact (presence) and/or an extension (busy lamp); again: changes what is watched. */
  watch(request: { uri: string; displayName?: string; presence: boolean; blf: boolean }): WatchedEntity {
    const uri = this.normalize(request.uri);
    if (!request.presence && !request.blf) throw new PhoneError('invalid_params', 'presence.watch: watch presence, the busy lamp, or both', 'presence');
    let entry = this.watched.get(uri);
    if (entry === undefined) {
      if (this.watched.size >= 1000) throw new PhoneError('invalid_state', 'at most 1000 contacts and extensions can be watched', 'uri');
      entry = this.newWatched({ uri, presence: request.presence, blf: request.blf, ...(request.displayName === undefined ? {} : { displayName: request.displayName }) });
      this.watched.set(uri, entry);
    } else {
      entry.displayName = request.displayName ?? entry.displayName;
      entry.presence = request.presence;
      entry.blf = request.blf;
    }
    this.persistWatched();
    this.subscribeEntity(entry);
    this.refreshView(entry, true);
    return entry.view;
  }

  unwatch(input: string): null {
    const entry = this.watched.get(input) ?? this.watched.get(this.normalizeOrSelf(input));
    if (entry === undefined) throw new PhoneError('not_found', `not watching ${input.slice(0, 200)}`, 'uri');
    this.watched.delete(entry.uri);
    entry.presence = false;
    entry.blf = false;
    this.subscribeEntity(entry);
    this.persistWatched();
    return null;
  }

  /**
   * Picks up the call ringing at a watched extension: an INVITE with Replaces naming that early
   * dialog, to the caller (RFC 3891 §3: only the UA that sent an early dialog's INVITE replaces
   * it, and `early-only` so an answered call is not taken; RFC 4235 §1 pickup) — or, without
   * the dialog's identifiers, the account's pickup code followed by the extension.
   */
  async pickup(input: string): Promise<CallView> {
    const entry = this.watched.get(input) ?? this.watched.get(this.normalizeOrSelf(input));
    if (entry === undefined) throw new PhoneError('not_found', `not watching ${input.slice(0, 200)}`, 'uri');
    const accountId = this.watchAccountId ?? this.defaultAccount()?.id;
    const account = accountId === undefined ? undefined : this.accounts.get(accountId);
    if (account === undefined) throw new PhoneError('invalid_state', 'no account to pick up with', 'uri');
    const dialog = entry.dialogs === undefined ? undefined : ringingDialog(entry.dialogs.dialogs);
    const caller = dialog?.remote?.target ?? dialog?.remote?.identity;
    if (dialog?.callId !== undefined && dialog.localTag !== undefined && dialog.remoteTag !== undefined && caller !== undefined && /^sips?:/i.test(caller)) {
      // The caller's local tag is the entity's remote tag: Replaces' to-tag is compared with the
      // receiver's local tag (RFC 3891 §3).
      const replaces = `${dialog.callId};to-tag=${dialog.remoteTag};from-tag=${dialog.localTag};early-only`;
      return this.calls.dial(caller, account.id, { headers: [['Replaces', replaces]] });
    }
    if (account.pickupCode !== undefined && account.pickupCode !== '') {
      const extension = /^sips?:([^@;]+)@/i.exec(entry.uri)?.[1];
      if (extension === undefined) throw new PhoneError('invalid_state', 'the extension has no user part to dial after the pickup code', 'uri');
      return this.calls.dial(`${account.pickupCode}${decodeURIComponent(extension)}`, account.id);
    }
    throw new PhoneError('invalid_state', dialog === undefined ? 'nothing is ringing there' : 'the ringing call cannot be picked up: set a pickup code on the account', 'uri');
  }

  /**
   * The accounts or their registrations changed: subscriptions move to the default registered
   * account, publications follow the accounts that publish, DND is read again.
   */
  sync(): void {
    if (this.closed) return;
    const registered = this.defaultAccount(true);
    // While the watch account is only re-registering (network change, a failed refresh) its
    // subscriptions stay: they recover on their own (RFC 6665 §4.1.3) rather than 500 at once.
    const current = this.watchAccountId === undefined ? undefined : this.accountOrUndefined(this.watchAccountId);
    const watchAccount = registered ?? current;
    if (watchAccount?.id !== this.watchAccountId) this.moveSubscriptions(watchAccount);
    this.syncPublications();
    this.updateOwn();
  }

  /**
   * An account's settings changed (its user agent is made again: new password, proxy, route):
   * what went through the old one is made again through the new one.
   */
  accountChanged(accountId: string): void {
    if (this.closed) return;
    const publication = this.publications.get(accountId);
    if (publication !== undefined) {
      this.publications.delete(accountId);
      if (publication !== 'starting') void publication.publication.remove().catch(() => undefined);
    }
    if (this.watchAccountId === accountId) this.moveSubscriptions(this.accountOrUndefined(accountId)?.enabled === true ? this.accountOrUndefined(accountId) : undefined);
    this.sync();
  }

  /** On quit: subscriptions ended, publications removed (a bounded wait). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopEvents?.();
    this.clearStartQueue();
    for (const entry of this.watched.values()) this.stopSubscriptions(entry);
    const removals = [...this.publications.values()].flatMap((p) => (p === 'starting' ? [] : [p.publication.remove()]));
    this.publications.clear();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([Promise.allSettled(removals), new Promise<void>((resolve) => (timer = setTimeout(resolve, this.closeTimeoutMs)))]);
    if (timer !== undefined) clearTimeout(timer);
  }

  // ── watching ────────────────────────────────────────────────────────────────────────────

  private newWatched(entry: { uri: string; displayName?: string | undefined; presence: boolean; blf: boolean }): Watched {
    const watched: Watched = {
      uri: entry.uri,
      displayName: entry.displayName,
      presence: entry.presence,
      blf: entry.blf,
      presenceSubscription: undefined,
      dialogSubscription: undefined,
      contact: { status: 'unknown' },
      dialogs: undefined,
      view: { uri: entry.uri, presence: entry.presence, blf: entry.blf, status: 'unknown', line: 'unknown' },
    };
    this.refreshView(watched, false);
    return watched;
  }

  private normalize(input: string): string {
    const account = this.defaultAccount() ?? this.accounts.enabled()[0];
    const text = input.trim();
    if (account === undefined && !/^sips?:|@/i.test(text)) throw new PhoneError('invalid_state', 'add an account first, or give a full SIP address', 'uri');
    try {
      // A number is watched as that account dials it (its country and dial plan).
      return dialTarget(text, account?.domain ?? 'invalid', account);
    } catch (error) {
      if (error instanceof PhoneError) throw new PhoneError('invalid_params', 'presence.watch: uri: not a number or SIP address', 'uri');
      throw error;
    }
  }

  private normalizeOrSelf(input: string): string {
    try {
      return this.normalize(input);
    } catch {
      return input;
    }
  }

  private persistWatched(): void {
    const list = [...this.watched.values()].map((w) => ({
      uri: w.uri,
      presence: w.presence,
      blf: w.blf,
      ...(w.displayName === undefined ? {} : { displayName: w.displayName }),
    }));
    this.settings.set({ 'presence.watched': list.length === 0 ? undefined : list });
  }

  private moveSubscriptions(account: StoredAccount | undefined): void {
    this.clearStartQueue();
    for (const entry of this.watched.values()) this.stopSubscriptions(entry);
    this.watchAccountId = account?.id;
    this.watchContext = undefined;
    if (account === undefined) return;
    const id = account.id;
    this.calls.userAgentOf(id).then(
      (ua) => {
        if (this.closed || this.watchAccountId !== id) return;
        this.watchContext = ua.sessionContext;
        for (const entry of this.watched.values()) this.subscribeEntity(entry);
      },
      (error: unknown) => this.log.warn('presence: no user agent to watch with', { accountId: id, error: String(error) }),
    );
  }

  private stopSubscriptions(entry: Watched): void {
    const subscriptions = [entry.presenceSubscription, entry.dialogSubscription];
    entry.presenceSubscription = undefined;
    entry.dialogSubscription = undefined;
    for (const subscription of subscriptions) {
      if (subscription === undefined) continue;
      subscription.delegate = undefined;
      subscription.unsubscribe();
    }
    entry.contact = { status: 'unknown' };
    entry.dialogs = undefined;
    this.refreshView(entry, this.watched.has(entry.uri));
  }

  /** Makes the entity's subscriptions what it asks for (one per package, §4.1 of RFC 6665). */
  private subscribeEntity(entry: Watched): void {
    const context = this.watchContext;
    if (!entry.presence && entry.presenceSubscription !== undefined) {
      const subscription = entry.presenceSubscription;
      entry.presenceSubscription = undefined;
      subscription.delegate = undefined;
      subscription.unsubscribe();
      entry.contact = { status: 'unknown' };
    }
    if (!entry.blf && entry.dialogSubscription !== undefined) {
      const subscription = entry.dialogSubscription;
      entry.dialogSubscription = undefined;
      subscription.delegate = undefined;
      subscription.unsubscribe();
      entry.dialogs = undefined;
    }
    if (context === undefined || this.closed) return;
    if ((entry.presence && entry.presenceSubscription === undefined) || (entry.blf && entry.dialogSubscription === undefined)) {
      this.startQueue.add(entry);
      this.startSubscriptions();
    }
  }

  /**
   * Starts the queued entities' subscriptions: at most `startBurst` per 100 ms window (the
   * window opens with the first start and the rest wait for the next).
   */
  private startSubscriptions(): void {
    const context = this.watchContext;
    if (context === undefined || this.closed) {
      this.startQueue.clear();
      return;
    }
    for (const entry of this.startQueue) {
      if (this.batchLeft <= 0) break;
      this.startQueue.delete(entry);
      if (this.watched.get(entry.uri) !== entry) continue;
      if (entry.presence && entry.presenceSubscription === undefined) {
        entry.presenceSubscription = this.subscribe(context, entry, 'presence', PIDF_CONTENT_TYPE);
        this.startedInWindow();
      }
      if (entry.blf && entry.dialogSubscription === undefined) {
        entry.dialogSubscription = this.subscribe(context, entry, 'dialog', DIALOG_INFO_CONTENT_TYPE);
        this.startedInWindow();
      }
    }
  }

  private startedInWindow(): void {
    this.batchLeft--;
    this.startTimer ??= setTimeout(() => {
      this.startTimer = undefined;
      this.batchLeft = this.startBurst;
      this.startSubscriptions();
    }, 100);
  }

  private clearStartQueue(): void {
    this.startQueue.clear();
    if (this.startTimer !== undefined) clearTimeout(this.startTimer);
    this.startTimer = undefined;
    this.batchLeft = this.startBurst;
  }

  private subscribe(context: SessionContext, entry: Watched, event: 'presence' | 'dialog', accept: string): Subscription {
    const subscription: Subscription = new Subscription(context, {
      target: entry.uri,
      event,
      accept: [accept],
      expires: this.subscriptionExpires,
      refreshJitter: this.refreshJitter,
      delegate: {
        onNotify: (notification) => {
          if (event === 'presence') this.receivePresence(entry, notification);
          else this.receiveDialogs(entry, subscription, notification);
        },
        onTerminated: (termination) => this.subscriptionEnded(entry, subscription, event, termination),
      },
    });
    subscription.subscribe();
    return subscription;
  }

  /** A presence NOTIFY: a PIDF document, or none yet (no state published for the entity). */
  private receivePresence(entry: Watched, notification: EventNotification): void {
    if (notification.body.length === 0) {
      // RFC 3856 §6.6.2: a NOTIFY without a body says nothing of the presentity; a server
      // with no state published for it (Kamailio) means nobody is there.
      entry.contact = notification.subscriptionState.state === 'pending' ? { status: 'unknown' } : { status: 'offline' };
    } else {
      if (notification.contentType !== PIDF_CONTENT_TYPE) throw malformedBody('pidf', 'not application/pidf+xml');
      entry.contact = contactPresence(parsePidf(notification.body));
    }
    this.refreshView(entry, true);
  }

  /** A dialog NOTIFY (RFC 4235 §4.1): full or partial; a gap in versions asks for the full state. */
  private receiveDialogs(entry: Watched, subscription: Subscription, notification: EventNotification): void {
    if (notification.body.length === 0) {
      entry.dialogs ??= new DialogInfoView();
    } else {
      if (notification.contentType !== DIALOG_INFO_CONTENT_TYPE) throw malformedBody('dialog-info', 'not application/dialog-info+xml');
      const document = parseDialogInfo(notification.body);
      const view = entry.dialogs ?? new DialogInfoView();
      entry.dialogs = view;
      if (view.apply(document) === 'gap') subscription.refresh();
    }
    this.refreshView(entry, true);
  }

  private subscriptionEnded(entry: Watched, subscription: Subscription, event: 'presence' | 'dialog', termination: SubscriptionTermination): void {
    if (event === 'presence') {
      if (entry.presenceSubscription !== subscription) return;
      entry.presenceSubscription = undefined;
      // Terminated by the notifier (§4.1.3) or refused: nobody to watch there.
      entry.contact = { status: termination.cause === 'notify' || termination.cause === 'rejected' ? 'offline' : 'unknown' };
    } else {
      if (entry.dialogSubscription !== subscription) return;
      entry.dialogSubscription = undefined;
      entry.dialogs = undefined;
    }
    this.log.info('presence: subscription ended', { event, cause: termination.cause, ...(termination.code === undefined ? {} : { code: termination.code }) });
    this.refreshView(entry, true);
  }

  /** The entity's view from both packages; announced when it changed. */
  private refreshView(entry: Watched, announce: boolean): void {
    const dialogs = entry.dialogs?.dialogs;
    let line = entry.blf && dialogs !== undefined ? lineState(dialogs) : 'unknown';
    let status: PresenceStatus = entry.presence ? entry.contact.status : 'unknown';
    // Combined: a phone that is not there has no idle lamp; a lamp in use shows on the phone.
    if (entry.presence && status === 'offline' && line === 'idle') line = 'unknown';
    if (line === 'in-call' && (status === 'available' || status === 'unknown')) status = 'on-the-phone';
    const account = this.watchAccountId === undefined ? undefined : this.accountOrUndefined(this.watchAccountId);
    const ringing = dialogs === undefined ? undefined : ringingDialog(dialogs);
    const pickup = line === 'ringing' && ((ringing?.callId !== undefined && ringing.remote !== undefined) || (account?.pickupCode ?? '') !== '');
    const view: WatchedEntity = {
      uri: entry.uri,
      ...(entry.displayName === undefined ? {} : { displayName: entry.displayName }),
      presence: entry.presence,
      blf: entry.blf,
      status,
      ...(entry.presence && entry.contact.note !== undefined ? { note: entry.contact.note } : {}),
      line,
      ...(line === 'ringing' ? { pickup } : {}),
    };
    const changed = JSON.stringify(view) !== JSON.stringify(entry.view);
    entry.view = view;
    if (changed && announce && this.watched.get(entry.uri) === entry) this.events.emit('presence.contact', view);
  }

  // ── our own presence ────────────────────────────────────────────────────────────────────

  private ownView(): OwnPresence {
    const onThePhone = this.calls.list().some((c) => ON_THE_PHONE.includes(c.state));
    const dnd = this.accounts.enabled().some((a) => a.dnd);
    const effective = effectivePresence(this.chosen.status, { onThePhone, dnd, idle: this.idle });
    return { status: this.chosen.status, ...(this.chosen.note === undefined ? {} : { note: this.chosen.note }), effective };
  }

  /** Recomputes our presence; announces and publishes it when it changed (or `force`). */
  private updateOwn(force = false): void {
    if (this.closed) return;
    const next = this.ownView();
    const changed = JSON.stringify(next) !== JSON.stringify(this.own);
    this.own = next;
    if (!changed && !force) return;
    this.events.emit('presence.own', next);
    for (const published of this.publications.values()) {
      if (published !== 'starting') published.publication.publish(this.document(published.entity));
    }
  }

  private document(entity: string): string {
    return formatPidf(ownDocument(entity, this.own.effective, this.own.note, this.ids));
  }

  /**
   * A publication per enabled account with publishPresence, started once it registers; removed
   * when the account is disabled, unregistered or stops publishing (not while it re-registers).
   */
  private syncPublications(): void {
    const { keep, start: wanted } = accountUsages(this.accounts, (a) => a.publishPresence);
    for (const [id, published] of this.publications) {
      if (keep.has(id)) continue;
      this.publications.delete(id);
      if (published !== 'starting') void published.publication.remove();
    }
    for (const [id, account] of wanted) {
      if (this.publications.has(id)) continue;
      this.publications.set(id, 'starting');
      const entity = `sip:${account.user}@${account.domain}`;
      this.calls.userAgentOf(id).then(
        (ua) => {
          if (this.closed || this.publications.get(id) !== 'starting') return;
          const publication = new Publication(ua.sessionContext, {
            target: entity,
            event: 'presence',
            contentType: PIDF_CONTENT_TYPE,
            expires: this.publicationExpires,
            delegate: {
              onUnsupported: (code) => this.log.info('presence: the server does not take PUBLISH; watching goes on', { accountId: id, code }),
              onFailed: (code) => this.log.warn('presence: publication refused', { accountId: id, code }),
            },
          });
          this.publications.set(id, { publication, entity });
          publication.publish(this.document(entity));
        },
        (error: unknown) => {
          if (this.publications.get(id) === 'starting') this.publications.delete(id);
          this.log.warn('presence: no user agent to publish with', { accountId: id, error: String(error) });
        },
      );
    }
  }

  /** For tests and diagnostics: each account's publication state. */
  publicationStates(): Record<string, PublicationState | 'starting'> {
    return Object.fromEntries([...this.publications].map(([id, p]) => [id, p === 'starting' ? p : p.publication.state]));
  }

  /** For tests and diagnostics: the subscriptions' states by entity. */
  subscriptionStates(): Record<string, { presence?: SubscriberState; dialog?: SubscriberState }> {
    return Object.fromEntries(
      [...this.watched.values()].map((w) => [
        w.uri,
        {
          ...(w.presenceSubscription === undefined ? {} : { presence: w.presenceSubscription.state }),
          ...(w.dialogSubscription === undefined ? {} : { dialog: w.dialogSubscription.state }),
        },
      ]),
    );
  }

  private defaultAccount(registeredOnly = false): StoredAccount | undefined {
    const enabled = this.accounts.enabled();
    const registered = enabled.find((a) => this.accounts.statusOf(a.id).state === 'registered');
    return registeredOnly ? registered : (registered ?? enabled[0]);
  }

  private accountOrUndefined(id: string): StoredAccount | undefined {
    return this.accounts.enabled().find((a) => a.id === id);
  }
}
