/**
 * The contract between the UI and the core: the single source of truth for what the UI can
 * ask (requests: method → params/result) and what it is told (events: name → payload).
 * Every entry is a runtime schema; TypeScript types are derived from it. Hosts are generic
 * over this map: adding a method here and implementing it in the core is all it takes.
 */
import { z } from 'zod';
import {
  CardDavSettings,
  CardDavSyncResult,
  CardDavSyncState,
  CardDavView,
  DirectoryEntry,
  LdapSettings,
  LdapView,
  Contact,
  ContactChanges,
  ContactFields,
  ContactPhoto,
  ContactId,
  CountryCode,
  HistoryEntry,
  HistoryRetention,
  Preferences,
  RingtoneName,
  AccountChanges,
  AccountFields,
  AccountId,
  AccountStatus,
  AccountView,
  AppInfo,
  AudioDeviceId,
  AudioDevices,
  AudioLevel,
  AudioVolume,
  CallDtmf,
  CallId,
  CallStats,
  CallView,
  MessageView,
  OwnPresence,
  SipLogEntry,
  TypingState,
  VoicemailState,
  WatchedEntity,
} from './model.js';
import type { EventName, Method } from './names.js';

export { eventNames, isEventName, isMethod, methodNames, type EventName, type Method } from './names.js';

const none = z.object({}).strict();
const byAccount = z.object({ id: AccountId }).strict();
const byCall = z.object({ callId: CallId }).strict();
/** A number, user@host or sip:/sips:/tel: URI. */
const target = z.string().trim().min(1, 'enter a number or SIP address').max(512);

interface RequestSpec<P extends z.ZodType, R extends z.ZodType> {
  readonly params: P;
  readonly result: R;
  readonly summary: string;
}
function request<P extends z.ZodType, R extends z.ZodType>(params: P, result: R, summary: string): RequestSpec<P, R> {
  return { params, result, summary };
}

