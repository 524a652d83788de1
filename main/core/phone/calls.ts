/**
 * The user's calls: one user agent core per account (its Contact, From, credentials and route
 * set), the contract's `calls.*` requests, and `call.state` / `call.incoming` events. Also the
 * router of what the endpoint receives: a message goes to the core whose session it belongs
 * to, a new request to the account its Request-URI names.
 */
import { randomBytes } from 'node:crypto';
import { PhoneError } from '../../../shared/errors.js';
import type { AccountStatus, CallState, CallStats, CallView } from '../../../shared/model.js';
import type { EventHub } from '../events.js';
import type { Logger } from '../log.js';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { AudioDriver } from '../audio/index.js';
import { AudioBridge, LoopedPcmSource, type BridgeAudioHooks, type BridgeRecording } from '../audio/bridge/index.js';
import { holdMusic } from '../audio/tones/hold-music.js';
import { createVoiceProcessor, type VoiceProcessorOptions } from '../audio/processing/index.js';
import { codecDescriptions, hasVoiceCodec } from '../media/codecs/index.js';
import { DTMF_RELAY_CONTENT_TYPE, formatDtmfRelay, parseDtmfRelay } from '../media/dtmf/index.js';
import { allocateRtpPort, type RtpPort, type RtpPortRange } from '../media/rtp-port.js';
import { SessionDescriptionState, type NegotiatedAudio } from '../media/sdp/index.js';
import { answerSdesCrypto, formatSdesCrypto, generateSdesCrypto, type SdesCrypto } from '../media/srtp/index.js';
import { MediaStream, type MediaStreamStatistics } from '../media/stream/index.js';
import { DigestClient } from '../sip/auth/index.js';
import { createResponse } from '../sip/messages/create-response.js';
import type { SipRequest, SipResponse } from '../sip/messages/index.js';
import type { ServerTransaction } from '../sip/transactions/index.js';
import { isSipUri, parseUri } from '../sip/uri/index.js';
import {
  ALLOWED_METHODS,
  attendedReferTo,
  type IncomingRefer,
  type ReferProgress,
  SessionState,
  UserAgentCore,
  type InviteClientSession,
  type InviteServerSession,
  type InviteSession,
  type TargetRefreshOutcome,
  type TerminationInfo,
} from '../sip/user-agent/index.js';
import type { StoredAccount } from '../store/accounts-store.js';
import { passwordKey, type SecretStore } from '../store/secret-store.js';
import type { Accounts } from './accounts.js';
import type { DeviceChoice } from './audio-devices.js';
import { dialTarget } from './dial-target.js';
import { CallRecovery } from './call-recovery.js';
import type { Registrations } from './registrations.js';
import type { CallSounds, Sound } from './call-sounds.js';
import type { Signalling, UserAgentRole } from './signalling.js';

/** The audio devices calls use: a driver and the chosen microphone and speaker. */
export interface CallAudio {
  readonly driver: AudioDriver;
  readonly inputDevice?: string;
  readonly outputDevice?: string;
  /** Seconds without RTP before a call is ended (0: never); default 30. */
  readonly rtpTimeoutSeconds?: number;
  /** How often `call.stats` is published; default 5 s. */
  readonly statsIntervalSeconds?: number;
  /**
   * Voice processing on the microphone: echo cancellation against what the speaker plays,
   * noise suppression, gain control. Default none (WAV and null drivers need none); the
   * desktop hosts turn it on for real devices.
   */
  readonly voice?: Omit<VoiceProcessorOptions, 'sampleRate'>;
  /** Ports for RTP (even) and RTCP (odd); default 16384–32766. */
  readonly rtpPorts?: RtpPortRange;
  /** The rate the devices open at and calls are mixed at; default 48 kHz. */
  readonly deviceSampleRate?: number;
  /** Where `calls.record` writes its WAV files; without it, recording is refused. */
  readonly recordingsDir?: string;
}

/** The hold music player on the bridge. */
const MUSIC_PORT = 'music-on-hold';

interface Call {
  view: CallView;
  readonly account: StoredAccount;
  readonly session: InviteSession;
  /** The RTP port our description names (moved by a network change). */
  rtp: RtpPort;
  /** Our side of the offer/answer, once we offered or answered. */
  sdp?: SessionDescriptionState;
  /** A port offered by a target refresh, taken once an exchange naming it completes. */
  moving?: RtpPort;
  /** A target refresh after a network change is on the wire (or failed): a 408/481 ending the call is reported as lost in the change. */
  refreshing: boolean;
  /** Our SDES keys, offered or answered (RFC 4568); empty without SRTP. */
  readonly keys: SdesCrypto[];
  stream?: MediaStream;
  /** Our microphone is muted (kept until the media starts). */
  muted: boolean;
  /** Ringback or ring being played for this call, stopped when media starts or the call ends. */
  sound?: Promise<Sound | undefined>;
  /** The call's port on the audio bridge, once its media started. */
  bridged: boolean;
  recording?: BridgeRecording;
  /** We hold the call (our offer sendonly/inactive, RFC 6337). */
  held: boolean;
  /** The call is in our local conference. */
  conference: boolean;
  /** Why we ended it ourselves when it was not the user (no RTP): shown instead of "ended". */
  endReason?: string;
  /** Calls this one joins in a conference once answered (`calls.dial` with `conference`). */
  joinConference?: Call[];
  /** While it rings: forwarding on no answer, auto-answer. */
  readonly timers: ReturnType<typeof setTimeout>[];
  /** The peer's REFER waiting for the user's answer (transfer policy `ask`). */
  refer?: IncomingRefer;
  /** This call was made for a REFER: its progress goes back by NOTIFY (RFC 3515 §2.4.4). */
  referredBy?: { readonly call: Call; readonly refer: IncomingRefer };
  /** The call an INVITE with Replaces takes the place of (RFC 3891): ended once this one is up. */
  replaces?: Call;
  /** A transfer of ours in progress: the REFER's id, the consultation call, a guard timer. */
  transferring?: { id: string; readonly consult?: Call; guard?: ReturnType<typeof setTimeout> };
}

/** Internal options of a call we place. */
interface DialOptions {
  readonly headers?: readonly (readonly [string, string])[];
  /** The REFER this call follows, and the call it came in. */
  readonly referredBy?: { readonly call: Call; readonly refer: IncomingRefer };
  /** Join the calls in progress once answered, without holding them meanwhile. */
  readonly conference?: boolean;
}

/** RFC 4733 §2.5.1.3 suggests events of at least 40 ms; phones send 100–250 ms. */
const dtmfDurationMs = 160;
/** Lines: calls at once (in any state); one more is answered 486. */
export const MAX_CALLS = 8;
/**
 * Incoming calls ringing at once: more are answered 486. Kept below MAX_CALLS, and not counted
 * against the user's own calls, so a flood of INVITEs cannot stop the user from calling out.
 */
export const MAX_RINGING = 4;
/** The longest an incoming call rings before it is answered 480 (RFC 3261 §13.3.1 Expires bounds it further). */
const MAX_RING_SECONDS = 180;
/** A transfer whose outcome the transferee never reports is called failed after this long. */
const TRANSFER_GUARD_MS = 120_000;

