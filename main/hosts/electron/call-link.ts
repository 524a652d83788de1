/**
 * Click-to-call links (`sip:`, `sips:`, `tel:`, `callto:`) as the operating system hands them to
 * us, turned into a `calls.dial` target — or refused. A link comes from any web page or document,
 * so it is parsed strictly:
 * - printable ASCII only, bounded length, percent-escapes decoded once and the result checked
 *   again (no CR/LF or spaces smuggled in as `%0d%0a`);
 * - no URI headers: a `?` part would put header fields into our INVITE (RFC 3261 §19.1.5,
 *   e.g. `?Route=` or `?Call-Info=`), so a link carrying one is refused, not trimmed;
 * - no password in the userinfo (RFC 3261 §19.1.1: NOT RECOMMENDED), no fragment;
 * - SIP URI parameters other than `transport` and `user` are dropped (`maddr` would send the
 *   request elsewhere than the host the user is shown);
 * - telephone numbers lose their visual separators (RFC 3966 §5.1.1) and parameters
 *   (`ext`, `isub`, `phone-context`: the account's own context applies).
 */
import { isIP } from 'node:net';

export const callLinkSchemes = ['sip', 'sips', 'tel', 'callto'] as const;
export type CallLinkScheme = (typeof callLinkSchemes)[number];

export interface CallLink {
  readonly scheme: CallLinkScheme;
  /** What `calls.dial` receives: `+15551234`, `*21#`, `alice`, `sip:alice@example.com;transport=tcp`. */
  readonly target: string;
}

export class CallLinkError extends Error {
  override readonly name = 'CallLinkError';
}

const maxLinkLength = 2048;
const maxNumberDigits = 32;
/** RFC 3966 §5.1.1 visual-separator, plus the spaces people paste. */
const visualSeparators = /[-.()\s]/g;
/** RFC 3261 §25.1 unreserved and user-unreserved, without the `;` `?` `:` `@` that delimit parts. */
const userChars = /^[A-Za-z0-9\-_.!~*'()&=+$,/#]{1,128}$/;
const hostLabel = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const keptSipParams: Readonly<Record<string, RegExp>> = { transport: /^(?:udp|tcp|tls|sctp|ws|wss)$/, user: /^(?:phone|ip)$/ };

/** The raw argument that is a call link, if any (first launch argv or a second instance's). */
export function findCallLink(argv: readonly string[]): string | undefined {
  return argv.find(isCallLinkArgument);
}

export function isCallLinkArgument(arg: string): boolean {
  const colon = arg.indexOf(':');
  return colon > 0 && (callLinkSchemes as readonly string[]).includes(arg.slice(0, colon).toLowerCase());
}

export function parseCallLink(link: string): CallLink {
  if (link.length > maxLinkLength) throw new CallLinkError('link too long');
  if (!/^[\x21-\x7e]+$/.test(link)) throw new CallLinkError('link has spaces, control or non-ASCII characters');
  const colon = link.indexOf(':');
  const scheme = link.slice(0, Math.max(colon, 0)).toLowerCase();
  if (!(callLinkSchemes as readonly string[]).includes(scheme)) throw new CallLinkError(`not a call link (${scheme || 'no scheme'})`);
  let rest = link.slice(colon + 1);
  // `#` starts a URL fragment; a dial string's `#` is written %23 (RFC 3966 §5.1.1).
  if (rest.includes('#')) throw new CallLinkError('link has a fragment (write # as %23)');
  if (rest.includes('?')) throw new CallLinkError('link carries URI headers (?…), which are not accepted');
  switch (scheme as CallLinkScheme) {
    case 'tel':
      return { scheme: 'tel', target: telephoneNumber(stripParams(rest)) };
    case 'callto': {
      // callto:+1555…, callto:alice@example.com, callto://alice (the old NetMeeting/Skype form).
      if (rest.startsWith('//')) rest = rest.slice(2);
      rest = rest.replace(/\/$/, '');
      const main = stripParams(rest);
      if (looksLikeNumber(decode(main))) return { scheme: 'callto', target: telephoneNumber(main) };
      if (main.includes('@')) return { scheme: 'callto', target: sipTarget('sip', main) };
      return { scheme: 'callto', target: user(main) };
    }
    case 'sip':
    case 'sips':
      return { scheme: scheme as 'sip' | 'sips', target: sipTarget(scheme as 'sip' | 'sips', rest) };
  }
}

function decode(text: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    throw new CallLinkError('bad percent-encoding');
  }
  if (!/^[\x20-\x7e]*$/.test(decoded)) throw new CallLinkError('link encodes control or non-ASCII characters');
  return decoded;
}

