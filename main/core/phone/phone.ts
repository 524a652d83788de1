/**
 * The phone: the one place that knows the user's view (accounts, calls) and implements the
 * contract's requests. Hosts call it only through `handlers`; it tells them what happened only
 * through the `EventHub`.
 */
import type { Handlers } from '../../../shared/contract.js';
import { PhoneError } from '../../../shared/errors.js';
import type { AppInfo } from '../../../shared/model.js';
import type { EventHub } from '../events.js';
import type { Accounts } from './accounts.js';
import type { AudioDeviceManager } from './audio-devices.js';
import type { AudioTestCall } from './audio-test-call.js';
import type { Calls } from './calls.js';
import type { Presence } from './presence.js';
import type { Messages } from './messages.js';
import type { Contacts } from './contacts.js';
import type { Directory } from '../directory/index.js';
import type { History } from './history.js';
import type { AppPreferences } from './preferences.js';
import type { Registrations } from './registrations.js';
import type { Voicemail } from './voicemail.js';

export class Phone {
  constructor(
    private readonly info: AppInfo,
    private readonly accounts: Accounts,
    private readonly registrations: Registrations,
    private readonly calls: Calls,
    readonly events: EventHub,
    private readonly audio: { readonly devices: AudioDeviceManager; readonly test: AudioTestCall },
    private readonly messages: Messages,
    private readonly presence: Presence,
    private readonly voicemail: Voicemail,
    private readonly records: { readonly contacts: Contacts; readonly history: History },
    private readonly directory: Directory,
    private readonly preferences: AppPreferences,
  ) {}