export class Calls implements UserAgentRole {
  private readonly calls = new Map<string, Call>();
  private readonly userAgents = new Map<string, Promise<UserAgentCore>>();
  /** Resolved cores, for routing synchronously what belongs to a session. */
  private readonly ready = new Map<string, UserAgentCore>();
  /** Cores replaced (settings or routes changed) that still carry calls: they keep routing them. */
  private readonly retired = new Set<UserAgentCore>();
  /**
   * The one owner of the microphone and speaker: every call is a port on it, so hold, the
   * local conference, recording and a device change or failure mid-call are routing there.
   */
  private readonly bridge: AudioBridge;
  private identify: ((uri: string, accountId: string) => { id: string; name: string } | undefined) | undefined;
  private readonly requestHandlers = new Map<string, (account: StoredAccount, request: SipRequest, transaction: ServerTransaction) => boolean>();
  private bridgeDevices: { input: string | undefined; output: string | undefined };
  /** Calls carried over network changes (re-INVITE with the new Contact and media address). */
  private readonly recovery: CallRecovery;

  constructor(
    private readonly accounts: Accounts,
    private readonly registrations: Registrations,
    private readonly signalling: Signalling,
    private readonly secrets: SecretStore,
    private readonly events: EventHub,
    private readonly log: Logger,
    private readonly audio: CallAudio,
    /** The user's device choice, volumes and meters; without one, `audio`'s devices as they are. */
    private readonly devices?: DeviceChoice,
    /** Ringback, ring and busy tones; without it the phone plays none. */
    private readonly sounds?: CallSounds,
  ) {
    this.recovery = new CallRecovery(
      {
        registrationState: (accountId) => registrations.status(accountId)?.state,
        refresh: (callId) => this.refreshAfterNetworkChange(callId),
        reconnecting: (callId, reconnecting) => {
          const call = this.calls.get(callId);
          if (call !== undefined) this.update(call, { reconnecting: reconnecting ? true : undefined });
        },
      },
      log,
    );
    const sampleRate = audio.deviceSampleRate ?? 48000;
    this.bridgeDevices = { input: devices?.microphone ?? audio.inputDevice, output: devices?.speaker ?? audio.outputDevice };
    this.bridge = new AudioBridge({
      driver: audio.driver,
      sampleRate,
      ...(this.bridgeDevices.input === undefined ? {} : { input: this.bridgeDevices.input }),
      ...(this.bridgeDevices.output === undefined ? {} : { output: this.bridgeDevices.output }),
      hooks: this.deviceHooks(sampleRate),
      delegate: {
        onDeviceFallback: (kind, failedId, error) => log.warn('audio device failed mid-call: the system default is used', { kind, failedId, error: error.message }),
        onDeviceError: (kind, error, retryInMs) => log.warn('audio device unavailable: calls go on without it', { kind, error: error.message, retryInMs }),
        onError: (error) => log.warn('audio bridge', { error: error.message }),
      },
    });
  }

  /** The user chose other devices, or one came or went: calls move to them without a gap. */
  devicesChanged(): void {
    const next = { input: this.devices?.microphone ?? this.audio.inputDevice, output: this.devices?.speaker ?? this.audio.outputDevice };
    if (next.input === this.bridgeDevices.input && next.output === this.bridgeDevices.output) return;
    this.bridgeDevices = next;
    this.bridge.setDevices(next).catch((error: unknown) => this.log.warn('audio devices not switched', { error: String(error) }));
  }

  /**
   * The account's user agent core (made on first use): for the other features that send or
   * receive requests as that account (messages, subscriptions, publications).
   */
  userAgentOf(accountId: string): Promise<UserAgentCore> {
    return this.userAgentFor(this.accounts.get(accountId));
  }

  /**
   * Who takes new out-of-dialog requests of a method other than INVITE/OPTIONS/CANCEL
   * (MESSAGE, NOTIFY, SUBSCRIBE...): the handler returns false to have it answered 405.
   */
  handleRequests(method: string, handler: (account: StoredAccount, request: SipRequest, transaction: ServerTransaction) => boolean): void {
    this.requestHandlers.set(method.toUpperCase(), handler);
  }

  /** Names the remote party of new calls (caller identification from the contacts, read with the account's numbering). */
  identifyWith(identify: (uri: string, accountId: string) => { id: string; name: string } | undefined): void {
    this.identify = identify;
  }

  /** On quit, after the calls ended: the devices are released. */
  async close(): Promise<void> {
    this.recovery.close();
    await this.bridge.close();
  }

  private stopSound(call: Call): Promise<void> {
    const sound = call.sound;
    call.sound = undefined;
    return sound === undefined ? Promise.resolve() : sound.then((playing) => playing?.stop());
  }

  /** The output the ringer should use (the user's choice; undefined: the system default). */
  get ringerDevice(): string | undefined {
    return this.devices?.ringer ?? this.audio.outputDevice;
  }

  /** Mutes or unmutes our microphone in a call: the peer keeps receiving packets, of silence. */
  mute(callId: string, muted: boolean): CallView {
    const call = this.get(callId);
    call.muted = muted;
    if (call.bridged && this.calls.has(callId)) this.bridge.setMuted(call.view.id, muted);
    call.view = { ...call.view, muted };
    this.events.emit('call.state', call.view);
    return call.view;
  }

  list(): CallView[] {
    return [...this.calls.values()].map((call) => call.view);
  }

  /** The SIP Call-ID of a call in progress (its history keeps the dialog's messages by it). */
  sipCallIdOf(callId: string): string | undefined {
    const session = this.calls.get(callId)?.session;
    if (session === undefined) return undefined;
    return isServerSession(session) ? session.request.callId : (session as InviteClientSession).callId;
  }

  async dial(target: string, accountId: string | undefined, options: DialOptions = {}): Promise<CallView> {
    const account = accountId === undefined ? this.defaultAccount() : this.accounts.get(accountId);
    const uri = dialTarget(target, account.domain, account);
    if (this.linesInUse() >= MAX_CALLS) throw new PhoneError('invalid_state', `at most ${MAX_CALLS} calls at once`, 'target');
    if (!hasVoiceCodec(codecDescriptions(account.codecs))) {
      throw new PhoneError('unavailable', `none of the account's codecs (${(account.codecs ?? []).join(', ')}) can be used here`, 'accountId');
    }
    const ua = await this.userAgentFor(account);
    const rtp = await allocateRtpPort(await this.mediaAddress(account), this.audio.rtpPorts);
    const keys = account.srtp === 'off' ? [] : [generateSdesCrypto(1, 'AES_CM_128_HMAC_SHA1_80'), generateSdesCrypto(2, 'AES_CM_128_HMAC_SHA1_32')];
    const sdp = this.sessionDescription(account, rtp, account.srtp === 'required' ? 'RTP/SAVP' : 'RTP/AVP', keys);
    let session: InviteClientSession;
    try {
      session = ua.invite({ target: uri, sdp, ...(options.headers === undefined ? {} : { headers: options.headers }) });
    } catch (error) {
      rtp.close();
      throw error;
    }
    // Placing a call holds the one in progress (one active line; a consultation call of an
    // attended transfer starts this way).
    const joining = options.conference === true ? this.activeCalls() : [];
    if (options.conference !== true) for (const other of this.activeCalls()) void this.setHeld(other, true).catch(() => undefined);
    const view = this.track(account, session, rtp, keys, 'outgoing', uri);
    const call = this.calls.get(view.id);
    if (call !== undefined) call.sdp = sdp;
    if (call !== undefined && joining.length > 0) call.joinConference = joining;
    if (call !== undefined && options.referredBy !== undefined) {
      call.referredBy = options.referredBy;
      this.update(call, { transferredFrom: options.referredBy.call.view.id });
    }
    return call?.view ?? view;
  }

