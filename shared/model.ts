/**
 * The domain objects the UI and the core exchange, each as a runtime schema with its type
 * derived from it. Strings that come from the network (display names, reason phrases, SIP
 * text) are bounded here and are always rendered as text by the UI.
 */
import { isSupportedCountry } from 'libphonenumber-js/min';
import { z } from 'zod';
import { acceleratorKey, isGlobalAccelerator } from './accelerator.js';
import { MAX_PHOTO_URL_LENGTH, photoDataUrlProblem } from './photo.js';

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only');
export const AccountId = id;
export const CallId = id;

/** RFC 3261 §25.1 host: hostname, IPv4 address or bracketed IPv6 reference; optional port. */
const hostPort = z
  .string()
  .min(1)
  .max(255)
  .regex(
    /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/,
    'a host name or IP address, optionally with :port',
  );

/** RFC 3261 §25.1 user part, unescaped: anything printable except whitespace, '@' and ':'. */
const sipUser = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^\s@:<>"]+$/, 'no spaces, "@", ":", "<", ">" or quotes');

const displayName = z.string().max(128);

/** Where a forwarded call goes: a number, user@host, or a sip:/sips:/tel: URI. */
const forwardTarget = z
  .string()
  .trim()
  .min(1)
  .max(512)
  .regex(/^[^\s<>"]+$/, 'a number or SIP address, without spaces, "<", ">" or quotes');

/** A country as ISO 3166-1 alpha-2, one libphonenumber has a numbering plan for. */
export const CountryCode = z
  .string()
  .regex(/^[A-Z]{2}$/, 'a country as two capital letters (ISO 3166-1 alpha-2), e.g. DE')
  .refine((code) => isSupportedCountry(code), 'not a country with a known numbering plan');
export type CountryCode = z.infer<typeof CountryCode>;

/**
 * A dial-plan pattern, Asterisk-style: digits, `*`, `#`, `X` any digit, `Z` 1–9, `N` 2–9, and
 * a final `.` for one or more further digits (`00.` international, `1NXXNXXXXXX` NANP).
 * Compiled by the core, never used as a regular expression as typed.
 */
const dialPattern = z
  .string()
  .min(1)
  .max(32)
  .regex(/^\+?[0-9*#XZN]+\.?$/, 'digits, *, #, X (any digit), Z (1-9), N (2-9) and a final . (more digits)');
const dialDigits = z.string().min(1).max(16).regex(/^[0-9*#]+$/, 'digits, * and # only');

/**
 * An account's dial plan. A dialled number (not a SIP address) longer than `internalMaxDigits`
 * is external: a listed prefix is stripped, it is normalised (E.164 with the account's country)
 * and sent as `format`, the first matching rewrite adds its prefix, then the outside-line
 * digits go first. Incoming numbers lose the outside line and stripped prefixes before they are
 * matched against the contacts.
 */
export const DialPlan = z
  .object({
    /** Digits that reach an outside line on the PBX (e.g. `0` or `9`). */
    outsideLine: z.string().regex(/^[0-9]{1,4}$/, 'one to four digits').optional(),
    /** Numbers of at most this many digits (or with * or #) are extensions: dialled as typed. */
    internalMaxDigits: z.number().int().min(0).max(10).default(5),
    /** Prefixes taken off the front of an external number (the first that matches). */
    stripPrefixes: z.array(z.string().regex(/^\+?[0-9*#]{1,16}$/, 'digits, *, # and a leading +')).max(16).default([]),
    /** How external numbers are sent: `e164` (+4930…) or `national` (030…, other countries with their international prefix). */
    format: z.enum(['e164', 'national']).default('e164'),
    /** Prefixes added to numbers that match a pattern (the first rule that matches). */
    rewrites: z.array(z.object({ match: dialPattern, prefix: dialDigits }).strict()).max(32).default([]),
  })
  .strict()
  .superRefine((plan, ctx) => {
    if (plan.outsideLine !== undefined && plan.format === 'e164') {
      ctx.addIssue({ code: 'custom', path: ['format'], message: 'an outside line needs numbers sent as digits: format "national", not "e164"' });
    }
    if (new Set(plan.stripPrefixes).size !== plan.stripPrefixes.length) {
      ctx.addIssue({ code: 'custom', path: ['stripPrefixes'], message: 'a prefix is listed twice' });
    }
    plan.rewrites.forEach((rule, i) => {
      if (plan.rewrites.slice(0, i).some((earlier) => earlier.match === rule.match)) {
        ctx.addIssue({ code: 'custom', path: ['rewrites', i, 'match'], message: `the pattern ${rule.match} is already matched by an earlier rule` });
      }
    });
  });
export type DialPlan = z.output<typeof DialPlan>;
export type DialPlanInput = z.input<typeof DialPlan>;

/**
 * The voice codecs a user can order and switch off per account, by RTP media subtype name
 * (RFC 7587 opus, RFC 3551 G722/PCMU/PCMA). telephone-event (RFC 4733) and CN (RFC 3389) are not
 * listed: they follow the voice codecs by themselves.
 */
export const AudioCodecName = z.enum(['opus', 'G722', 'PCMU', 'PCMA']);
export type AudioCodecName = z.infer<typeof AudioCodecName>;
/** Our order when an account has none of its own (Opus only where libopus loads). */
export const DEFAULT_CODEC_ORDER: readonly AudioCodecName[] = AudioCodecName.options;

/** An account's codecs, most preferred first: the ones left out are neither offered nor accepted. */
export const CodecOrder = z
  .array(AudioCodecName)
  .min(1, 'enable at least one codec')
  .max(AudioCodecName.options.length)
  .superRefine((names, ctx) => {
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) ctx.addIssue({ code: 'custom', path: [i], message: `${name} is listed twice` });
    });
  });
export type CodecOrder = z.infer<typeof CodecOrder>;

export const Transport = z.enum(['udp', 'tcp', 'tls']);
export type Transport = z.infer<typeof Transport>;

/** The fields a user edits. `password` is write-only: it is never returned. */
export const AccountFields = z
  .object({
    label: z.string().max(64).optional(),
    displayName: displayName.optional(),
    user: sipUser,
    domain: hostPort,
    authUser: sipUser.optional(),
    password: z.string().max(256).optional(),
    transport: Transport.default('udp'),
    /** Outbound proxy as host[:port]; requests go there whatever the Request-URI says. */
    outboundProxy: hostPort.optional(),
    /** Requested registration lifetime in seconds (RFC 3261 §10.2.1.1). */
    registerExpires: z.number().int().min(60).max(86400).default(600),
    /** Register at start and keep the registration fresh. */
    register: z.boolean().default(true),
    /**
     * Take calls only from the account's proxy (the outbound proxy, else the domain's servers):
     * INVITEs straight from elsewhere — SIP scanners' "ghost calls" — are refused.
     */
    callsFromProxyOnly: z.boolean().default(false),
    /** While a call is in progress, answer another incoming call 486 Busy Here instead of ringing. */
    busyWhenInCall: z.boolean().default(false),
    /**
     * SRTP with SDES keys (RFC 3711, RFC 4568): `off` plain RTP; `optional` offers keys on
     * RTP/AVP and encrypts when the peer agrees; `required` offers RTP/SAVP only and never
     * sends plain RTP.
     */
    srtp: z.enum(['off', 'optional', 'required']).default('optional'),
    /** DTMF as RFC 4733 telephone-events (default), or SIP INFO application/dtmf-relay. */
    dtmfMode: z.enum(['rfc4733', 'info']).default('rfc4733'),
    /** Do Not Disturb: every incoming call is refused with `dndCode` and never rings. */
    dnd: z.boolean().default(false),
    /** 486 Busy Here (the caller may try elsewhere, voicemail) or 603 Decline. */
    dndCode: z.union([z.literal(486), z.literal(603)]).default(486),
    /** Call forwarding (answered 302 with the target as Contact): every call... */
    forwardAlways: forwardTarget.optional(),
    /** ...calls that find us busy (in a call with busy-when-in-call on, or refused as busy)... */
    forwardBusy: forwardTarget.optional(),
    /** ...and calls not answered within `forwardNoAnswerSeconds`. */
    forwardNoAnswer: forwardTarget.optional(),
    forwardNoAnswerSeconds: z.number().int().min(5).max(120).default(20),
    /**
     * Answer by itself: `all` calls, or only `intercom` calls (paging: Call-Info answer-after,
     * or Alert-Info auto-answer / intercom), after `autoAnswerDelaySeconds`.
     */
    autoAnswer: z.enum(['off', 'all', 'intercom']).default('off'),
    autoAnswerDelaySeconds: z.number().int().min(0).max(60).default(0),
    /** What to do when the peer asks us to call someone else (RFC 3515 REFER). */
    transferPolicy: z.enum(['accept', 'ask', 'refuse']).default('accept'),
    /** Play music to the peer while we hold a call (instead of silence). */
    musicOnHold: z.boolean().default(false),
    /** Publish our presence through this account (RFC 3903 PUBLISH; skipped where unsupported). */
    publishPresence: z.boolean().default(true),
    /** Watch our mailbox (RFC 3842 message-summary). */
    messageWaiting: z.boolean().default(true),
    /** The number or URI that reaches voicemail (the one-touch voicemail call). */
    voicemail: forwardTarget.optional(),
    /** The voice codecs to offer and accept, in order of preference; absent: all, in our order. */
    codecs: CodecOrder.optional(),
    /** Directed call pickup code, dialled before the extension (e.g. `*8` or `**`). */
    pickupCode: z.string().max(16).regex(/^[0-9*#]*$/, 'digits, * and # only').optional(),
    enabled: z.boolean().default(true),
    /** Where numbers without a country code are (ISO 3166 alpha-2, e.g. `DE`): they are read and dialled as E.164. */
    defaultCountry: CountryCode.optional(),
    /** How dialled numbers are rewritten for this account's server, and incoming ones read back. */
    dialPlan: DialPlan.optional(),
  })
  .strict();
export type AccountFields = z.output<typeof AccountFields>;

const clearable = <T extends z.ZodType>(schema: T) => schema.nullable();

type WithoutDefault<T extends z.ZodType> = T extends z.ZodDefault<infer Inner> ? Inner : T;
/**
 * A shape with every field optional and without its default: in a change, a field left out must
 * stay as stored. (zod's `partial()` keeps the defaults, so it would put every field not named
 * back to its default — a DND switch would reset the transport to UDP.)
 */
function changesOf<S extends Record<string, z.ZodType>>(shape: S): { [K in keyof S]: z.ZodOptional<WithoutDefault<S[K]>> } {
  return Object.fromEntries(Object.entries(shape).map(([key, schema]) => [key, z.optional(schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : schema)])) as {
    [K in keyof S]: z.ZodOptional<WithoutDefault<S[K]>>;
  };
}

/**
 * Changes to an account (`accounts.update`): the fields given replace the stored ones, the
 * others are kept; an optional field set to `null` is removed (no forwarding target, no
 * outbound proxy, no stored password...).
 */
export const AccountChanges = z
  .object(changesOf(AccountFields.shape))
  .extend({
    label: clearable(AccountFields.shape.label),
    displayName: clearable(AccountFields.shape.displayName),
    authUser: clearable(AccountFields.shape.authUser),
    password: clearable(AccountFields.shape.password),
    outboundProxy: clearable(AccountFields.shape.outboundProxy),
    forwardAlways: clearable(AccountFields.shape.forwardAlways),
    forwardBusy: clearable(AccountFields.shape.forwardBusy),
    forwardNoAnswer: clearable(AccountFields.shape.forwardNoAnswer),
    voicemail: clearable(AccountFields.shape.voicemail),
    pickupCode: clearable(AccountFields.shape.pickupCode),
    defaultCountry: clearable(AccountFields.shape.defaultCountry),
    dialPlan: clearable(AccountFields.shape.dialPlan),
    codecs: clearable(AccountFields.shape.codecs),
  })
  .strict();
export type AccountChanges = z.input<typeof AccountChanges>;
export type AccountFieldsInput = z.input<typeof AccountFields>;

/**
 * ```
 *  unregistered ──register──▶ registering ──2xx──▶ registered
 *        ▲                        │   ▲                 │
 *        │                     failure│ refresh/retry    │ unregister
 *        │                        ▼   │                 ▼
 *        └──────────────────── failed ◀──────────── unregistering
 * ```
 */
export const RegistrationState = z.enum([
  'unregistered',
  'registering',
  'registered',
  'unregistering',
  'failed',
]);
export type RegistrationState = z.infer<typeof RegistrationState>;

export const AccountStatus = z
  .object({
    accountId: AccountId,
    state: RegistrationState,
    /** SIP status code of the last final response, when one explains the state. */
    code: z.number().int().min(100).max(699).optional(),
    reason: z.string().max(256).optional(),
    /** When the current registration expires (epoch ms). */
    expiresAt: z.number().int().nonnegative().optional(),
  })
  .strict();
export type AccountStatus = z.infer<typeof AccountStatus>;

export const AccountView = AccountFields.omit({ password: true })
  .extend({
    id: AccountId,
    /** Whether a password is kept for this account (in the host's secret store). */
    hasPassword: z.boolean(),
    status: AccountStatus,
  })
  .strict();
export type AccountView = z.infer<typeof AccountView>;

export const Party = z
  .object({
    uri: z.string().max(1024),
    displayName: displayName.optional(),
  })
  .strict();
export type Party = z.infer<typeof Party>;

/**
 * ```
 *  outgoing: calling ─▶ ringing/early ─▶ connecting ─▶ established ─▶ terminating ─▶ terminated
 *  incoming: incoming ─────────────────▶ connecting ─▶ established ─▶ terminating ─▶ terminated
 * ```
 * Any state can go straight to `terminated` (rejected, cancelled, failed).
 */
export const CallState = z.enum([
  'calling',
  'incoming',
  'ringing',
  'early',
  'connecting',
  'established',
  'terminating',
  'terminated',
]);
export type CallState = z.infer<typeof CallState>;

export const CallEnd = z
  .object({
    by: z.enum(['local', 'remote', 'error']),
    code: z.number().int().min(100).max(699).optional(),
    reason: z.string().max(256),
  })
  .strict();

export const CallTransfer = z
  .object({
    kind: z.enum(['blind', 'attended']),
    target: z.string().max(1024),
    state: z.enum(['trying', 'ringing', 'succeeded', 'failed']),
    code: z.number().int().min(100).max(699).optional(),
    reason: z.string().max(256).optional(),
  })
  .strict();
export type CallTransfer = z.infer<typeof CallTransfer>;

export const CallView = z
  .object({
    id: CallId,
    accountId: AccountId,
    direction: z.enum(['outgoing', 'incoming']),
    state: CallState,
    remote: Party,
    codec: z.string().max(64).optional(),
    startedAt: z.number().int().nonnegative(),
    answeredAt: z.number().int().nonnegative().optional(),
    endedAt: z.number().int().nonnegative().optional(),
    end: CallEnd.optional(),
    /** Our microphone is muted in this call (the peer hears silence). */
    muted: z.boolean().optional(),
    /** We hold the call (RFC 6337: our stream sendonly or inactive). */
    held: z.boolean().optional(),
    /** The peer holds us. */
    remoteHeld: z.boolean().optional(),
    /**
     * The network changed and the call is being carried over (a re-INVITE with our new Contact
     * and media address, RFC 3261 §14) until the peer took it or it failed.
     */
    reconnecting: z.boolean().optional(),
    /** Another call is in progress while this one rings: call waiting. */
    waiting: z.boolean().optional(),
    /** The call is answered by itself at this time (epoch ms): auto-answer or intercom. */
    autoAnswerAt: z.number().int().nonnegative().optional(),
    /** The call is part of our local conference (mixed by our media engine). */
    conference: z.boolean().optional(),
    /** The call's audio is being recorded to a WAV file. */
    recording: z.boolean().optional(),
    /** A transfer of this call we asked for (REFER) and how it goes. */
    transfer: CallTransfer.optional(),
    /** The peer asks us to call `target` instead (REFER), waiting for the user's answer. */
    transferRequest: z.object({ target: z.string().max(1024), referredBy: z.string().max(1024).optional() }).strict().optional(),
    /** The peer asked for a transfer we refused (a malformed or unsupported target, or the policy). */
    transferRefused: z.object({ code: z.number().int().min(300).max(699), reason: z.string().max(256) }).strict().optional(),
    /** The contact the remote party matched (caller identification). */
    contact: z.object({ id: z.string().min(1).max(64), name: z.string().max(128) }).strict().optional(),
    /** This call was made because the peer of `transferredFrom` transferred us. */
    transferredFrom: CallId.optional(),
  })
  .strict();
export type CallView = z.infer<typeof CallView>;

/** A call's media quality, published every few seconds from RTCP and the jitter buffer. */
export const CallStats = z
  .object({
    callId: CallId,
    at: z.number().int().nonnegative(),
    codec: z.string().max(64),
    srtp: z.boolean(),
    packetsSent: z.number().int().nonnegative(),
    packetsReceived: z.number().int().nonnegative(),
    /** Packets lost in the direction we receive, as a percentage of those expected (RFC 3550 §6.4.1). */
    lossPercent: z.number().min(0).max(100),
    /** Interarrival jitter (RFC 3550 §6.4.1), in ms. */
    jitterMs: z.number().nonnegative(),
    /** Round-trip time from RTCP (RFC 3550 §6.4.1), when known. */
    rttMs: z.number().nonnegative().optional(),
    /** Estimated MOS (ITU-T G.107 E-model), 1–4.5. */
    mos: z.number().min(1).max(5),
    /** Current playout delay of the jitter buffer, ms. */
    jitterBufferMs: z.number().nonnegative(),
  })
  .strict();
export type CallStats = z.infer<typeof CallStats>;

/** A DTMF digit received in a call (RFC 4733 or SIP INFO). */
export const CallDtmf = z
  .object({ callId: CallId, digit: z.string().regex(/^[0-9*#A-D]$/) })
  .strict();
export type CallDtmf = z.infer<typeof CallDtmf>;

export const HostKind = z.enum(['electron', 'web', 'cli']);
export type HostKind = z.infer<typeof HostKind>;

export const AppInfo = z
  .object({
    name: z.string(),
    version: z.string(),
    host: HostKind,
    platform: z.string(),
    arch: z.string(),
    versions: z.record(z.string(), z.string()),
  })
  .strict();
export type AppInfo = z.infer<typeof AppInfo>;

/** One SIP message as it crossed the wire, for the message log. Credentials are redacted. */
export const SipLogEntry = z
  .object({
    seq: z.number().int().nonnegative(),
    at: z.number().int().nonnegative(),
    direction: z.enum(['in', 'out']),
    transport: z.enum(['udp', 'tcp', 'tls', 'ws', 'wss']),
    local: z.string().max(64),
    remote: z.string().max(64),
    accountId: AccountId.optional(),
    callId: z.string().max(256).optional(),
    firstLine: z.string().max(1024),
    text: z.string().max(65536),
    /** Why the message was refused, for malformed input. */
    error: z.string().max(256).optional(),
  })
  .strict();
export type SipLogEntry = z.infer<typeof SipLogEntry>;

/** Where the phone listens for SIP (RFC 3261 §18): transport, local address and port (0 = any free). */
export const ListenPoint = z
  .object({
    transport: z.enum(['udp', 'tcp']),
    address: z.union([z.ipv4(), z.ipv6()]),
    port: z.number().int().min(0).max(65535).default(0),
  })
  .strict();
export type ListenPoint = z.output<typeof ListenPoint>;

/** The `--config FILE` format: accounts and settings to load at start. */
export const ConfigFile = z
  .object({
    accounts: z.array(AccountFields.extend({ id: AccountId.optional() }).strict()).max(32).default([]),
    sip: z.object({ listen: z.array(ListenPoint).max(8).default([]) }).strict().default({ listen: [] }),
    /** RTP ports (RFC 3550 §11: RTP even, RTCP odd next to it), e.g. to match a firewall rule. */
    media: z
      .object({
        rtpPortMin: z.number().int().min(1024).max(65534).default(16384),
        rtpPortMax: z.number().int().min(1025).max(65535).default(32766),
      })
      .strict()
      .refine((m) => m.rtpPortMax - m.rtpPortMin >= 16, { message: 'the RTP port range needs at least 16 ports', path: ['rtpPortMax'] })
      .default({ rtpPortMin: 16384, rtpPortMax: 32766 }),
  })
  .strict();
export type ConfigFile = z.output<typeof ConfigFile>;
export type ConfigFileInput = z.input<typeof ConfigFile>;

/** A sound device's stable id, as the driver names it (`ALSA:USB Headset:0`). */
export const AudioDeviceId = z.string().min(1).max(512);

/** A volume in percent of the signal as it is: 100 leaves it alone, 50 is −6 dB, 200 is +6 dB. */
export const AudioVolume = z.number().int().min(0, 'at least 0 %').max(200, 'at most 200 %');

export const AudioDeviceView = z
  .object({
    id: AudioDeviceId,
    name: z.string().max(256),
    hostApi: z.string().max(64),
    /** The system's default device of its kind. */
    isDefault: z.boolean(),
  })
  .strict();
export type AudioDeviceView = z.infer<typeof AudioDeviceView>;

export const AudioRole = z.enum(['microphone', 'speaker', 'ringer']);
export type AudioRole = z.infer<typeof AudioRole>;

/** Which device plays each role; a missing one is the system default. */
export const AudioSelection = z
  .object({ microphone: AudioDeviceId.optional(), speaker: AudioDeviceId.optional(), ringer: AudioDeviceId.optional() })
  .strict();
export type AudioSelection = z.infer<typeof AudioSelection>;

/** A chosen device that is not there now: the system default stands in, the choice is kept. */
export const AudioFallback = z
  .object({ role: AudioRole, deviceId: AudioDeviceId, note: z.string().max(600) })
  .strict();
export type AudioFallback = z.infer<typeof AudioFallback>;

/** The user's audio choices and the devices there are (`audio.devices`, and its event). */
export const AudioDevices = z
  .object({
    /** False when the sound system could not be asked (no PortAudio, no sound server). */
    available: z.boolean(),
    inputs: z.array(AudioDeviceView).max(256),
    outputs: z.array(AudioDeviceView).max(256),
    /** What the user chose (kept while a device is unplugged). */
    selection: AudioSelection,
    /** What calls use now: the selection, less the devices that are gone. */
    inUse: AudioSelection,
    fallback: z.array(AudioFallback).max(3),
    volume: z.object({ microphone: AudioVolume, speaker: AudioVolume }).strict(),
    /** The audio test call is running. */
    testRunning: z.boolean(),
  })
  .strict();
export type AudioDevices = z.infer<typeof AudioDevices>;

/** Level of the silence floor in dBFS: quieter frames read this. */
export const SILENCE_DBFS = -100;

/** Microphone (after its volume, as sent) and speaker levels, RMS in dBFS, ~10 times a second. */
export const AudioLevel = z
  .object({
    input: z.number().min(SILENCE_DBFS).max(0),
    output: z.number().min(SILENCE_DBFS).max(0),
  })
  .strict();
export type AudioLevel = z.infer<typeof AudioLevel>;

/** What a contact shows (RFC 3863 basic status with RFC 4480 activities, and registration). */
export const PresenceStatus = z.enum(['available', 'away', 'busy', 'on-the-phone', 'dnd', 'offline', 'unknown']);
export type PresenceStatus = z.infer<typeof PresenceStatus>;

/** Busy lamp (RFC 4235 dialog package): the line of an extension. */
export const LineState = z.enum(['idle', 'ringing', 'in-call', 'unknown']);
export type LineState = z.infer<typeof LineState>;

/** Our own presence: what the user set, and what is published (calls and DND override it). */
export const OwnPresence = z
  .object({
    /** The user's choice. */
    status: z.enum(['available', 'away', 'busy', 'dnd', 'offline']),
    note: z.string().max(256).optional(),
    /** What others see now: on-the-phone during calls, dnd when an account has DND on. */
    effective: PresenceStatus,
  })
  .strict();
export type OwnPresence = z.infer<typeof OwnPresence>;

/** A contact or extension we watch: its presence and/or busy lamp. */
export const WatchedEntity = z
  .object({
    uri: z.string().max(1024),
    displayName: displayName.optional(),
    presence: z.boolean(),
    blf: z.boolean(),
    status: PresenceStatus,
    /** Free text from the contact's presence document (render as text). */
    note: z.string().max(256).optional(),
    line: LineState,
    /** Its ringing call can be picked up (dialog-info names one, or a pickup code is set). */
    pickup: z.boolean().optional(),
  })
  .strict();
export type WatchedEntity = z.infer<typeof WatchedEntity>;

/** Message waiting (RFC 3842) for an account. */
export const VoicemailState = z
  .object({
    accountId: AccountId,
    waiting: z.boolean(),
    newMessages: z.number().int().nonnegative(),
    oldMessages: z.number().int().nonnegative(),
    urgentNew: z.number().int().nonnegative().optional(),
  })
  .strict();
export type VoicemailState = z.infer<typeof VoicemailState>;

/** One instant message (RFC 3428) of a conversation. */
export const MessageView = z
  .object({
    id: z.string().min(1).max(64),
    accountId: AccountId,
    /** The other side of the conversation (its AOR). */
    peer: z.string().max(1024),
    peerName: displayName.optional(),
    direction: z.enum(['incoming', 'outgoing']),
    /** UTF-8 text from the network: render as text. */
    text: z.string().max(16384),
    at: z.number().int().nonnegative(),
    /** sending → sent (accepted, 202) or delivered (200) or failed (with code and reason). */
    state: z.enum(['sending', 'sent', 'delivered', 'failed', 'received']),
    code: z.number().int().min(100).max(699).optional(),
    reason: z.string().max(256).optional(),
  })
  .strict();
export type MessageView = z.infer<typeof MessageView>;

/** The peer is typing, or stopped (RFC 3994). */
export const TypingState = z
  .object({ accountId: AccountId, peer: z.string().max(1024), active: z.boolean() })
  .strict();
export type TypingState = z.infer<typeof TypingState>;

/** A way to reach a contact: a SIP address or a phone number, with the user's label. */
export const ContactAddress = z
  .object({
    kind: z.enum(['sip', 'phone']),
    label: z.string().max(32).optional(),
    value: z.string().trim().min(1).max(256),
  })
  .strict();
export type ContactAddress = z.infer<typeof ContactAddress>;

/** A contact's photo as a data: URL: PNG, JPEG, GIF or WebP by its magic number, at most 256 KB (shared/photo.ts). */
export const ContactPhoto = z
  .string()
  .max(MAX_PHOTO_URL_LENGTH, 'the photo is over 256 KB')
  .superRefine((url, ctx) => {
    const problem = photoDataUrlProblem(url);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });

export const ContactFields = z
  .object({
    name: z.string().trim().min(1, 'a contact needs a name').max(128),
    organisation: z.string().max(128).optional(),
    addresses: z.array(ContactAddress).max(20).default([]),
    favourite: z.boolean().default(false),
    /** Watch this contact's presence (RFC 3856) / busy lamp (RFC 4235). */
    presence: z.boolean().default(false),
    blf: z.boolean().default(false),
    notes: z.string().max(4096).optional(),
    photo: ContactPhoto.optional(),
    /**
     * Kept in step with the CardDAV address book, both ways: edits here are written back at the
     * next sync. No href yet: made here, to be created in the address book at the next sync.
     */
    source: z.object({ kind: z.literal('carddav'), href: z.string().url().max(2048).optional() }).strict().optional(),
  })
  .strict();
export type ContactFields = z.output<typeof ContactFields>;
export type ContactFieldsInput = z.input<typeof ContactFields>;

/**
 * Some fields of a contact to change (`contacts.update`): a field left out is kept — so no
 * defaults here (a partial schema would still fill `favourite: false`…) — and a `photo` of null
 * is removed.
 */
export const ContactChanges = z
  .object({
    ...ContactFields.shape,
    addresses: ContactFields.shape.addresses.unwrap(),
    favourite: ContactFields.shape.favourite.unwrap(),
    presence: ContactFields.shape.presence.unwrap(),
    blf: ContactFields.shape.blf.unwrap(),
    photo: ContactPhoto.nullable(),
  })
  .partial()
  .strict();
export type ContactChanges = z.input<typeof ContactChanges>;

export const ContactId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
/**
 * A stored contact. `photo` is what add/update are given; a contact read carries instead the
 * `photoTag` of its photo (a hash of the bytes) and the bytes come from `contacts.photo` — a page
 * of contacts is not every photo in it.
 */
export const Contact = ContactFields.extend({ id: ContactId, photoTag: z.string().regex(/^[0-9a-f]{16}$/).optional() }).strict();
export type Contact = z.infer<typeof Contact>;

/** How a call ended, for the history. */
export const CallOutcome = z.enum(['answered', 'missed', 'rejected', 'busy', 'cancelled', 'failed', 'transferred']);
export type CallOutcome = z.infer<typeof CallOutcome>;

/** How many calls the history keeps (the oldest beyond go). */
export const HistoryRetention = z.number().int().min(100, 'keep at least 100 calls').max(1_000_000, 'at most 1,000,000 calls');

/** The UI's language: the system's (the browser's or desktop's locale), or one chosen. */
export const Language = z.enum(['system', 'en', 'de']);
export type Language = z.infer<typeof Language>;

/** The app's own preferences (`preferences.get` / `preferences.set`), kept with the settings. */
/**
 * The ring of an incoming call: a built-in generated ringtone (assets/ringtones, made by
 * render-ringtones.ts) or `tone`, a plain telephone ring cadence. Alert-Info may still choose
 * another for one call (distinctive ring).
 */
export const RingtoneName = z.enum(['classic', 'chime', 'internal', 'tone']);
export type RingtoneName = z.infer<typeof RingtoneName>;

/** A system-wide shortcut (Electron accelerator grammar, see shared/accelerator.ts). */
export const Accelerator = z
  .string()
  .max(64, 'at most 64 characters')
  .refine(
    isGlobalAccelerator,
    'not a usable shortcut: modifiers (CommandOrControl, Control, Alt, Shift, Super) joined by + before one key, e.g. CommandOrControl+Alt+Shift+A; a key alone only F13–F24 or a media key',
  );

/** The desktop app's global shortcuts; null: none for that action. */
export const Shortcuts = z
  .object({ answer: Accelerator.nullable(), hangup: Accelerator.nullable(), mute: Accelerator.nullable() })
  .strict()
  .superRefine((shortcuts, ctx) => {
    const actions = ['answer', 'hangup', 'mute'] as const;
    actions.forEach((action, i) => {
      const mine = shortcuts[action];
      const earlier = actions.slice(0, i).find((other) => {
        const theirs = shortcuts[other];
        return mine !== null && theirs !== null && acceleratorKey(theirs) === acceleratorKey(mine);
      });
      if (earlier !== undefined) ctx.addIssue({ code: 'custom', path: [action], message: `${mine ?? ''} is already the shortcut to ${earlier === 'hangup' ? 'hang up' : earlier}` });
    });
  });
export type Shortcuts = z.infer<typeof Shortcuts>;
export const DEFAULT_SHORTCUTS: Shortcuts = { answer: 'CommandOrControl+Alt+Shift+A', hangup: 'CommandOrControl+Alt+Shift+H', mute: 'CommandOrControl+Alt+Shift+M' };

export const Preferences = z
  .object({
    language: Language,
    ringtone: RingtoneName,
    /** Used by the desktop app (registered system-wide); kept, unused, by the other hosts. */
    shortcuts: Shortcuts,
  })
  .strict();
export type Preferences = z.infer<typeof Preferences>;

export const HistoryEntry = z
  .object({
    id: CallId,
    accountId: AccountId,
    direction: z.enum(['incoming', 'outgoing']),
    remote: Party,
    /** The contact the remote party matched, when one did. */
    contact: z.object({ id: ContactId, name: z.string().max(128) }).strict().optional(),
    startedAt: z.number().int().nonnegative(),
    answeredAt: z.number().int().nonnegative().optional(),
    endedAt: z.number().int().nonnegative(),
    durationSeconds: z.number().int().nonnegative(),
    outcome: CallOutcome,
    code: z.number().int().min(100).max(699).optional(),
    reason: z.string().max(256).optional(),
    codec: z.string().max(64).optional(),
    mos: z.number().min(1).max(5).optional(),
    lossPercent: z.number().min(0).max(100).optional(),
    /** Transferred by us to, or by the peer from. */
    transfer: z.object({ to: z.string().max(1024).optional(), from: CallId.optional() }).strict().optional(),
    /** A missed call the user has not looked at yet. */
    unseen: z.boolean().optional(),
  })
  .strict();
export type HistoryEntry = z.infer<typeof HistoryEntry>;

/** The sync intervals offered, in minutes (0: off). */
export const CARDDAV_SYNC_INTERVALS = [0, 5, 15, 60] as const;

/** A CardDAV address book (RFC 6352) synchronised into the contacts; the password goes to the SecretStore. */
export const CardDavSettings = z
  .object({
    /** Where discovery starts (RFC 6764 well-known, then the principal's addressbook-home-set). */
    serverUrl: z.string().url().max(1024).regex(/^https?:\/\//i, 'an http:// or https:// URL'),
    username: z.string().min(1).max(256),
    /** One address book's URL; absent: the first one discovery finds. */
    addressBookUrl: z.string().url().max(2048).optional(),
    /** Sync at start and then every so many minutes; 0 or absent: only when asked (edits are still sent soon after). */
    syncIntervalMinutes: z
      .number()
      .int()
      .refine((minutes) => (CARDDAV_SYNC_INTERVALS as readonly number[]).includes(minutes), 'off (0), 5, 15 or 60 minutes')
      .optional(),
  })
  .strict();
export type CardDavSettings = z.infer<typeof CardDavSettings>;

/**
 * What one synchronisation did. Conflicts are contacts changed here and on the server since the
 * last sync; the server wins and nothing of ours is lost:
 * - server-updated: edited on both sides; the address book's copy is the synced contact, ours is
 *   kept as a separate contact (`keptAs`) that stays here only;
 * - server-removed: edited here, deleted on the server; ours stays here as a contact of this
 *   phone only (`keptAs`, the same contact);
 * - server-restored: deleted here, changed on the server; the server's copy comes back.
 */
export const CardDavSyncResult = z
  .object({
    at: z.number().int().nonnegative(),
    /** full: every card was read; incremental: only changes since the last sync-token (RFC 6578) or an unchanged CTag. */
    mode: z.enum(['full', 'incremental']),
    added: z.number().int().nonnegative(),
    updated: z.number().int().nonnegative(),
    removed: z.number().int().nonnegative(),
    /** vCards that could not be read as a contact (no name, bad syntax). */
    skipped: z.number().int().nonnegative(),
    /** Local changes written to the server (created, updated, deleted cards). */
    sent: z.number().int().nonnegative().optional(),
    /** Local changes the server refused (a read-only book, a card too big…): kept here, tried again at the next sync. */
    refused: z.array(z.object({ contactId: z.string().max(64), name: z.string().max(128), status: z.number().int().min(100).max(599) }).strict()).max(1000).optional(),
    conflicts: z
      .array(
        z
          .object({
            contactId: z.string().max(64),
            name: z.string().max(128),
            resolution: z.enum(['server-updated', 'server-removed', 'server-restored']),
            keptAs: z.string().max(64).optional(),
          })
          .strict(),
      )
      .max(1000),
  })
  .strict();
export type CardDavSyncResult = z.infer<typeof CardDavSyncResult>;

export const CardDavView = CardDavSettings.extend({
  hasPassword: z.boolean(),
  /** The address book in use once a sync has found it. */
  syncedAddressBookUrl: z.string().max(2048).optional(),
  lastSync: CardDavSyncResult.optional(),
  /** The last sync failed (after lastSync, if any): when and why. */
  lastFailure: z.object({ at: z.number().int().nonnegative(), error: z.string().max(500) }).strict().optional(),
  /** When the next scheduled sync is due. */
  nextSyncAt: z.number().int().nonnegative().optional(),
  /** Contacts here that came from the address book (what removing it takes away). */
  syncedContacts: z.number().int().nonnegative(),
}).strict();
export type CardDavView = z.infer<typeof CardDavView>;

/** Announced as a sync starts and ends. */
export const CardDavSyncState = z
  .object({ state: z.enum(['syncing', 'synced', 'failed']), result: CardDavSyncResult.optional(), error: z.string().max(500).optional() })
  .strict();
export type CardDavSyncState = z.infer<typeof CardDavSyncState>;

/** An LDAP directory (RFC 4511) searched live; the bind password goes to the SecretStore. */
export const LdapSettings = z
  .object({
    url: z.string().max(1024).regex(/^ldaps?:\/\/[^/\s]+\/?$/i, 'ldap://host[:port] or ldaps://host[:port]'),
    /** Absent: an anonymous bind. */
    bindDn: z.string().min(1).max(1024).optional(),
    baseDn: z.string().min(1).max(1024),
    /** An RFC 4515 filter; every {query} is replaced by the search text, escaped. */
    filter: z
      .string()
      .max(1024)
      .regex(/^\(.*\)$/s, 'an LDAP filter in parentheses')
      .refine((filter) => filter.includes('{query}'), 'the filter needs a {query} placeholder')
      .default('(|(cn=*{query}*)(telephoneNumber=*{query}*)(mobile=*{query}*)(mail=*{query}*))'),
    /** Entries asked for per search (the server may allow fewer). */
    sizeLimit: z.number().int().min(1).max(500).default(50),
    timeLimitSeconds: z.number().int().min(1).max(60).default(5),
    /** Upgrade an ldap:// connection with StartTLS (RFC 4511 §4.14) before binding; ldaps:// is TLS from the start. */
    startTls: z.boolean().default(false),
    /** The CA (PEM) the server's certificate must chain to; absent: the system's CAs. Never skipped. */
    caCertificate: z.string().trim().min(1).max(65_536).optional(),
  })
  .strict();
export type LdapSettings = z.output<typeof LdapSettings>;
export type LdapSettingsInput = z.input<typeof LdapSettings>;

export const LdapView = LdapSettings.extend({ hasPassword: z.boolean() }).strict();
export type LdapView = z.infer<typeof LdapView>;

/** A directory entry as a contact-like result (not stored). */
export const DirectoryEntry = z
  .object({
    dn: z.string().max(2048),
    name: z.string().max(128),
    organisation: z.string().max(128).optional(),
    addresses: z.array(ContactAddress).max(20),
    email: z.string().max(256).optional(),
  })
  .strict();
export type DirectoryEntry = z.infer<typeof DirectoryEntry>;
