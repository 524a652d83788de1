/**
 * The core: everything that makes the phone work, in plain Node. A host creates one core,
 * calls its contract handlers and subscribes to its events; nothing here knows which host
 * (Electron, web, CLI) it runs under.
 */
import { Messages } from './phone/messages.js';
import { Contacts } from './phone/contacts.js';
import { Directory } from './directory/index.js';
import { History } from './phone/history.js';
import { ContactsStore } from './store/contacts-store.js';
import { HistoryStore } from './store/history-store.js';
import { MessagesStore } from './store/messages-store.js';
import { join } from 'node:path';
import type { EventSink, Handlers } from '../../shared/contract.js';
import { ConfigFile, type ConfigFileInput, type HostKind, type RingtoneName } from '../../shared/model.js';
import { EventHub } from './events.js';
import { silentLogger, type Logger } from './log.js';
import { Accounts } from './phone/accounts.js';
import { NullDriver } from './audio/index.js';
import { AudioDeviceManager } from './phone/audio-devices.js';
import { AudioTestCall } from './phone/audio-test-call.js';
import { DEFAULT_TONE_REGION, type ToneRegionCode } from './audio/tones/index.js';
import { CallSounds } from './phone/call-sounds.js';
import { AppPreferences } from './phone/preferences.js';
import { Calls, type CallAudio } from './phone/calls.js';
import { Phone } from './phone/phone.js';
import { Presence } from './phone/presence.js';
import { Registrations } from './phone/registrations.js';
import { Signalling, type SignallingOptions } from './phone/signalling.js';
import { Voicemail } from './phone/voicemail.js';
import type { DnsResolver } from './sip/locator/index.js';
import { AccountsStore } from './store/accounts-store.js';
import { closeDatabase, openDatabase } from './store/database.js';
import { SettingsStore } from './store/settings-store.js';
import type { SecretStore } from './store/secret-store.js';

export interface CoreOptions {
  /** Where the store and settings live (`--data-dir`). */
  dataDir: string;
  /** A damaged database: put the last backup in its place, or start empty (the bad file is kept aside). */
  recoverDatabase?: 'restore-backup' | 'start-fresh';
  /** Accounts and settings to load at start (`--config FILE`); validated, defaults applied here. */
  config?: ConfigFileInput;
  host: HostKind;
  appName: string;
  appVersion: string;
  /** Component versions to report in `app.info` (node, electron, chrome...). */
  versions?: Record<string, string>;
  secrets: SecretStore;
  logger?: Logger;
  /** DNS for locating SIP servers; default the system's. Tests pass a stub. */
  dns?: DnsResolver;
  /** Ringback, ring and busy tones: the tone region and the ringtone folder; false for none. */
  sounds?: { region?: ToneRegionCode; ringtonesDir?: string } | false;
  /** Sound for calls: the driver and devices (default: the null driver, silence). */
  audio?: CallAudio;
  /** Keep-alive, idle close and flow-recovery backoff (RFC 5626); sensible defaults. */
  signalling?: SignallingOptions;
  /** How often sound devices are re-read for hot-plug, where the driver can (default 3000 ms; 0: never). */
  deviceRefreshMs?: number;
  /** How long the audio test's echo waits (default 500 ms). */
  audioTestDelayMs?: number;
}

export interface Core {
  readonly handlers: Handlers;
  /** The SIP endpoint (transport + transactions), for the user agent and for tests. */
  readonly signalling: Signalling;
  subscribe(sink: EventSink): () => void;
  /** The user's audio devices (selection, volumes, meters, hot-plug), for hosts and tests. */
  readonly audio: AudioDeviceManager;
  /**
   * After a network change or a wake from sleep (hosts call this): re-register at once, then
   * carry every call over with a re-INVITE naming our current Contact and media address.
   */
  networkChanged(): void;
  /** The user has been away from the machine (or is back): "available" is published as "away". */
  userIdle(idle: boolean): void;
  /** Unregisters (bounded wait), stops listening, closes the store. */
  close(): Promise<void>;
}