  /** Answers a ringing call; the call in progress, if any, is held (answer-and-hold). */
  async answer(callId: string): Promise<CallView> {
    const call = this.get(callId);
    const session = call.session;
    if (call.view.direction !== 'incoming' || !isServerSession(session) || (session.state !== SessionState.Incoming && session.state !== SessionState.Ringing)) {
      throw new PhoneError('invalid_state', `call ${callId} is not ringing`, 'callId');
    }
    this.clearTimers(call);
    await Promise.all(this.activeCalls(call).map((other) => this.setHeld(other, true).catch(() => undefined)));
    if (session.state !== SessionState.Incoming && session.state !== SessionState.Ringing) return call.view;
    const offer = session.offer;
    // Answer in the offer's profile (RFC 3264 §6: the m-line's transport is kept); plain RTP
    // is refused when the account requires SRTP, SRTP when the account has it off.
    const secure = offer !== undefined && /^m=audio \d+ RTP\/SAVP /m.test(offer);
    if (offer !== undefined && ((secure && call.account.srtp === 'off') || (!secure && call.account.srtp === 'required'))) {
      session.reject(488, secure ? 'SRTP is off for this account' : 'this account requires SRTP');
      return call.view;
    }
    const profile = secure || (offer === undefined && call.account.srtp === 'required') ? 'RTP/SAVP' : 'RTP/AVP';
    call.sdp = this.sessionDescription(call.account, call.rtp, profile, call.keys, call.account.srtp !== 'off');
    session.answer(call.sdp);
    return call.view;
  }

  async dtmf(callId: string, digits: string): Promise<void> {
    const call = this.get(callId);
    if (call.session.state !== SessionState.Established) throw new PhoneError('invalid_state', `call ${callId} is not established`, 'callId');
    for (const digit of digits.toUpperCase()) {
      // RFC 4733 in the media unless the account says SIP INFO or the peer did not agree to
      // telephone-events; then INFO with application/dtmf-relay, one request per digit.
      const sent = call.account.dtmfMode === 'rfc4733' && call.stream !== undefined ? call.stream.sendDtmf(digit, dtmfDurationMs) : 'not_negotiated';
      if (sent === 'queued') continue;
      const status = await call.session.info(DTMF_RELAY_CONTENT_TYPE, formatDtmfRelay({ digit, durationMs: dtmfDurationMs }));
      if (status >= 300) throw new PhoneError('unavailable', `the peer refused the DTMF INFO (${status})`, 'digits');
    }
  }

  reject(callId: string, code: 486 | 603): CallView {
    const call = this.get(callId);
    const session = call.session;
    if (!isServerSession(session) || (session.state !== SessionState.Incoming && session.state !== SessionState.Ringing)) {
      throw new PhoneError('invalid_state', `call ${callId} is not ringing`, 'callId');
    }
    // Refused as busy: forwarded on busy when the account says so.
    const forward = code === 486 ? this.forwardTarget(call.account, call.account.forwardBusy) : undefined;
    if (forward !== undefined) session.redirect([forward]);
    else session.reject(code);
    return call.view;
  }

  /**
   * Holds a call, or resumes it. Resuming holds the call in progress first: one active line,
   * and swapping between two calls is resuming the other one.
   */
  async hold(callId: string, held: boolean): Promise<CallView> {
    const call = this.get(callId);
    if (call.session.state !== SessionState.Established) throw new PhoneError('invalid_state', `call ${callId} is not established`, 'callId');
    if (!held) await Promise.all(this.activeCalls(call).map((other) => this.setHeld(other, true)));
    await this.setHeld(call, held);
    return call.view;
  }

  /**
   * Transfers a call (RFC 5589): blind to `target`, or attended to the peer of a consultation
   * call with a Replaces naming it (RFC 3891). The call waits on hold; it ends when the
   * transferee reports success and comes back off hold when the transfer fails.
   */
  async transfer(callId: string, to: { target: string } | { consultCallId: string }): Promise<CallView> {
    const call = this.get(callId);
    if (call.session.state !== SessionState.Established) throw new PhoneError('invalid_state', `call ${callId} is not established`, 'callId');
    if (call.transferring !== undefined) throw new PhoneError('invalid_state', `call ${callId} is already being transferred`, 'callId');
    let referTo: string;
    let target: string;
    let consult: Call | undefined;
    if ('target' in to) {
      const uri = dialTarget(to.target, call.account.domain, call.account);
      target = uri.toString();
      referTo = `<${target}>`;
    } else {
      consult = this.get(to.consultCallId);
      const dialogId = consult.session.dialogId;
      if (consult === call || consult.session.state !== SessionState.Established || dialogId === undefined) {
        throw new PhoneError('invalid_state', 'the consultation call must be another established call', 'consultCallId');
      }
      const uri = parseUri((consult.session as InviteClientSession | InviteServerSession).remoteIdentity.uri);
      target = uri.toString();
      referTo = attendedReferTo(uri, dialogId);
    }
    const kind = consult === undefined ? 'blind' : 'attended';
    await this.setHeld(call, true).catch(() => undefined);
    call.transferring = { id: '', ...(consult === undefined ? {} : { consult }) };
    this.update(call, { transfer: { kind, target: target.slice(0, 1024), state: 'trying' } });
    let outcome: { id: string; status: number; reason: string };
    try {
      outcome = await call.session.refer(referTo);
    } catch (error) {
      this.transferFailed(call, undefined, error instanceof Error ? error.message : String(error));
      return call.view;
    }
    if (outcome.status >= 300) {
      this.transferFailed(call, outcome.status, outcome.reason);
      return call.view;
    }
    const transferring = call.transferring;
    if (transferring !== undefined) {
      transferring.id = outcome.id;
      transferring.guard ??= setTimeout(() => this.transferFailed(call, 408, 'the transferee did not report the outcome'), TRANSFER_GUARD_MS);
    }
    return call.view;
  }

  /** The user's answer to the peer's request to transfer us (policy `ask`). */
  async transferReply(callId: string, accept: boolean): Promise<CallView> {
    const call = this.get(callId);
    const refer = call.refer;
    if (refer === undefined) throw new PhoneError('invalid_state', `call ${callId} has no transfer request`, 'callId');
    call.refer = undefined;
    this.update(call, { transferRequest: undefined });
    if (accept) await this.followRefer(call, refer);
    else refer.reject(603, 'Declined');
    return call.view;
  }

  /** Calls that hold a line: all but incoming ones still ringing. */
  private linesInUse(): number {
    return this.calls.size - this.ringing();
  }

  private ringing(): number {
    let count = 0;
    for (const call of this.calls.values()) if (call.view.direction === 'incoming' && call.view.answeredAt === undefined) count++;
    return count;
  }

  /** Calls that are up and not held (the active line), apart from `except`. */
  private activeCalls(except?: Call): Call[] {
    return [...this.calls.values()].filter((c) => c !== except && !c.held && c.session.state === SessionState.Established);
  }

  private async setHeld(call: Call, held: boolean): Promise<void> {
    if (call.held === held) return;
    call.held = held;
    this.holdAudio(call);
    this.update(call, { held });
    try {
      await (held ? call.session.hold() : call.session.resume());
    } catch (error) {
      call.held = !held;
      this.holdAudio(call);
      this.update(call, { held: !held });
      throw new PhoneError('unavailable', `${held ? 'hold' : 'resume'} failed: ${error instanceof Error ? error.message : String(error)}`, 'callId');
    }
  }

  /**
   * The held peer hears nothing of us, or music (RFC 6337 §5.3), and we do not hear it; the
   * port keeps its conference links for when it is resumed.
   */
  private holdAudio(call: Call): void {
    if (!call.bridged || !this.calls.has(call.view.id)) return;
    if (!call.held) {
      this.bridge.unhold(call.view.id);
      return;
    }
    this.bridge.hold(call.view.id, call.account.musicOnHold ? this.musicPort() : undefined);
  }

