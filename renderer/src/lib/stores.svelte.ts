/**
 * The renderer's copy of the core's state, kept current by events. Lists are replaced, never
 * mutated (`$state.raw`): a SIP log of hundreds of long messages need not be made deeply reactive.
 * After every (re)connection the lists are fetched again, since events may have been missed.
 */
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { EventName, EventPayload } from '../../../shared/contract.js';
import { SILENCE_DBFS, type AccountChanges, type AccountFieldsInput, type AccountView, type AppInfo, type AudioDevices, type AudioLevel, type AudioRole, type CallStats, type CallView, type SipLogEntry } from '../../../shared/model.js';
import type { PhoneApi } from '../../../shared/phone-api.js';
import type { Connection, ConnectionSource } from './connection.js';
import { ContactsState } from './contacts.svelte.js';
import { errorInfo } from './error-info.js';
import { listenChecked } from './events.js';
import { HistoryState } from './history.svelte.js';
import { MessagesState } from './messages.svelte.js';
import { PresenceState } from './presence.svelte.js';
import { PreferencesState } from './preferences.svelte.js';
import { groupByCallId, noFilter, type SipFilter } from './sip-ladder.js';
import { appendSipLog, applyAccountStatus, RecentIds, removeAccount, upsertAccount, upsertCall } from './updates.js';

/** The messages of one dialog, kept with a call in the history (`history.sipLog`). */
export interface StoredSipDialog {
  readonly callId: string;
  readonly messages: readonly SipLogEntry[];
  /** Messages of the call not kept (over the store's bounds). */
  readonly dropped: number;
}

export class PhoneStore {
  info = $state.raw<AppInfo | undefined>(undefined);
  accounts = $state.raw<AccountView[]>([]);
  calls = $state.raw<CallView[]>([]);
  /** The latest media figures of each current call (call.stats). */
  readonly stats = new SvelteMap<string, CallStats>();
  /** DTMF digits received in each current call, in order (call.dtmf). */
  readonly digits = new SvelteMap<string, string>();
  sipLog = $state.raw<SipLogEntry[]>([]);
  /** The same entries by SIP Call-ID: one dialog's messages each (a call's ladder diagram). */
  readonly sipDialogs = $derived(groupByCallId(this.sipLog));
  /** What the SIP log screen shows: a call's "SIP ladder" button sets its Call-ID here. */
  sipFilter = $state.raw<SipFilter>(noFilter);
  /** A call's messages as kept with its history entry, shown when the log in memory no longer has them. */
  storedSip = $state.raw<StoredSipDialog | undefined>(undefined);
  /** Sound devices, the user's choices and volumes (audio.devices). */
  audio = $state.raw<AudioDevices | undefined>(undefined);
  /** The latest microphone and speaker levels (audio.level, ~10 Hz while audio flows). */
  level = $state.raw<AudioLevel>({ input: SILENCE_DBFS, output: SILENCE_DBFS });
  /** Ringing calls the user chose to ignore: no banner, only a quiet line in the calls panel. */
  readonly ignored = new SvelteSet<string>();
  /** The last call that ended, to say why (busy, declined, not found…). */
  lastEnded = $state.raw<CallView | undefined>(undefined);
  connection = $state.raw<Connection>({ state: 'connecting' });
  /** The link to the core was lost and has not come back yet. */
  linkLost = $state(false);
  /** Why the initial lists could not be loaded, if they could not. */
  loadError = $state.raw<string | undefined>(undefined);

  readonly presence: PresenceState;
  readonly contacts: ContactsState;
  readonly history: HistoryState;
  readonly messages: MessagesState;
  readonly preferences: PreferencesState;

  readonly #api: PhoneApi;
  readonly #source: ConnectionSource;
  readonly #stops: (() => void)[] = [];
  /** Calls seen to end (plain, not reactive: only consulted, never drawn). */
  readonly #ended = new RecentIds(256);

  constructor(api: PhoneApi, connection: ConnectionSource) {
    this.#api = api;
    this.#source = connection;
    this.presence = new PresenceState(api);
    this.contacts = new ContactsState(api, this.presence, () => this.defaultDomain);
    this.history = new HistoryState(api);
    this.messages = new MessagesState(api);
    this.preferences = new PreferencesState(api);
  }

  /** Where a bare user or number goes: the domain of the account the core would use. */
  get defaultDomain(): string | undefined {
    const enabled = this.accounts.filter((a) => a.enabled);
    return (enabled.find((a) => a.status.state === 'registered') ?? enabled[0])?.domain;
  }

