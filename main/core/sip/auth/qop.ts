/** Quality of protection (RFC 7616 §3.3, RFC 2617 §3.2.1; RFC 3261 §22.4 allows both values). */

export type Qop = 'auth' | 'auth-int';

/**
 * The qop to answer with, from the values a challenge offers: `auth` whenever offered, since it
 * works whatever proxies do to the body; `auth-int` only when it is all the server accepts.
 * undefined when nothing usable is offered — for an empty list that is the RFC 2069 form
 * (RFC 2617 §3.2.2: no qop, no cnonce, no nc).
 */
export function chooseQop(offered: readonly string[]): Qop | undefined {
  const values = offered.map((q) => q.trim().toLowerCase());
  if (values.includes('auth')) return 'auth';
  if (values.includes('auth-int')) return 'auth-int';
  return undefined;
}