  private musicPort(): string {
    if (!this.bridge.portNames.includes(MUSIC_PORT)) {
      const rate = this.bridge.format.sampleRate;
      this.bridge.createPlayer(MUSIC_PORT, new LoopedPcmSource(holdMusic(rate), rate));
    }
    return MUSIC_PORT;
  }

  /**
   * Joins calls into our local conference: each is resumed and linked to every other, so each
   * party hears the others and our microphone, and we hear them all (never themselves).
   */
  async merge(callIds: readonly string[]): Promise<CallView[]> {
    const members = [...new Set(callIds)].map((id) => this.get(id));
    for (const call of [...this.conference(), ...members]) {
      if (call.session.state !== SessionState.Established) throw new PhoneError('invalid_state', `call ${call.view.id} is not established`, 'callIds');
    }
    const all = [...new Set([...this.conference(), ...members])];
    if (all.length < 2) throw new PhoneError('invalid_state', 'a conference needs two calls', 'callIds');
    // Calls outside the conference are held (one active line: the conference).
    await Promise.all([...this.calls.values()].filter((c) => !all.includes(c) && !c.held && c.session.state === SessionState.Established).map((c) => this.setHeld(c, true).catch(() => undefined)));
    for (const call of all) call.conference = true;
    for (const call of all) await this.setHeld(call, false);
    this.linkConference();
    for (const call of all) this.update(call, { conference: true });
    return all.map((c) => c.view);
  }

  /** Takes a call out of the conference: it stays, on hold; the others go on talking. */
  async split(callId: string): Promise<CallView> {
    const call = this.get(callId);
    if (!call.conference) throw new PhoneError('invalid_state', `call ${callId} is not in the conference`, 'callId');
    this.leaveConference(call);
    await this.setHeld(call, true);
    return call.view;
  }

  /** Every pair of conference calls whose media runs is linked on the bridge (both ways). */
  private linkConference(): void {
    const members = this.conference().filter((c) => c.bridged);
    for (const a of members) for (const b of members) if (a !== b && !this.bridge.isConnected(a.view.id, b.view.id)) this.bridge.connect(a.view.id, b.view.id);
  }

  private conference(): Call[] {
    return [...this.calls.values()].filter((c) => c.conference);
  }

  private leaveConference(call: Call): void {
    if (!call.conference) return;
    call.conference = false;
    const others = this.conference();
    if (call.bridged) for (const other of others) if (other.bridged && this.bridge.isConnected(call.view.id, other.view.id)) this.bridge.disconnect(call.view.id, other.view.id);
    if (this.calls.has(call.view.id)) this.update(call, { conference: undefined });
    // A conference of one is just a call.
    if (others.length === 1) {
      others[0]!.conference = false;
      this.update(others[0]!, { conference: undefined });
    }
  }

  /** Records a call's conversation (our microphone as sent and what the peer said) to a WAV file. */
  record(callId: string, recording: boolean): CallView {
    const call = this.get(callId);
    if (!recording) {
      call.recording?.stop();
      call.recording = undefined;
      this.update(call, { recording: undefined });
      return call.view;
    }
    const dir = this.audio.recordingsDir;
    if (dir === undefined) throw new PhoneError('unavailable', 'this phone has no folder for recordings', 'callId');
    if (!call.bridged) throw new PhoneError('invalid_state', `call ${callId} has no audio yet`, 'callId');
    if (call.recording === undefined) {
      mkdirSync(dir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      call.recording = this.bridge.record(callId, join(dir, `${stamp}-${callId}.wav`));
    }
    this.update(call, { recording: true });
    return call.view;
  }

  private transferFailed(call: Call, code: number | undefined, reason: string): void {
    const transferring = call.transferring;
    if (transferring === undefined) return;
    if (transferring.guard !== undefined) clearTimeout(transferring.guard);
    call.transferring = undefined;
    const transfer = call.view.transfer;
    if (transfer !== undefined) this.update(call, { transfer: { ...transfer, state: 'failed', ...(code === undefined ? {} : { code }), reason: reason.slice(0, 256) } });
    this.log.info('transfer failed', { callId: call.view.id, code, reason });
    // A blind transfer that failed gives the call back; an attended one leaves the user to choose.
    if (transferring.consult === undefined && this.calls.has(call.view.id)) void this.setHeld(call, false).catch(() => undefined);
  }

  /** The NOTIFYs of our REFER (RFC 3515 §2.4.5): the transferee's call to the target. */
  private referProgress(call: Call, progress: ReferProgress): void {
    const transferring = call.transferring;
    const transfer = call.view.transfer;
    if (transferring === undefined || transfer === undefined || (transferring.id !== '' && transferring.id !== progress.id)) return;
    if (progress.status >= 200 && progress.status < 300) {
      if (transferring.guard !== undefined) clearTimeout(transferring.guard);
      call.transferring = undefined;
      this.update(call, { transfer: { ...transfer, state: 'succeeded', code: progress.status, reason: progress.reason } });
      // RFC 5589 §6.1/§7.1: the transferor ends its calls once the transfer succeeded.
      this.endQuietly(call);
      if (transferring.consult !== undefined) this.endQuietly(transferring.consult);
    } else if (progress.status >= 300 || progress.final) {
      this.transferFailed(call, progress.status >= 300 ? progress.status : undefined, progress.final && progress.status < 200 ? 'the transfer ended without an answer' : progress.reason);
    } else {
      this.update(call, { transfer: { ...transfer, state: progress.status === 180 || progress.status === 183 ? 'ringing' : 'trying' } });
    }
  }

  /** RFC 3515: the peer asks us to call someone. The account's policy decides. */
  private referred(call: Call, refer: IncomingRefer): void {
    const policy = call.account.transferPolicy;
    if (policy === 'refuse' || call.refer !== undefined || this.calls.size >= MAX_CALLS) {
      refer.reject(603, 'Declined');
      this.update(call, { transferRefused: { code: 603, reason: policy === 'refuse' ? 'transfers are refused by this account' : 'a transfer is already pending, or all lines are busy' } });
      return;
    }
    // 202 at once, with a first NOTIFY (§2.4.4); the user's "no" is a final NOTIFY 603.
    refer.accept();
    if (policy === 'ask') {
      call.refer = refer;
      const referredBy = refer.referredBy;
      this.update(call, { transferRequest: { target: refer.target.uri.toString().slice(0, 1024), ...(referredBy === undefined ? {} : { referredBy }) } });
      return;
    }
    void this.followRefer(call, refer);
  }

  /** Calls the REFER's target, holding the call it came in (RFC 5589 §6), with its Replaces. */
  private async followRefer(call: Call, refer: IncomingRefer): Promise<void> {
    if (!call.held && call.session.state === SessionState.Established) await this.setHeld(call, true).catch(() => undefined);
    const headers: [string, string][] = [];
    if (refer.target.replaces !== undefined) headers.push(['Replaces', refer.target.replaces.toString()]);
    const referredBy = refer.referredBy;
    if (referredBy !== undefined) headers.push(['Referred-By', referredBy]);
    try {
      await this.dial(refer.target.uri.toString(), call.account.id, { headers, referredBy: { call, refer } });
    } catch (error) {
      this.log.warn('the transfer target cannot be called', { callId: call.view.id, error: String(error) });
      void refer.progress(503, 'Service Unavailable');
    }
  }

