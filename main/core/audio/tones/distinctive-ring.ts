/**
 * Distinctive ringing from Alert-Info (RFC 3261 §20.4). The header names a ring; we only ever map
 * that name onto what we already have — a local WAV asset or a Bellcore cadence — and never fetch
 * the URI: §20.4 itself warns that Alert-Info URIs are a security risk (a remote party choosing
 * what the phone downloads and plays). Anything unreadable gives the default ring, never a throw.
 *
 * Conventions understood, in the order a header is read:
 *   Alert-Info: <http://127.0.0.1/Bellcore-dr2>          last path segment names the ring
 *   Alert-Info: <Bellcore-dr3>                            bare name in brackets (Asterisk, Broadsoft)
 *   Alert-Info: <http://x/>;info=alert-internal           `info` parameter (Snom, Polycom, FreePBX)
 *   Alert-Info: <urn:alert:source:internal>               RFC 7462 alert URNs (service/source/priority)
 */
import { off, on, validateTonePlan, type TonePlan } from './tone-plan.js';

/** Telcordia GR-506-CORE distinctive ringing patterns, numbered as SIP phones map `Bellcore-drN`. */
export const BELLCORE_RING_NAMES = ['Bellcore-dr1', 'Bellcore-dr2', 'Bellcore-dr3', 'Bellcore-dr4', 'Bellcore-dr5'] as const;
export type BellcoreRing = (typeof BELLCORE_RING_NAMES)[number];

/**
 * The cadences are GR-506's; the sound is ours: 440+480 Hz, the North American audible-ringing
 * pair, so a cadence rendered locally still sounds like "a phone ringing".
 */
const RING = [440, 480] as const;
const ring = (ms: number) => on(ms, ...RING);
const BELLCORE_SOURCE = 'Telcordia GR-506-CORE distinctive ringing (SIP phones\u2019 Bellcore-dr1..5)';
const bellcore = (name: BellcoreRing, segments: TonePlan['segments'], repeat = true): TonePlan =>
  validateTonePlan({ name, source: BELLCORE_SOURCE, segments, repeat });

export const BELLCORE_RINGS: Readonly<Record<BellcoreRing, TonePlan>> = {
  // Standard ring: 2 s on, 4 s off.
  'Bellcore-dr1': bellcore('Bellcore-dr1', [ring(2000), off(4000)]),
  // "Long-long".
  'Bellcore-dr2': bellcore('Bellcore-dr2', [ring(800), off(400), ring(800), off(4000)]),
  // "Short-short-long".
  'Bellcore-dr3': bellcore('Bellcore-dr3', [ring(400), off(200), ring(400), off(200), ring(800), off(4000)]),
  // "Short-long-short".
  'Bellcore-dr4': bellcore('Bellcore-dr4', [ring(300), off(200), ring(1000), off(200), ring(300), off(4000)]),
  // Ring splash: one short burst, not repeated.
  'Bellcore-dr5': bellcore('Bellcore-dr5', [ring(500), off(500)], false),
};

export type RingtoneChoice =
  | { readonly kind: 'asset'; readonly name: string }
  | { readonly kind: 'cadence'; readonly name: BellcoreRing; readonly plan: TonePlan }
  | { readonly kind: 'default' };

/** Headers longer than this are not read at all (a ring name fits in far less). */
const MAX_HEADER_LENGTH = 2048;
/** At most this many alert-params are looked at. */
const MAX_PARAMS = 8;
/** A ring name: a plain token, so it can never be a path, a URL or markup. */
const RING_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** RFC 7462 §4: `urn:alert:<indication>[:<value>]`; we keep the most specific part as a name. */
function urnNames(urn: string): string[] {
  const parts = urn.split(':').slice(2); // drop "urn:alert"
  const [category, ...rest] = parts;
  if (category === undefined || rest.length === 0) return [];
  const value = rest.join('-');
  return [`${category}-${value}`, value];
}