export const requests = {
  'app.info': request(none, AppInfo, 'Name, version and host of the running phone'),

  'accounts.list': request(none, z.array(AccountView), 'All accounts with their registration state'),
  'accounts.add': request(AccountFields, AccountView, 'Create an account (and register it if enabled)'),
  'accounts.update': request(
    z.object({ id: AccountId, changes: AccountChanges }).strict(),
    AccountView,
    'Change some fields of an account',
  ),
  'accounts.remove': request(byAccount, z.null(), 'Unregister and delete an account'),
  'accounts.register': request(byAccount, AccountStatus, 'Register (or refresh the registration) now'),
  'accounts.unregister': request(byAccount, AccountStatus, 'Remove the registration'),

  'calls.dial': request(
    z
      .object({
        target: z.string().trim().min(1, 'enter a number or SIP address').max(512),
        accountId: AccountId.optional(),
        /** Add the callee to the call in progress: a conference once answered (the call in progress is not held). */
        conference: z.boolean().optional(),
      })
      .strict(),
    CallView,
    'Place a call to a number, SIP/SIPS/tel URI or user@host',
  ),
  'calls.answer': request(byCall, CallView, 'Answer a ringing incoming call'),
  'calls.reject': request(
    byCall.extend({ code: z.union([z.literal(486), z.literal(603)]).default(486) }).strict(),
    CallView,
    'Decline an incoming call: 486 Busy Here or 603 Decline',
  ),
  'calls.hangup': request(byCall, CallView, 'End, cancel or decline a call, whatever its state'),
  'calls.list': request(none, z.array(CallView), 'The calls that are not over'),
  'calls.dtmf': request(
    byCall.extend({ digits: z.string().regex(/^[0-9*#A-Da-d]{1,32}$/, 'digits 0-9, *, # or A-D') }).strict(),
    z.null(),
    'Send DTMF digits in a call (RFC 4733, or SIP INFO per the account)',
  ),
  'calls.mute': request(byCall.extend({ muted: z.boolean() }).strict(), CallView, 'Mute or unmute our microphone in a call'),
  'calls.hold': request(
    byCall.extend({ held: z.boolean() }).strict(),
    CallView,
    'Hold a call, or resume it (the call that was active is held: swapping lines)',
  ),
  'calls.transfer': request(
    z.union([
      byCall.extend({ target: z.string().trim().min(1, 'enter a number or SIP address').max(512) }).strict(),
      byCall.extend({ consultCallId: CallId }).strict(),
    ]),
    CallView,
    'Transfer a call: blind to a target, or attended to the peer of a consultation call',
  ),
  'calls.transferReply': request(
    byCall.extend({ accept: z.boolean() }).strict(),
    CallView,
    'Accept or refuse the transfer the peer of a call asked for',
  ),
  'calls.merge': request(
    z.object({ callIds: z.array(CallId).min(2).max(8) }).strict(),
    z.array(CallView),
    'Join calls into our local conference (everyone hears everyone)',
  ),
  'calls.split': request(byCall, CallView, 'Take a call out of the conference (it stays, on hold)'),
  'calls.record': request(
    byCall.extend({ recording: z.boolean() }).strict(),
    CallView,
    'Start or stop recording a call (both directions) to a WAV file',
  ),

  'presence.get': request(
    none,
    z.object({ own: OwnPresence, watched: z.array(WatchedEntity) }).strict(),
    'Our presence and that of every contact and extension we watch',
  ),
  'presence.set': request(
    z.object({ status: OwnPresence.shape.status, note: z.string().max(256).optional() }).strict(),
    OwnPresence,
    'Set our presence (published to every account that publishes)',
  ),
  'presence.watch': request(
    z
      .object({
        uri: target,
        displayName: z.string().max(128).optional(),
        presence: z.boolean().default(true),
        blf: z.boolean().default(false),
      })
      .strict(),
    WatchedEntity,
    'Watch a contact (presence) or an extension (busy lamp)',
  ),
  'presence.unwatch': request(z.object({ uri: z.string().max(1024) }).strict(), z.null(), 'Stop watching a contact or extension'),
  'presence.pickup': request(z.object({ uri: z.string().max(1024) }).strict(), CallView, "Pick up the call ringing at a watched extension"),
  'voicemail.list': request(none, z.array(VoicemailState), 'Voicemail waiting on each account'),
  'voicemail.call': request(z.object({ accountId: AccountId }).strict(), CallView, "Call the account's voicemail"),
  'messages.send': request(
    z.object({ to: target, text: z.string().min(1, 'type a message').max(16384), accountId: AccountId.optional() }).strict(),
    MessageView,
    'Send an instant message (RFC 3428)',
  ),
  'messages.list': request(
    z.object({ peer: z.string().max(1024).optional(), limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    z.array(MessageView),
    'Messages, newest last: one conversation, or all',
  ),
  'messages.typing': request(
    z.object({ to: target, active: z.boolean(), accountId: AccountId.optional() }).strict(),
    z.null(),
    'Tell the peer we are typing, or stopped (RFC 3994)',
  ),

  'contacts.list': request(
    z
      .object({
        query: z.string().max(128).optional(),
        favourites: z.boolean().optional(),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
    z.array(Contact),
    'Contacts by name; with a query, those whose name, organisation or any number/address contains it',
  ),
  'contacts.add': request(ContactFields, Contact, 'Create a contact'),
  'contacts.update': request(z.object({ id: ContactId, changes: ContactChanges }).strict(), Contact, 'Change some fields of a contact (a photo of null removes it)'),
  'contacts.remove': request(z.object({ id: ContactId }).strict(), z.null(), 'Delete a contact'),
  'contacts.photo': request(z.object({ id: ContactId }).strict(), z.object({ photo: ContactPhoto.optional() }).strict(), "A contact's photo as a data: URL (none: it has none)"),
  'contacts.import': request(
    z
      .object({
        format: z.enum(['vcard', 'csv']),
        /** The file's text (vCard 3.0/4.0, or CSV with a header line). */
        text: z.string().min(1, 'the file is empty').max(20_000_000, 'a file of at most 20 MB'),
        /** CSV: column header → `name`, `givenName`, `middleName`, `familyName`, `organisation`, `notes`, `favourite`, `phone[:label]`, `sip[:label]` or `ignore`. */
        mapping: z
          .record(
            z.string().min(1).max(128),
            z.string().regex(/^(?:name|givenName|middleName|familyName|organisation|notes|favourite|ignore|(?:phone|sip)(?::[^:]{1,32})?)$/, 'a contact field, phone[:label], sip[:label] or ignore'),
          )
          .optional(),
        /** A record with a number, SIP address or name and organisation already there. */
        onDuplicate: z.enum(['skip', 'merge', 'add']).default('skip'),
        /** Where the file's national numbers are (default: the default account's country). */
        country: CountryCode.optional(),
      })
      .strict(),
    z
      .object({
        added: z.number().int().nonnegative(),
        merged: z.number().int().nonnegative(),
        skipped: z.number().int().nonnegative(),
        errors: z.array(z.object({ line: z.number().int().positive(), reason: z.string().max(512) }).strict()).max(1000),
        /** Lines taken, but not all of them: a photo at a remote URL (never fetched) or one that is no image. */
        warnings: z.array(z.object({ line: z.number().int().positive(), reason: z.string().max(512) }).strict()).max(1000),
      })
      .strict(),
    'Import contacts from a vCard or CSV file: what was added, merged, skipped, the lines not taken with why, and what was left out of lines taken',
  ),
  'contacts.export': request(
    z.object({ format: z.enum(['vcard', 'csv']) }).strict(),
    z.object({ text: z.string() }).strict(),
    'All contacts as vCard 4.0 or CSV',
  ),
  'directory.get': request(
    none,
    z.object({ carddav: CardDavView.optional(), ldap: LdapView.optional() }).strict(),
    'The CardDAV address book and LDAP directory settings, without passwords',
  ),
  'directory.configureCardDav': request(
    CardDavSettings.extend({ password: z.string().min(1).max(1024).nullable().optional() }).strict(),
    CardDavView,
    'Set the CardDAV address book to synchronise (password: kept if absent, forgotten if null)',
  ),
  'directory.syncCardDav': request(none, CardDavSyncResult, 'Synchronise the CardDAV address book now, both ways: local changes go up (If-Match), the server’s come down; on a conflict the server wins and our version is kept aside'),
  'directory.removeCardDav': request(
    none,
    z.object({ removedContacts: z.number().int().nonnegative(), keptContacts: z.number().int().nonnegative() }).strict(),
    'Remove the CardDAV address book: its settings, its saved password, and the contacts that came only from it (they stay on the server); ones with changes not yet sent are kept here',
  ),
  'directory.configureLdap': request(
    LdapSettings.extend({ password: z.string().min(1).max(1024).nullable().optional() }).strict(),
    LdapView,
    'Set the LDAP directory to search (password: kept if absent, forgotten if null)',
  ),
  'directory.removeLdap': request(none, z.null(), 'Remove the LDAP directory: its settings and its saved password (contacts added from it stay)'),
  'directory.search': request(
    z.object({ query: z.string().trim().min(1, 'type a name or number').max(128), limit: z.number().int().min(1).max(500).optional() }).strict(),
    z.object({ entries: z.array(DirectoryEntry), truncated: z.boolean() }).strict(),
    'Search the LDAP directory by name or number',
  ),
  'history.list': request(
    z
      .object({
        filter: z.enum(['all', 'missed', 'incoming', 'outgoing']).default('all'),
        limit: z.number().int().min(1).max(1000).default(100),
        /** Entries that started before this time (epoch ms): the next page. */
        before: z.number().int().nonnegative().optional(),
      })
      .strict(),
    z.array(HistoryEntry),
    'Past calls, newest first',
  ),
  'history.markSeen': request(none, z.object({ missed: z.literal(0) }).strict(), 'The user looked at the missed calls: the counter goes back to zero'),
  'history.remove': request(z.object({ id: CallId }).strict(), z.null(), 'Delete a call from the history'),
  'history.retention': request(
    z.object({ keep: HistoryRetention.optional() }).strict(),
    z.object({ keep: HistoryRetention }).strict(),
    'How many calls the history keeps; with `keep`, change it (older calls go at once)',
  ),
  'history.sipLog': request(
    z.object({ id: CallId }).strict(),
    z.object({ messages: z.array(SipLogEntry).max(200), dropped: z.number().int().nonnegative() }).strict(),
    'The SIP messages kept with a call in the history, for its ladder diagram (at most 200; `dropped` were not kept); none for an unknown id',
  ),

  'preferences.get': request(none, Preferences, 'The app’s preferences: language, ringtone, the desktop’s global shortcuts'),
  'preferences.set': request(
    Preferences.partial().strict(),
    Preferences,
    'Change some preferences (the others are kept); every window is told',
  ),
  'preferences.previewRingtone': request(
    z.object({ ringtone: RingtoneName.optional() }).strict(),
    z.object({ played: z.boolean() }).strict(),
    'Play a ringtone (default: the chosen one) on the ringer for a few seconds; played is false without a sound device',
  ),

  'audio.devices': request(none, AudioDevices, 'Sound devices, the chosen ones and the volumes'),
  'audio.select': request(
    z
      .object({ microphone: AudioDeviceId.nullable().optional(), speaker: AudioDeviceId.nullable().optional(), ringer: AudioDeviceId.nullable().optional() })
      .strict(),
    AudioDevices,
    'Choose the microphone, speaker and ringer (null: the system default)',
  ),
  'audio.volume': request(
    z.object({ microphone: AudioVolume.optional(), speaker: AudioVolume.optional() }).strict(),
    AudioDevices,
    'Set the microphone and speaker volume, 0–200 %',
  ),
  'audio.test': request(
    z.object({ running: z.boolean() }).strict(),
    z.object({ running: z.boolean() }).strict(),
    'Start or stop the audio test: the microphone comes back on the speaker after half a second',
  ),
} as const satisfies { [M in Method]: RequestSpec<z.ZodType, z.ZodType> };

export const events = {
  'account.state': AccountStatus,
  'call.state': CallView,
  'call.incoming': CallView,
  'call.stats': CallStats,
  'call.dtmf': CallDtmf,
  'log.sip': SipLogEntry,
  'audio.devices': AudioDevices,
  'audio.level': AudioLevel,
  'presence.own': OwnPresence,
  'presence.contact': WatchedEntity,
  'voicemail.state': VoicemailState,
  message: MessageView,
  'message.typing': TypingState,
  'history.entry': HistoryEntry,
  'history.missed': z.object({ count: z.number().int().nonnegative() }).strict(),
  'directory.sync': CardDavSyncState,
  preferences: Preferences,
} as const satisfies { [E in EventName]: z.ZodType };

export type Requests = typeof requests;

/** What a caller passes (defaults not yet applied). */
export type ParamsIn<M extends Method> = z.input<Requests[M]['params']>;
/** What the core receives (validated, defaults applied). */
export type Params<M extends Method> = z.output<Requests[M]['params']>;
export type Result<M extends Method> = z.output<Requests[M]['result']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;


/** The core's side of the contract: one handler per method. */
export type Handlers = { [M in Method]: (params: Params<M>) => Promise<Result<M>> };

/** A sink for core → UI events. */
export type EventSink = <E extends EventName>(name: E, payload: EventPayload<E>) => void;