  /** BYE or CANCEL, whatever the call's state; a call already ending is left to end. */
  private endQuietly(call: Call): void {
    try {
      (call.session as InviteClientSession | InviteServerSession).hangup();
    } catch (error) {
      this.log.debug('call already ending', { callId: call.view.id, error: String(error) });
    }
  }

  private clearTimers(call: Call): void {
    for (const timer of call.timers.splice(0)) clearTimeout(timer);
    if (call.view.autoAnswerAt !== undefined) this.update(call, { autoAnswerAt: undefined });
  }

  /**
   * A forwarding target as a Contact URI — a number as the account dials it (its country and
   * dial plan) — or undefined when none is set or it cannot be read.
   */
  private forwardTarget(account: StoredAccount, target: string | undefined): string | undefined {
    if (target === undefined) return undefined;
    try {
      return dialTarget(target, account.domain, account).toString();
    } catch (error) {
      this.log.warn('forwarding target unusable', { accountId: account.id, error: String(error) });
      return undefined;
    }
  }

  hangup(callId: string): CallView {
    const call = this.get(callId);
    (call.session as InviteClientSession | InviteServerSession).hangup();
    return call.view;
  }

  /**
   * The account's user agent is rebuilt on its next use (settings, password or routes changed);
   * the old one keeps serving the calls it has until they end.
   */
  forgetAccount(accountId: string): void {
    const old = this.ready.get(accountId);
    if (old !== undefined && old.dialogCount > 0) this.retired.add(old);
    this.userAgents.delete(accountId);
    this.ready.delete(accountId);
  }

  /**
   * A registration succeeded: its Service-Route (RFC 3608) must be the calls' route set, and
   * its Contact (moved by a network change) the Contact of new calls.
   */
  registered(accountId: string): void {
    const ua = this.ready.get(accountId);
    if (ua === undefined) return;
    const routes = this.registrations.routeSetOf(accountId);
    const bound = this.registrations.contactOf(accountId);
    const moved = bound !== undefined && ua.settings.contact !== `<${bound.toString()}>`;
    if (moved || !routes.every((route) => ua.settings.routeSet.includes(route))) this.forgetAccount(accountId);
  }

  /**
   * The network changed (after the registrations restarted): every call is carried over by a
   * target refresh once its account's registration settled; early calls once confirmed (see
   * CallRecovery).
   */
  networkChanged(): void {
    const calls: { id: string; accountId: string; confirmed: boolean }[] = [];
    for (const call of this.calls.values()) {
      const state = call.session.state;
      if (state === SessionState.Cancelling || state === SessionState.Terminating || state === SessionState.Terminated) continue;
      calls.push({ id: call.view.id, accountId: call.account.id, confirmed: state === SessionState.Established });
    }
    this.recovery.networkChanged(calls);
  }

  /** An account's registration moved: calls waiting for it to settle after a network change go on. */
  registrationChanged(status: AccountStatus): void {
    this.recovery.registrationChanged(status.accountId, status.state);
  }

  /**
   * pjsua's re-INVITE with UPDATE_CONTACT and REINIT_MEDIA: our Contact as the account's flow
   * now has it, and the media on a fresh port pair at the address toward the first hop — a
   * socket bound to an address that went away, or a NAT binding lost in sleep, cannot carry
   * the call on. The port is taken once an exchange naming it completes; otherwise (refused)
   * the call stays on the old one.
   */
  private async refreshAfterNetworkChange(callId: string): Promise<void> {
    const call = this.calls.get(callId);
    if (call === undefined || call.session.state !== SessionState.Established) return;
    const contact = await this.registrations.contactFor(call.account);
    const contactValue = `<${contact.toString()}>`;
    // New calls use the new Contact: the account's core is rebuilt on next use, the old one
    // keeps routing the dialogs it has.
    const ua = this.ready.get(call.account.id);
    if (ua !== undefined && ua.settings.contact !== contactValue) this.forgetAccount(call.account.id);
    let port: RtpPort | undefined;
    try {
      port = await allocateRtpPort(contact.address, this.audio.rtpPorts);
    } catch (error) {
      this.log.warn('no new RTP port after a network change: the call keeps its own', { callId, error: String(error) });
    }
    if (!this.calls.has(callId) || call.session.state !== SessionState.Established) {
      port?.close();
      return;
    }
    const sdp = call.sdp;
    let offered = false;
    call.refreshing = true;
    let outcome: TargetRefreshOutcome | undefined;
    try {
      outcome = await call.session.refreshTarget(contactValue, () => {
        if (port === undefined || sdp === undefined) return;
        offered = true;
        call.moving = port;
        call.stream?.receiveOn(port);
        sdp.update({ address: port.address, audio: { port: port.port } });
      });
    } finally {
      // A failed refresh is ending the call (its BYE may take a while): why stays known.
      call.refreshing = outcome?.kind === 'failed';
      if (port !== undefined && !offered) port.close();
      else if (port !== undefined && call.moving === port) {
        // No exchange named the new port: the session is as it was (§14.1), on the old one.
        call.moving = undefined;
        call.stream?.releasePort(port);
        sdp?.update({ address: call.rtp.address, audio: { port: call.rtp.port } });
        port.close();
      }
    }
    if (outcome.kind === 'refused') this.log.warn('the peer refused the re-INVITE after a network change', { callId, code: outcome.code, reason: outcome.reason });
    else if (outcome.kind === 'failed') this.log.warn('call lost in a network change', { callId, code: outcome.code, reason: outcome.reason });
    else this.log.info('call after a network change', { callId, outcome: outcome.kind, rtp: `${call.rtp.address}:${call.rtp.port}` });
  }

  /** An exchange completed while a port was offered: it named that port, which the call now uses. */
  private commitMove(call: Call): void {
    const moving = call.moving;
    if (moving === undefined) return;
    call.moving = undefined;
    const old = call.rtp;
    call.rtp = moving;
    if (call.stream !== undefined) call.stream.usePort(moving);
    else old.close();
  }

  /** Whether any account's calls use SRTP keys: for tests and diagnostics. */
  keysOf(callId: string): readonly SdesCrypto[] {
    return this.get(callId).keys;
  }