function stripParams(text: string): string {
  const semi = text.indexOf(';');
  return semi < 0 ? text : text.slice(0, semi);
}

function looksLikeNumber(text: string): boolean {
  return /^\+?[0-9*#\-.()\s]+$/.test(text) && /[0-9]/.test(text);
}

/** RFC 3966 §5.1: global (`+` digits) or local (digits, `*`, `#`) number, separators removed. */
function telephoneNumber(encoded: string): string {
  const number = decode(encoded).replace(visualSeparators, '');
  const digits = number.replace(/^\+/, '');
  if (digits.length === 0 || digits.length > maxNumberDigits) throw new CallLinkError('not a telephone number');
  if (number.startsWith('+') ? !/^[0-9]+$/.test(digits) : !/^[0-9*#]+$/.test(digits)) {
    throw new CallLinkError('not a telephone number');
  }
  return number;
}

function user(encoded: string): string {
  const decoded = decode(encoded);
  if (looksLikeNumber(decoded)) return telephoneNumber(encoded);
  if (!userChars.test(decoded)) throw new CallLinkError('the user part has characters a SIP address cannot carry');
  return decoded;
}

function host(text: string): string {
  const bracketed = /^\[([0-9A-Fa-f:.]+)\](?::(\d{1,5}))?$/.exec(text);
  const plain = /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(text);
  const match = bracketed ?? plain;
  if (match === null) throw new CallLinkError('not a valid host');
  const [, name, port] = match;
  if (bracketed !== null ? isIP(name!) !== 6 : !validHostname(name!)) throw new CallLinkError('not a valid host');
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) throw new CallLinkError('port out of range');
  const shown = bracketed !== null ? `[${name!.toLowerCase()}]` : name!.toLowerCase();
  return port === undefined ? shown : `${shown}:${Number(port)}`;
}

function validHostname(name: string): boolean {
  if (isIP(name) === 4) return true;
  const labels = name.replace(/\.$/, '').split('.');
  return name.length <= 253 && labels.every((label) => hostLabel.test(label)) && !/^[0-9]+$/.test(labels.at(-1)!);
}

/** `[user@]host[:port][;params]` → a SIP URI with only the kept parameters. */
function sipTarget(scheme: 'sip' | 'sips', text: string): string {
  const [hostPart, ...params] = text.split(';');
  const at = hostPart!.lastIndexOf('@');
  // A `;` in the user part (`sip:alice;x@host`) would make the host out of the user: refused.
  if (at < 0 && text.includes('@')) throw new CallLinkError('the user part has characters a SIP address cannot carry');
  const userinfo = at < 0 ? undefined : hostPart!.slice(0, at);
  if (userinfo !== undefined && userinfo.includes(':')) throw new CallLinkError('a call link cannot carry a password');
  const kept: string[] = [];
  let phone = false;
  for (const param of params) {
    const [name = '', value = ''] = param.toLowerCase().split('=', 2);
    const allowed = keptSipParams[name];
    if (allowed === undefined) continue;
    if (!allowed.test(value)) throw new CallLinkError(`bad ${name} parameter`);
    if (!kept.some((p) => p.startsWith(`${name}=`))) kept.push(`${name}=${value}`);
    if (name === 'user' && value === 'phone') phone = true;
  }
  let userPart = '';
  if (userinfo !== undefined) {
    if (userinfo === '') throw new CallLinkError('empty user part');
    const decoded = phone || looksLikeNumber(decode(userinfo)) ? telephoneNumber(userinfo) : user(userinfo);
    userPart = `${decoded.replace(/#/g, '%23')}@`;
  }
  return `${scheme}:${userPart}${host(hostPart!.slice(at + 1))}${kept.map((p) => `;${p}`).join('')}`;
}