export async function createCore(options: CoreOptions): Promise<Core> {
  const log = options.logger ?? silentLogger;
  const db = openDatabase(options.dataDir, options.recoverDatabase === undefined ? {} : { recovery: options.recoverDatabase });
  const events = new EventHub(log);
  const accounts = new Accounts(new AccountsStore(db), options.secrets, events);

  const config = ConfigFile.parse(options.config ?? {});
  for (const { id, ...fields } of config.accounts) {
    // A config file's accounts are upserted by id (or by identity), so restarts don't duplicate.
    const existing = (await accounts.list()).find(
      (a) => a.id === id || (a.user === fields.user && a.domain.toLowerCase() === fields.domain.toLowerCase()),
    );
    await (existing === undefined ? accounts.add(fields, id) : accounts.add(fields, existing.id));
  }

  const signalling = new Signalling(events, log, options.dns, options.signalling);
  const registrations: Registrations = new Registrations(
    signalling,
    options.secrets,
    {
      onStatus: (status) => {
        accounts.setStatus(status);
        if (status.state === 'registered') calls.registered(status.accountId);
        calls.registrationChanged(status);
      },
    },
    log,
  );
  const audio: CallAudio = {
    rtpPorts: { min: config.media.rtpPortMin, max: config.media.rtpPortMax },
    recordingsDir: join(options.dataDir, 'recordings'),
    ...(options.audio ?? { driver: new NullDriver() }),
  };
  const devices = new AudioDeviceManager({
    driver: audio.driver,
    settings: new SettingsStore(db, log),
    events,
    log,
    ...(options.deviceRefreshMs === undefined ? {} : { refreshIntervalMs: options.deviceRefreshMs }),
  });
  await devices.start();
  const audioTest = new AudioTestCall({
    driver: audio.driver,
    devices,
    log,
    ...(audio.deviceSampleRate === undefined ? {} : { deviceSampleRate: audio.deviceSampleRate }),
    ...(options.audioTestDelayMs === undefined ? {} : { delayMs: options.audioTestDelayMs }),
  });
  // The ringtone is read at each ring; the preview plays on the ringer calls use (both defined below).
  const preferences: AppPreferences = new AppPreferences(new SettingsStore(db, log), events, async (ringtone): Promise<boolean> => (await sounds?.preview(calls.ringerDevice, ringtone)) ?? false);
  const sounds =
    options.sounds === false
      ? undefined
      : new CallSounds(
          audio.driver,
          {
            region: options.sounds?.region ?? DEFAULT_TONE_REGION,
            ...(options.sounds?.ringtonesDir === undefined ? {} : { ringtonesDir: options.sounds.ringtonesDir }),
            ringtone: (): RingtoneName => preferences.get().ringtone,
          },
          log,
        );
  const calls = new Calls(accounts, registrations, signalling, options.secrets, events, log, audio, devices, sounds);
  const contactsStore = new ContactsStore(db);
  // Numbers are read with an account's country and dial plan; with no account named, the first enabled one's.
  const contacts = new Contacts(contactsStore, (accountId) => (accountId === undefined ? accounts.enabled()[0] : accounts.enabled().find((a) => a.id === accountId)) ?? {});
  // Caller identification: a call's remote party named from the contacts.
  calls.identifyWith((uri, accountId) => contacts.identify(uri, accountId));
  signalling.attachUserAgent(calls);
  // A device chosen, plugged or unplugged: calls in progress move to it.
  events.subscribe((name) => {
    if (name === 'audio.devices') calls.devicesChanged();
  });
  const presence = new Presence({ accounts, calls, events, settings: new SettingsStore(db, log), log });
  const voicemail = new Voicemail({ accounts, calls, events, log });
  const directory = new Directory(db, contactsStore, options.secrets, events, log);
  const history = new History(new HistoryStore(db), events, contacts, new SettingsStore(db, log), (id) => calls.sipCallIdOf(id));
  const phone = new Phone(
    {
      name: options.appName,
      version: options.appVersion,
      host: options.host,
      platform: process.platform,
      arch: process.arch,
      versions: { node: process.versions.node, ...options.versions },
    },
    accounts,
    registrations,
    calls,
    events,
    { devices, test: audioTest },
    new Messages(accounts, calls, new MessagesStore(db), events, log),
    presence,
    voicemail,
    { contacts, history },
    directory,
    preferences,
  );
  try {
    await signalling.listen(config.sip.listen);
  } catch (error) {
    devices.close();
    await signalling.close();
    closeDatabase(db);
    throw error;
  }
  log.info('core started', { host: options.host, dataDir: options.dataDir });
  presence.start();
  voicemail.start();
  directory.start();
  for (const account of await accounts.list()) {
    // One account that cannot register (no route, bad proxy) must not keep the others down.
    await phone.syncRegistration(account.id).catch((error: unknown) => log.warn('registration not started', { accountId: account.id, error: String(error) }));
  }

  let closed = false;
  return {
    handlers: phone.handlers,
    signalling,
    audio: devices,
    subscribe: (sink) => events.subscribe(sink),
    networkChanged: () => {
      registrations.networkChanged();
      calls.networkChanged();
    },
    userIdle: (idle) => presence.setIdle(idle),
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([presence.close(), voicemail.close(), directory.close()]);
      await calls.hangupAll();
      await audioTest.stop();
      await calls.close();
      devices.close();
      await registrations.unregisterAll();
      await signalling.close();
      history.close();
      closeDatabase(db);
    },
  };
}