  /** On quit: every call ended (BYE or CANCEL), without waiting for answers. */
  /**
   * On quit: every call ended (BYE, CANCEL or a final response), waiting — at most `timeoutMs` —
   * for the peers to answer, so the requests are on the wire before the transports close.
   */
  async hangupAll(timeoutMs = 3000): Promise<void> {
    for (const call of this.calls.values()) {
      try {
        (call.session as InviteClientSession | InviteServerSession).hangup();
      } catch (error) {
        this.log.warn('hangup on quit failed', { callId: call.view.id, error: String(error) });
      }
    }
    const deadline = Date.now() + timeoutMs;
    while (this.calls.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    // The last response or ACK leaves the socket before it closes.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  receiveRequest(request: SipRequest, transaction: ServerTransaction): void {
    const owner = this.owner(request);
    if (owner !== undefined) return owner.receiveRequest(request, transaction);
    if (request.to.tag !== undefined) {
      // §12.2.2: a request in a dialog we do not have.
      return transaction.respond(createResponse(request, 481));
    }
    const account = this.accountFor(request);
    if (account !== undefined && request.method === 'INVITE' && account.callsFromProxyOnly) {
      // Unsolicited-call protection: the INVITE must come from the account's proxy.
      const source = transaction.peer.address;
      void this.fromProxy(account, source).then((trusted) => {
        if (trusted) this.toUserAgent(account, request, transaction);
        else {
          this.log.warn('INVITE not from the account proxy refused', { accountId: account.id, source });
          transaction.respond(createResponse(request, 403, { reason: 'Forbidden (not from the proxy)' }));
        }
      });
      return;
    }
    if (account === undefined) {
      // Nothing here answers to that Request-URI (§8.2.2.1): 404, but a plain OPTIONS ping gets
      // what we could do (§11.2).
      return transaction.respond(
        request.method === 'OPTIONS'
          ? createResponse(request, 200, { headers: [['Allow', ALLOWED_METHODS.join(', ')], ['Accept', 'application/sdp']] })
          : createResponse(request, 404),
      );
    }
    this.toUserAgent(account, request, transaction);
  }

  private toUserAgent(account: StoredAccount, request: SipRequest, transaction: ServerTransaction): void {
    this.userAgentFor(account).then(
      (ua) => ua.receiveRequest(request, transaction),
      (error: unknown) => {
        this.log.warn('no user agent for an incoming request', { accountId: account.id, error: String(error) });
        transaction.respond(createResponse(request, 480));
      },
    );
  }

  receiveAck(ack: SipRequest): void {
    this.owner(ack)?.receiveAck(ack);
  }

  receiveStrayResponse(response: SipResponse): void {
    this.owner(response)?.receiveStrayResponse(response);
  }

  private owner(message: SipRequest | SipResponse): UserAgentCore | undefined {
    for (const ua of this.ready.values()) if (ua.owns(message)) return ua;
    for (const ua of this.retired) {
      if (ua.dialogCount === 0) this.retired.delete(ua);
      else if (ua.owns(message)) return ua;
    }
    return undefined;
  }

  /**
   * The account a new request is for: the Request-URI is one of our Contacts (§8.2.2.1), i.e.
   * its user is an account's and its host:port one of our listening points. A scanner's
   * `INVITE sip:100@our-ip` names no account and is answered 404 — it never rings.
   */
  private accountFor(request: SipRequest): StoredAccount | undefined {
    const uri = request.uri;
    if (!isSipUri(uri)) return undefined;
    const ours = this.signalling.endpoint.transport
      .listeningPoints()
      .some((p) => p.port === (uri.port ?? 5060) && (p.address === uri.address || p.address === '0.0.0.0' || p.address === '::'));
    if (!ours) return undefined;
    return this.accounts.enabled().find((a) => a.user === uri.user);
  }

  /** Whether a source address is one of the account's proxy's (outbound proxy, else domain). */
  private async fromProxy(account: StoredAccount, source: string): Promise<boolean> {
    const proxy = account.outboundProxy ?? account.domain;
    const host = /^\[([^\]]+)\]/.exec(proxy)?.[1] ?? proxy.replace(/:\d+$/, '');
    return (await this.signalling.addressesOf(host)).has(source);
  }

  private defaultAccount(): StoredAccount {
    const enabled = this.accounts.enabled();
    const registered = enabled.find((a) => this.accounts.statusOf(a.id).state === 'registered');
    const account = registered ?? enabled[0];
    if (account === undefined) throw new PhoneError('invalid_state', 'add an account to place calls', 'accountId');
    return account;
  }

  private userAgentFor(account: StoredAccount): Promise<UserAgentCore> {
    let ua = this.userAgents.get(account.id);
    if (ua === undefined) {
      ua = this.createUserAgent(account);
      this.userAgents.set(account.id, ua);
      ua.then(
        (core) => this.ready.set(account.id, core),
        () => this.userAgents.delete(account.id),
      );
    }
    return ua;
  }

  private async createUserAgent(account: StoredAccount): Promise<UserAgentCore> {
    const password = await this.secrets.get(passwordKey(account.id));
    const username = account.authUser ?? account.user;
    const contact = await this.registrations.contactFor(account);
    const firstHop =
      account.outboundProxy !== undefined
        ? [`<sip:${account.outboundProxy}${account.transport === 'udp' ? '' : `;transport=${account.transport}`};lr>`]
        : account.transport !== 'udp'
          ? [`<sip:${account.domain};transport=${account.transport};lr>`]
          : [];
    const from = account.displayName === undefined ? `<sip:${account.user}@${account.domain}>` : `"${account.displayName.replace(/["\\]/g, '\\$&')}" <sip:${account.user}@${account.domain}>`;
    const ua = new UserAgentCore({
      contact: `<${contact.toString()}>`,
      from,
      routeSet: [...firstHop, ...this.registrations.routeSetOf(account.id)],
      digest: new DigestClient({ credentials: () => (password === undefined ? undefined : { username, password }) }),
      userAgent: 'Softphone',
      onIncomingCall: (session) => void this.incoming(account, session),
      onRequest: (request, transaction) => this.requestHandlers.get(request.method)?.(account, request, transaction) ?? false,
    });
    ua.attach(this.signalling.endpoint);
    return ua;
  }

  private async incoming(account: StoredAccount, session: InviteServerSession): Promise<void> {
    const replaced = session.replaces === undefined ? undefined : [...this.calls.values()].find((c) => c.session === session.replaces);
    if (session.replaces !== undefined && replaced === undefined) {
      session.reject(481);
      return;
    }
    if (replaced === undefined) {
      if (account.dnd) {
        // Do Not Disturb: refused without ringing, with the status the user chose.
        this.log.info('call refused: do not disturb', { accountId: account.id });
        session.reject(account.dndCode);
        return;
      }
      const always = this.forwardTarget(account, account.forwardAlways);
      if (always !== undefined) {
        session.redirect([always]);
        return;
      }
      if (this.linesInUse() >= MAX_CALLS || this.ringing() >= MAX_RINGING || (account.busyWhenInCall && this.calls.size > 0)) {
        // §21.4.24: "the callee's end system was contacted successfully, but the callee is
        // currently not willing or able to take additional calls at this end system".
        const onBusy = this.forwardTarget(account, account.forwardBusy);
        if (onBusy !== undefined) session.redirect([onBusy]);
        else session.reject(486);
        return;
      }
    }
    let rtp: RtpPort;
    try {
      rtp = await allocateRtpPort(await this.mediaAddress(account), this.audio.rtpPorts);
    } catch (error) {
      this.log.warn('no RTP port for an incoming call', { error: String(error) });
      session.reject(503, 'Service Unavailable');
      return;
    }
    const view = this.track(account, session, rtp, [], 'incoming', session.remoteIdentity.uri);
    const call = this.calls.get(view.id);
    if (call === undefined) return;
    if (replaced !== undefined) {
      // RFC 3891 §3: the new call takes the old one's place at once, without alerting the user.
      call.replaces = replaced;
      this.events.emit('call.incoming', call.view);
      await this.answer(call.view.id);
      return;
    }
    session.ring();
    const waiting = [...this.calls.values()].some((c) => c !== call && c.session.state === SessionState.Established);
    if (waiting) {
      // Call waiting: a beep in the call in progress, not the ringer.
      this.update(call, { waiting: true });
      call.sound = this.sounds?.callWaiting(this.devices?.speaker ?? this.audio.outputDevice);
    } else {
      // §20.4 Alert-Info picks a distinctive ring; its URL is never fetched (untrusted).
      call.sound = this.sounds?.ring(this.ringerDevice, session.request.get('Alert-Info'));
    }
    // §13.3.1: an INVITE's Expires bounds how long it may ring; without one, a caller gone
    // silent (its CANCEL lost) must not leave a line ringing for ever.
    const ringSeconds = Math.min(MAX_RING_SECONDS, session.request.expires ?? MAX_RING_SECONDS);
    call.timers.push(
      setTimeout(() => {
        if (session.state === SessionState.Incoming || session.state === SessionState.Ringing) session.reject(480, 'Temporarily Unavailable (no answer)');
      }, ringSeconds * 1000),
    );
    const noAnswer = this.forwardTarget(account, account.forwardNoAnswer);
    if (noAnswer !== undefined) {
      call.timers.push(
        setTimeout(() => {
          if (session.state === SessionState.Incoming || session.state === SessionState.Ringing) session.redirect([noAnswer]);
        }, account.forwardNoAnswerSeconds * 1000),
      );
    }
    const autoAnswer = waiting ? undefined : autoAnswerDelay(account, session.request);
    if (autoAnswer !== undefined) {
      call.timers.push(
        setTimeout(() => {
          if (session.state === SessionState.Incoming || session.state === SessionState.Ringing) {
            this.answer(call.view.id).catch((error: unknown) => this.log.warn('auto-answer failed', { callId: call.view.id, error: String(error) }));
          }
        }, autoAnswer * 1000),
      );
      this.update(call, { autoAnswerAt: Date.now() + autoAnswer * 1000 });
    }
    this.events.emit('call.incoming', call.view);
  }

