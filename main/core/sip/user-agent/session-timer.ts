/**
 * Session timers (RFC 4028): reading Session-Expires and Min-SE, and the choices a UAS makes on
 * a session refresh request (§9) and a UAC on its 2xx (§7.2).
 */
import type { SipRequest, SipResponse } from '../messages/index.js';

export interface SessionTimerSettings {
  /** The Session-Expires we ask for, in seconds (RFC 4028 §4 recommends 1800). */
  readonly expires: number;
  /** The smallest interval we accept (§5: "MUST NOT be less than 90 seconds"). */
  readonly minSE: number;
}

export const defaultSessionTimerSettings: SessionTimerSettings = { expires: 1800, minSE: 90 };

export type Refresher = 'uac' | 'uas';

/** A negotiated session timer, from our side: the interval and whether we refresh. */
export interface SessionTimerAgreement {
  readonly interval: number;
  readonly refresher: Refresher;
  readonly localRefresher: boolean;
}

/** §4: Session-Expires = delta-seconds *(SEMI se-params), se-params = refresher-param / generic-param. */
export function readSessionExpires(message: SipRequest | SipResponse): { delta: number; refresher?: Refresher } | undefined {
  const value = message.get('Session-Expires');
  if (value === undefined) return undefined;
  const match = /^\s*(\d{1,9})\s*(;.*)?$/.exec(value);
  if (match === null) return undefined;
  const refresher = /;\s*refresher\s*=\s*(uac|uas)\b/i.exec(match[2] ?? '')?.[1]?.toLowerCase();
  return { delta: Number(match[1]), ...(refresher === 'uac' || refresher === 'uas' ? { refresher } : {}) };
}

/** §5: Min-SE = delta-seconds *(SEMI generic-param). */
export function readMinSE(message: SipRequest | SipResponse): number | undefined {
  const match = /^\s*(\d{1,9})/.exec(message.get('Min-SE') ?? '');
  return match === null ? undefined : Number(match[1]);
}

/** The headers of a session refresh request we send (§7.1): we are the UAC and would refresh. */
export function requestTimerHeaders(settings: SessionTimerSettings, interval = settings.expires): [string, string][] {
  return [
    ['Session-Expires', `${interval}`],
    ['Min-SE', `${settings.minSE}`],
  ];
}

export type UasTimerDecision =
  | { readonly kind: 'none' }
  /** §9: "If the Session-Expires ... is lower than the minimum ... the UAS MUST reject it with a 422". */
  | { readonly kind: 'too-small'; readonly minSE: number }
  | { readonly kind: 'agreed'; readonly agreement: SessionTimerAgreement; readonly headers: [string, string][] };

/**
 * §9, the UAS side of a session refresh request (the initial INVITE, a re-INVITE or an UPDATE).
 * "If the UAC supports the session timer extension [Supported: timer] ... the UAS MUST set the
 * refresher to uac or uas" when the request did not; otherwise the UAS is the refresher and the
 * response carries no Require: timer. Without Session-Expires there is no session timer.
 */
export function decideAsUas(request: SipRequest, settings: SessionTimerSettings): UasTimerDecision {
  const asked = readSessionExpires(request);
  if (asked === undefined) return { kind: 'none' };
  if (asked.delta < settings.minSE) return { kind: 'too-small', minSE: settings.minSE };
  const uacSupports = request.supported.includes('timer') || request.require.includes('timer');
  const refresher: Refresher = uacSupports ? (asked.refresher ?? 'uac') : 'uas';
  const headers: [string, string][] = [['Session-Expires', `${asked.delta};refresher=${refresher}`]];
  // §9: "the UAS MUST include a Require header field with the value 'timer'" when the UAC supports it.
  if (uacSupports) headers.push(['Require', 'timer']);
  return { kind: 'agreed', agreement: { interval: asked.delta, refresher, localRefresher: refresher === 'uas' }, headers };
}

/**
 * §7.2, the UAC side: "If the 2xx response did not contain a Session-Expires header field, there
 * is no session expiration"; a refresher of uac makes us (the request's UAC) refresh, and one
 * absent means the UAS did not know the extension, so we refresh too.
 */
export function decideAsUac(response: SipResponse): SessionTimerAgreement | undefined {
  const agreed = readSessionExpires(response);
  if (agreed === undefined) return undefined;
  const refresher = agreed.refresher ?? 'uac';
  return { interval: agreed.delta, refresher, localRefresher: refresher === 'uac' };
}

/**
 * §10: the refresher sends its refresh "half the session expiration"; the other side, if no
 * refresh came, sends a BYE "before the session expiration ... the minimum of 32 seconds and
 * one third of the session interval" earlier. Milliseconds.
 */
export function refreshDelay(interval: number): number {
  return (interval * 1000) / 2;
}

export function expiryDelay(interval: number): number {
  return (interval - Math.min(32, interval / 3)) * 1000;
}