  /** Starts or stops the audio test call, and tells the UI. */
  async audioTest(running: boolean): Promise<{ running: boolean }> {
    const { devices, test } = this.audio;
    if (running) {
      devices.setTestRunning(true);
      try {
        await test.start();
      } catch (error) {
        devices.setTestRunning(false);
        throw new PhoneError('unavailable', `the audio test cannot open the devices: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500));
      }
    } else {
      await test.stop();
      devices.setTestRunning(false);
    }
    return { running: test.running };
  }

  /** Registers an account that wants it, unregisters one that no longer does. */
  async syncRegistration(id: string): Promise<void> {
    const account = this.accounts.get(id);
    this.calls.forgetAccount(id);
    this.presence.accountChanged(id);
    if (account.enabled && account.register) await this.registrations.register(account);
    else await this.registrations.unregister(id);
  }

  readonly handlers: Handlers = {
    'app.info': async () => this.info,

    'accounts.list': () => this.accounts.list(),
    'accounts.add': async (fields) => {
      const { id } = await this.accounts.add(fields);
      await this.syncRegistration(id);
      return this.accounts.viewOf(id);
    },
    'accounts.update': async ({ id, changes }) => {
      await this.accounts.update(id, changes);
      await this.syncRegistration(id);
      return this.accounts.viewOf(id);
    },
    'accounts.remove': async ({ id }) => {
      this.accounts.get(id);
      await this.registrations.unregister(id);
      await this.accounts.remove(id);
      return null;
    },
    'accounts.register': async ({ id }) => {
      const account = this.accounts.get(id);
      if (!account.enabled) throw new PhoneError('invalid_state', 'the account is disabled', 'id');
      await this.registrations.register(account);
      return this.accounts.statusOf(id);
    },
    'accounts.unregister': async ({ id }) => {
      this.accounts.get(id);
      await this.registrations.unregister(id);
      return this.accounts.statusOf(id);
    },

    'calls.dial': ({ target, accountId, conference }) => this.calls.dial(target, accountId, conference === true ? { conference: true } : {}),
    'calls.answer': ({ callId }) => this.calls.answer(callId),
    'calls.reject': async ({ callId, code }) => this.calls.reject(callId, code),
    'calls.hangup': async ({ callId }) => this.calls.hangup(callId),
    'calls.list': async () => this.calls.list(),
    'calls.dtmf': async ({ callId, digits }) => {
      await this.calls.dtmf(callId, digits);
      return null;
    },
    'calls.mute': async ({ callId, muted }) => this.calls.mute(callId, muted),
    'calls.hold': ({ callId, held }) => this.calls.hold(callId, held),
    'calls.transfer': (request) => this.calls.transfer(request.callId, 'target' in request ? { target: request.target } : { consultCallId: request.consultCallId }),
    'calls.transferReply': ({ callId, accept }) => this.calls.transferReply(callId, accept),
    'calls.merge': ({ callIds }) => this.calls.merge(callIds),
    'calls.split': ({ callId }) => this.calls.split(callId),
    'calls.record': async ({ callId, recording }) => this.calls.record(callId, recording),

    'presence.get': async () => this.presence.get(),
    'presence.set': async ({ status, note }) => this.presence.set(status, note),
    'presence.watch': async (watch) => this.presence.watch(watch),
    'presence.unwatch': async ({ uri }) => this.presence.unwatch(uri),
    'presence.pickup': ({ uri }) => this.presence.pickup(uri),
    'voicemail.list': async () => this.voicemail.list(),
    'voicemail.call': ({ accountId }) => this.voicemail.call(accountId),

    'messages.send': ({ to, text, accountId }) => this.messages.send(to, text, accountId),
    'messages.list': async ({ peer, limit }) => this.messages.list(peer, limit),
    'messages.typing': async ({ to, active, accountId }) => {
      await this.messages.setTyping(to, active, accountId);
      return null;
    },

    'contacts.list': async ({ query, favourites, limit }) => this.records.contacts.list(query, favourites, limit),
    // A contact of the CardDAV address book changed here: it goes up at a sync soon.
    'contacts.add': async (fields) => {
      const contact = this.records.contacts.add(fields);
      this.directory.contactChanged(contact.id);
      return contact;
    },
    'contacts.update': async ({ id, changes }) => {
      const contact = this.records.contacts.update(id, changes);
      this.directory.contactChanged(id);
      return contact;
    },
    'contacts.photo': async ({ id }) => this.records.contacts.photo(id),
    'contacts.remove': async ({ id }) => {
      this.records.contacts.remove(id);
      this.directory.contactChanged(id);
      return null;
    },
    'directory.get': () => this.directory.get(),
    'directory.configureCardDav': (settings) => this.directory.configureCardDav(settings),
    'directory.syncCardDav': () => this.directory.sync(),
    'directory.removeCardDav': () => this.directory.removeCardDav(),
    'directory.configureLdap': (settings) => this.directory.configureLdap(settings),
    'directory.removeLdap': () => this.directory.removeLdap(),
    'directory.search': ({ query, limit }) => this.directory.search(query, limit),
    'contacts.import': async (options) => this.records.contacts.import(options),
    'contacts.export': async ({ format }) => this.records.contacts.export(format),
    'history.list': async ({ filter, limit, before }) => this.records.history.list(filter, limit, before),
    'history.markSeen': async () => this.records.history.markSeen(),
    'history.retention': async ({ keep }) => this.records.history.retention(keep),
    'history.remove': async ({ id }) => {
      this.records.history.remove(id);
      return null;
    },
    'history.sipLog': async ({ id }) => {
      const { messages, dropped } = this.records.history.sipLog(id);
      return { messages: [...messages], dropped };
    },

    'preferences.get': async () => this.preferences.get(),
    'preferences.set': async (changes) => this.preferences.set(changes),
    'preferences.previewRingtone': ({ ringtone }) => this.preferences.previewRingtone(ringtone),

    'audio.devices': async () => this.audio.devices.view(),
    'audio.select': async (choice) => this.audio.devices.select(choice),
    'audio.volume': async (volume) => this.audio.devices.setVolume(volume),
    'audio.test': ({ running }) => this.audioTest(running),
  };
}