/** The names a URI offers: for URNs their indication, otherwise the last path segment without its extension. */
function uriNames(uri: string): string[] {
  const trimmed = uri.trim();
  if (/^urn:alert:/i.test(trimmed)) return urnNames(trimmed.toLowerCase());
  const withoutQuery = trimmed.split(/[?#]/, 1)[0] ?? '';
  const segments = withoutQuery.split('/').filter((s) => s !== '');
  const last = segments[segments.length - 1];
  if (last === undefined) return [];
  // `<http://host>` names only a host; a bare `<Bellcore-dr1>` has no scheme and is a name.
  if (segments.length === 2 && /^[a-z][a-z0-9+.-]*:$/i.test(segments[0] ?? '')) return [];
  let name: string;
  try {
    name = decodeURIComponent(last);
  } catch {
    return [];
  }
  return [name.replace(/\.(wav|mp3|ogg|au|raw)$/i, '')];
}

/** Splits at commas that are outside `<…>` and quotes (RFC 3261 §7.3.1 header lists). */
function splitParams(header: string): string[] {
  const params: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const c of header) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '<') depth++;
    else if (!quoted && c === '>') depth = Math.max(0, depth - 1);
    if (c === ',' && depth === 0 && !quoted) {
      params.push(current);
      current = '';
    } else current += c;
  }
  params.push(current);
  return params.slice(0, MAX_PARAMS);
}

/** Candidate ring names from one header value, most specific first. */
export function alertInfoNames(alertInfo: string | undefined): string[] {
  if (typeof alertInfo !== 'string' || alertInfo.length > MAX_HEADER_LENGTH) return [];
  // RFC 3261 §25.1: a header value holds no control characters but HTAB (folding is undone by
  // the parser); one that does was not parsed by us, so trust none of it.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(alertInfo)) return [];
  const names: string[] = [];
  for (const param of splitParams(alertInfo)) {
    const open = param.indexOf('<');
    const close = param.indexOf('>', open + 1);
    const uri = open >= 0 && close > open ? param.slice(open + 1, close) : undefined;
    const rest = uri === undefined ? param : param.slice(close + 1);
    // generic-params after the URI (RFC 3261 §25.1): `;info=alert-internal`, `;info="ring2"`.
    for (const generic of rest.split(';')) {
      const [key, value] = generic.split('=', 2).map((s) => s.trim());
      if (key?.toLowerCase() === 'info' && value !== undefined) names.push(value.replace(/^"(.*)"$/, '$1'));
    }
    if (uri !== undefined) names.push(...uriNames(uri));
    // Not RFC 3261 but seen in the wild: a bare token without brackets (filtered below).
    else names.push(rest.split(';')[0]?.trim() ?? '');
  }
  return names.filter((name) => RING_NAME.test(name));
}

const normalise = (name: string) => name.toLowerCase().replace(/\.wav$/, '');
const withoutAlertPrefix = (name: string) => name.replace(/^alert-/, '');

/**
 * Which ring to play for an incoming INVITE. `available` are the asset names the user has (file
 * names without `.wav`); a match returns that exact entry. Then `Bellcore-drN` (any case) maps to
 * its cadence. Everything else — no header, an unknown name, a hostile or malformed value — is the
 * default ring.
 */
export function chooseRingtone(alertInfo: string | undefined, available: readonly string[]): RingtoneChoice {
  const assets = new Map<string, string>();
  for (const name of available) if (typeof name === 'string' && RING_NAME.test(name)) assets.set(normalise(name), name);
  for (const candidate of alertInfoNames(alertInfo)) {
    const key = normalise(candidate);
    const asset = assets.get(key) ?? assets.get(withoutAlertPrefix(key));
    if (asset !== undefined) return { kind: 'asset', name: asset };
    const name = BELLCORE_RING_NAMES.find((ring) => ring.toLowerCase() === key);
    if (name !== undefined) return { kind: 'cadence', name, plan: BELLCORE_RINGS[name] };
  }
  return { kind: 'default' };
}