  private track(account: StoredAccount, session: InviteSession, rtp: RtpPort, keys: SdesCrypto[], direction: CallView['direction'], remoteUri: string): CallView {
    const identity = (session as InviteClientSession | InviteServerSession).remoteIdentity;
    const partyUri = (identity.asserted?.uri ?? identity.uri ?? remoteUri).slice(0, 1024);
    let contact: { id: string; name: string } | undefined;
    try {
      contact = this.identify?.(partyUri, account.id);
    } catch (error) {
      this.log.warn('caller identification failed', { error: String(error) });
    }
    const call: Call = {
      account,
      session,
      rtp,
      keys,
      muted: false,
      bridged: false,
      conference: false,
      held: false,
      refreshing: false,
      timers: [],
      view: {
        id: `call-${randomBytes(6).toString('hex')}`,
        accountId: account.id,
        direction,
        state: direction === 'incoming' ? 'incoming' : 'calling',
        ...(contact === undefined ? {} : { contact: { id: contact.id, name: contact.name.slice(0, 128) } }),
        remote: {
          uri: partyUri,
          ...(identity.displayName === undefined ? {} : { displayName: identity.displayName.slice(0, 128) }),
        },
        startedAt: Date.now(),
      },
    };
    this.calls.set(call.view.id, call);
    const update = (changes: Partial<CallView>) => this.update(call, changes);
    session.delegate = {
      onStateChange: (state) => {
        const mapped = callState(state, direction);
        if (mapped === undefined || mapped === call.view.state) return;
        update(mapped === 'established' && call.view.answeredAt === undefined ? { state: mapped, answeredAt: Date.now(), waiting: undefined } : { state: mapped });
        if (mapped === 'established') {
          this.established(call);
          this.recovery.confirmed(call.view.id);
        }
        // §15.1.1: media stops as soon as the BYE is sent, not when it is answered; the end's
        // reason is known now too.
        if (state === SessionState.Terminating) {
          void call.stream?.stop();
          if (call.endReason !== undefined) update({ end: { by: 'error', reason: call.endReason } });
        }
      },
      onProvisional: (status, reason) => {
        if (call.referredBy !== undefined && (status === 180 || status === 183)) void call.referredBy.refer.progress(status, reason);
        if (status === 180 && call.view.state === 'calling') {
          update({ state: 'ringing' });
          // The far end rings and sends no early media: we play ringback ourselves.
          call.sound ??= this.sounds?.ringback(this.devices?.speaker ?? this.audio.outputDevice);
        }
      },
      onEarlyMedia: (media) => {
        update({ state: 'early' });
        void this.media(call, media);
      },
      onSessionDescription: (media) => {
        this.commitMove(call);
        update({ codec: media.codec.name, remoteHeld: media.remoteHold });
        void this.media(call, media);
      },
      onRefer: (refer) => this.referred(call, refer),
      onReferRefused: (code, reason) => update({ transferRefused: { code, reason: reason.slice(0, 256) } }),
      onReferProgress: (progress) => this.referProgress(call, progress),
      onInfo: (contentType, body) => {
        if (contentType !== DTMF_RELAY_CONTENT_TYPE) return false;
        try {
          this.events.emit('call.dtmf', { callId: call.view.id, digit: parseDtmfRelay(body).digit });
          return true;
        } catch {
          return false;
        }
      },
      onTerminated: (info) => {
        this.calls.delete(call.view.id);
        this.recovery.ended(call.view.id);
        this.clearTimers(call);
        if (call.transferring?.guard !== undefined) clearTimeout(call.transferring.guard);
        call.refer?.reject(487, 'Request Terminated');
        // A transfer whose call never came up: the transferor hears how it ended.
        if (call.referredBy !== undefined && call.view.answeredAt === undefined) void call.referredBy.refer.progress(info.code ?? 487, info.reason ?? 'Request Terminated');
        void this.stopSound(call).then(() => {
          // A refused outgoing call sounds busy for a moment, as on any phone.
          if (direction === 'outgoing' && (info.code === 486 || info.code === 600)) void this.sounds?.busy(this.devices?.speaker ?? this.audio.outputDevice);
        });
        this.leaveConference(call);
        call.recording?.stop();
        const moving = call.moving;
        call.moving = undefined;
        moving?.close();
        const stream = call.stream;
        if (stream === undefined) call.rtp.close();
        else {
          void stream.stop().finally(() => {
            if (!call.bridged) return;
            call.bridged = false;
            this.bridge.removePort(call.view.id);
          });
        }
        update({ state: 'terminated', endedAt: Date.now(), reconnecting: undefined, end: call.endReason === undefined ? endOf(info, call.refreshing) : { by: 'error', reason: call.endReason } });
      },
    };
    this.events.emit('call.state', call.view);
    return call.view;
  }

  private update(call: Call, changes: Partial<CallView>): void {
    call.view = { ...call.view, ...changes };
    for (const key of Object.keys(changes) as (keyof CallView)[]) if (changes[key] === undefined) delete call.view[key];
    this.events.emit('call.state', call.view);
  }

  /** A call came up: a transfer it completes is reported, a call it replaces ends. */
  private established(call: Call): void {
    const referredBy = call.referredBy;
    if (referredBy !== undefined) {
      // RFC 5589 §6: the transfer worked; the call it came in is over for us.
      referredBy.refer.progress(200, 'OK');
      // The transferor ends it on that NOTIFY (§6.1); if it does not, we do, once it had time to.
      setTimeout(() => {
        if (this.calls.has(referredBy.call.view.id)) this.endQuietly(referredBy.call);
      }, 2000).unref();
    }
    if (call.replaces !== undefined) this.endQuietly(call.replaces);
    const join = call.joinConference?.filter((c) => this.calls.has(c.view.id));
    call.joinConference = undefined;
    if (join !== undefined && join.length > 0) {
      this.merge([...join, call].map((c) => c.view.id)).catch((error: unknown) => this.log.warn('conference not joined', { callId: call.view.id, error: String(error) }));
    }
  }