  /** Subscribes to the core's events and loads the lists; returns what undoes it. */
  start(): () => void {
    this.#on('account.state', (status) => {
      const next = applyAccountStatus(this.accounts, status);
      if (next === undefined) void this.#loadAccounts();
      else this.accounts = next;
    });
    this.#on('call.state', (call) => this.#updateCall(call));
    this.#on('call.incoming', (call) => this.#updateCall(call));
    this.#on('call.stats', (stats) => void this.stats.set(stats.callId, stats));
    this.#on('call.dtmf', ({ callId, digit }) => void this.digits.set(callId, `${this.digits.get(callId) ?? ''}${digit}`.slice(-32)));
    this.#on('log.sip', (entry) => (this.sipLog = appendSipLog(this.sipLog, entry)));
    this.#on('audio.devices', (audio) => (this.audio = audio));
    this.#on('audio.level', (level) => (this.level = level));
    const listen = <E extends EventName>(name: E, handler: (payload: EventPayload<E>) => void) => this.#on(name, handler);
    this.presence.start(listen);
    this.history.start(listen);
    this.messages.start(listen);
    this.preferences.start(listen);
    this.#stops.push(
      this.#source.subscribe((connection) => {
        this.connection = connection;
        if (connection.state === 'disconnected') this.linkLost = true;
        if (connection.state === 'connected') {
          this.linkLost = false;
          void this.refresh();
        }
      }),
    );
    this.connection = this.#source.current();
    if (this.connection.state === 'connected') void this.refresh();
    return () => this.#stops.splice(0).forEach((stop) => stop());
  }

  async refresh(): Promise<void> {
    // Not one of the lists: without preferences, the system's language stands.
    void this.preferences.refresh();
    const results = await Promise.allSettled([
      this.#api.app.info({}).then((info) => (this.info = info)),
      this.#loadAccounts(),
      this.#api.calls.list({}).then((calls) => {
        this.calls = calls;
        // Calls that ended while the link was down are no longer ignored: they are gone.
        for (const id of [...this.ignored]) if (!calls.some((call) => call.id === id)) this.ignored.delete(id);
      }),
      this.#api.audio.devices({}).then((audio) => (this.audio = audio)),
      this.presence.refresh(),
      this.contacts.refresh(),
      this.history.refresh(),
      this.messages.refresh(),
    ]);
    const failure = results.find((r) => r.status === 'rejected');
    this.loadError = failure === undefined ? undefined : errorInfo(failure.reason).message;
    if (failure === undefined) void this.contacts.reconcileWatches();
  }

  reconnect(): void {
    this.#source.reconnect();
  }

  /** Places a call; with `conference`, the callee joins the call in progress once answered. */
  async dial(target: string, accountId?: string, conference = false): Promise<void> {
    this.#updateCall(await this.#api.calls.dial({ target, ...(accountId === undefined ? {} : { accountId }), ...(conference ? { conference } : {}) }));
  }
  /** Picks up the call ringing at a watched extension (busy lamp). */
  async pickup(uri: string): Promise<void> {
    this.#updateCall(await this.#api.presence.pickup({ uri }));
  }
  /** Calls an account's voicemail. */
  async callVoicemail(accountId: string): Promise<void> {
    this.#updateCall(await this.#api.voicemail.call({ accountId }));
  }
  async answer(callId: string): Promise<void> {
    this.#updateCall(await this.#api.calls.answer({ callId }));
  }
  async reject(callId: string, code: 486 | 603): Promise<void> {
    this.#updateCall(await this.#api.calls.reject({ callId, code }));
  }
  async hangup(callId: string): Promise<void> {
    this.#updateCall(await this.#api.calls.hangup({ callId }));
  }

  /** Sends DTMF digits in a call (the in-call keypad). */
  async sendDigits(callId: string, digits: string): Promise<void> {
    await this.#api.calls.dtmf({ callId, digits });
  }

  async mute(callId: string, muted: boolean): Promise<void> {
    this.#updateCall(await this.#api.calls.mute({ callId, muted }));
  }

  /** Holds or resumes a call; resuming holds the call in progress (swapping lines). */
  async hold(callId: string, held: boolean): Promise<void> {
    this.#updateCall(await this.#api.calls.hold({ callId, held }));
  }

  /** Blind transfer to a number or address. */
  async transferTo(callId: string, target: string): Promise<void> {
    this.#updateCall(await this.#api.calls.transfer({ callId, target }));
  }

  /** Attended transfer: the peer of `callId` is connected to the peer of `consultCallId`. */
  async transferToCall(callId: string, consultCallId: string): Promise<void> {
    this.#updateCall(await this.#api.calls.transfer({ callId, consultCallId }));
  }

  /** Accepts or refuses the transfer the peer of a call asked for. */
  async transferReply(callId: string, accept: boolean): Promise<void> {
    this.#updateCall(await this.#api.calls.transferReply({ callId, accept }));
  }

  async merge(callIds: readonly string[]): Promise<void> {
    for (const call of await this.#api.calls.merge({ callIds: [...callIds] })) this.#updateCall(call);
  }

  async split(callId: string): Promise<void> {
    this.#updateCall(await this.#api.calls.split({ callId }));
  }

  async record(callId: string, recording: boolean): Promise<void> {
    this.#updateCall(await this.#api.calls.record({ callId, recording }));
  }

  /** Stops alerting for a ringing call here only: the caller keeps hearing it ring. */
  ignore(callId: string): void {
    this.ignored.add(callId);
  }

  /** Chooses a device for a role; null: the system default. */
  async selectDevice(role: AudioRole, deviceId: string | null): Promise<void> {
    this.audio = await this.#api.audio.select({ [role]: deviceId });
  }
  async setVolume(role: 'microphone' | 'speaker', percent: number): Promise<void> {
    this.audio = await this.#api.audio.volume({ [role]: percent });
  }
  async audioTest(running: boolean): Promise<void> {
    await this.#api.audio.test({ running });
    this.audio = await this.#api.audio.devices({});
  }

  async addAccount(fields: AccountFieldsInput): Promise<AccountView> {
    const account = await this.#api.accounts.add(fields);
    this.accounts = upsertAccount(this.accounts, account);
    // Contacts saved while there was no account to watch them with can be watched now.
    void this.contacts.reconcileWatches();
    return account;
  }
  async updateAccount(id: string, changes: AccountChanges): Promise<AccountView> {
    const account = await this.#api.accounts.update({ id, changes });
    this.accounts = upsertAccount(this.accounts, account);
    return account;
  }
  async removeAccount(id: string): Promise<void> {
    await this.#api.accounts.remove({ id });
    this.accounts = removeAccount(this.accounts, id);
  }
  async register(id: string): Promise<void> {
    const status = await this.#api.accounts.register({ id });
    this.accounts = applyAccountStatus(this.accounts, status) ?? this.accounts;
  }
  async unregister(id: string): Promise<void> {
    const status = await this.#api.accounts.unregister({ id });
    this.accounts = applyAccountStatus(this.accounts, status) ?? this.accounts;
  }

  clearSipLog(): void {
    this.sipLog = [];
  }
  /** The SIP log screen is to show this dialog only. */
  showSipDialog(callId: string): void {
    this.sipFilter = { ...noFilter, callId };
  }
  /**
   * The SIP log screen is to show the messages kept with a call in the history (the log in memory
   * holds the last messages of this session only). Its Call-ID, or undefined when none were kept.
   */
  async showStoredSipDialog(historyId: string): Promise<string | undefined> {
    const { messages, dropped } = await this.#api.history.sipLog({ id: historyId });
    const callId = messages.find((m) => m.callId !== undefined)?.callId;
    if (callId === undefined) return undefined;
    this.storedSip = { callId, messages: messages.filter((m) => m.callId === callId), dropped };
    this.showSipDialog(callId);
    return callId;
  }
  dismissEnded(): void {
    this.lastEnded = undefined;
  }

  async #loadAccounts(): Promise<void> {
    this.accounts = await this.#api.accounts.list({});
  }

  #updateCall(call: CallView): void {
    // A late result (e.g. `terminating` from calls.hangup) must not bring an ended call back.
    if (this.#ended.has(call.id)) return;
    if (call.state === 'terminated') {
      this.#ended.add(call.id);
      this.lastEnded = call;
      this.stats.delete(call.id);
      this.digits.delete(call.id);
      this.ignored.delete(call.id);
    }
    this.calls = upsertCall(this.calls, call);
  }

  /** Subscribes with the contract's schema as a guard: a malformed event is dropped, not drawn. */
  #on<E extends EventName>(name: E, handler: (payload: EventPayload<E>) => void): void {
    this.#stops.push(listenChecked(this.#api, name, handler));
  }
}