  /**
   * Starts the call's media when the first offer/answer completes (or early media begins), and
   * follows later ones (re-INVITE, hold) with `update`.
   */
  private async media(call: Call, negotiated: NegotiatedAudio): Promise<void> {
    if (!this.calls.has(call.view.id)) return;
    // The tone's device must be free (and quiet) before the call's audio takes it.
    await this.stopSound(call);
    try {
      if (call.stream !== undefined) {
        call.stream.update(negotiated);
        return;
      }
      // The stream runs at the codec's rate on its bridge port, which converts to the devices'.
      const port = this.bridge.createPort(call.view.id);
      call.bridged = true;
      if (call.muted) this.bridge.setMuted(call.view.id, true);
      this.holdAudio(call);
      this.linkConference();
      const stream = new MediaStream({
        port: call.rtp,
        driver: port.driver,
        sdes: call.keys,
        rtpTimeoutMs: (this.audio.rtpTimeoutSeconds ?? 30) * 1000,
        statsIntervalMs: (this.audio.statsIntervalSeconds ?? 5) * 1000,
        delegate: {
          onDtmf: (digit) => this.events.emit('call.dtmf', { callId: call.view.id, digit }),
          onStats: (stats) => this.events.emit('call.stats', callStats(call.view.id, stats, negotiated.crypto.length > 0)),
          onRtpTimeout: () => {
            this.log.warn('no RTP from the peer: ending the call', { callId: call.view.id });
            call.endReason = `no audio from the peer for ${this.audio.rtpTimeoutSeconds ?? 30} s`;
            (call.session as InviteClientSession | InviteServerSession).hangup();
          },
          onError: (error) => this.log.warn('media error', { callId: call.view.id, error: error.message }),
        },
      });
      call.stream = stream;
      await stream.start(negotiated);
    } catch (error) {
      this.log.error('media could not start: ending the call', { callId: call.view.id, error: String(error) });
      (call.session as InviteClientSession | InviteServerSession).hangup();
    }
  }

  /**
   * The hooks at the devices, once for all calls: voice processing first on the microphone (it
   * needs the speaker's frames as the echo reference), then the user's volumes and meters.
   */
  private deviceHooks(rate: number): BridgeAudioHooks {
    const levels = this.devices?.hooks();
    const voice = this.audio.voice;
    if (voice === undefined || (rate !== 8000 && rate !== 16000 && rate !== 48000)) return levels ?? {};
    const processor = createVoiceProcessor({ ...voice, sampleRate: rate });
    let far: Int16Array | undefined;
    return {
      microphone: (frame) => {
        const clean = processor.process(frame, far);
        return levels?.microphone?.(clean) ?? clean;
      },
      speaker: (frame) => {
        const played = levels?.speaker?.(frame) ?? frame;
        far = played;
        return played;
      },
    };
  }

  /**
   * Our side of the offer/answer: the account's codecs in its order of preference (RFC 3264
   * §5.1; as answerer we pick by it too, see intersectCodecs), and SDES keys
   * (RFC 4568) on RTP/AVP (best-effort SRTP) or RTP/SAVP. As answerer, keys are made for the
   * offered suite we take (§7.1.2).
   */
  private sessionDescription(account: StoredAccount, rtp: RtpPort, profile: 'RTP/AVP' | 'RTP/SAVP', keys: SdesCrypto[], answerKeys = false): SessionDescriptionState {
    const crypto = answerKeys
      ? (offered: readonly string[]) => {
          // An offer of ours later in the call (hold, a network change): the key we answered
          // with, under its tag (RFC 4568 §6.1: a new offer may keep the current key).
          if (offered.length === 0) return keys.slice(-1).map(formatSdesCrypto);
          const answer = answerSdesCrypto(offered);
          if (answer === undefined) return [];
          keys.push(answer.local);
          return [formatSdesCrypto(answer.local)];
        }
      : keys.map(formatSdesCrypto);
    return new SessionDescriptionState({
      address: rtp.address,
      username: '-',
      // rtcp-mux offered (RFC 5761 §5.1.1); RTCP on port + 1 stays bound for peers that decline it.
      audio: { port: rtp.port, rtcpMux: true, codecs: codecDescriptions(account.codecs), direction: 'sendrecv', profile, crypto },
    });
  }

  /** RTP goes from the address our Contact names (the same interface the signalling uses). */
  private async mediaAddress(account: StoredAccount): Promise<string> {
    const contact = await this.registrations.contactFor(account);
    return contact.address;
  }

  private get(callId: string): Call {
    const call = this.calls.get(callId);
    if (call === undefined) throw new PhoneError('not_found', `no call ${callId}`, 'callId');
    return call;
  }
}

function isServerSession(session: InviteSession): session is InviteServerSession {
  return 'answer' in session;
}

function callState(state: SessionState, direction: CallView['direction']): CallState | undefined {
  switch (state) {
    case SessionState.Calling:
      return 'calling';
    case SessionState.Proceeding:
      return undefined; // 180 → ringing, 100/183 without SDP: keep what we show
    case SessionState.EarlyMedia:
      return 'early';
    case SessionState.Incoming:
    case SessionState.Ringing:
      return direction === 'incoming' ? 'incoming' : 'ringing';
    case SessionState.WaitingForAck:
      return 'connecting';
    case SessionState.Established:
      return 'established';
    case SessionState.Cancelling:
    case SessionState.Terminating:
      return 'terminating';
    case SessionState.Terminated:
      return undefined; // reported with its reason by onTerminated
  }
}

function callStats(callId: string, stats: MediaStreamStatistics, srtp: boolean): CallStats {
  return {
    callId,
    at: Date.now(),
    codec: stats.codec.slice(0, 64),
    srtp,
    packetsSent: stats.packetsSent,
    packetsReceived: stats.packetsReceived,
    lossPercent: Math.min(100, Math.max(0, stats.lossPercent)),
    jitterMs: stats.jitterMs,
    ...(stats.roundTripTimeMs === undefined ? {} : { rttMs: stats.roundTripTimeMs }),
    mos: Math.min(5, Math.max(1, stats.mos ?? 1)),
    jitterBufferMs: stats.jitterBuffer.delayMs,
  };
}

function endOf(info: TerminationInfo, refreshing = false): NonNullable<CallView['end']> {
  // §12.2.1.2: a 408, a 481 or no answer to the re-INVITE that was to carry the call over a
  // network change: the call did not survive the change, which is what the user should read.
  if (refreshing && (info.code === 408 || info.code === 481)) {
    return { by: 'error', code: info.code, reason: `lost in a network change (${info.reason ?? 'no answer'})`.slice(0, 256) };
  }
  const by = info.by === 'local' || info.by === 'remote' ? info.by : 'error';
  const reason = (info.reason ?? (info.by === 'timeout' ? 'no answer from the network' : info.by === 'local' ? 'ended' : 'call ended')).slice(0, 256);
  return info.code === undefined ? { by, reason } : { by, code: info.code, reason };
}

/**
 * Seconds until an incoming call is answered by itself, or undefined. `all`: the account's
 * delay. `intercom`: only paging calls, marked by RFC 5373 `Answer-Mode: Auto`, Call-Info
 * `answer-after=N` (the delay it asks for) or an Alert-Info naming auto-answer or intercom
 * (the forms phones and PBXes send).
 */
export function autoAnswerDelay(account: Pick<StoredAccount, 'autoAnswer' | 'autoAnswerDelaySeconds'>, request: SipRequest): number | undefined {
  if (account.autoAnswer === 'off') return undefined;
  if (account.autoAnswer === 'all') return account.autoAnswerDelaySeconds;
  const answerAfter = /;\s*answer-after\s*=\s*(\d{1,4})/i.exec(request.getAll('Call-Info').join(','));
  if (answerAfter !== null) return Math.min(60, Number(answerAfter[1]));
  if (/^\s*auto\b/i.test(request.get('Answer-Mode') ?? '')) return account.autoAnswerDelaySeconds;
  if (/auto-?answer|intercom/i.test(request.getAll('Alert-Info').join(','))) return account.autoAnswerDelaySeconds;
  return undefined;
}
