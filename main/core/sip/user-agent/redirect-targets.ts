/**
 * §8.1.3.4: "the client SHOULD use the Contact header field values of the 3xx response ...
 * ordered by their q parameter values" (highest first, §16.6's rule; no q counts as 1.0), and
 * §8.1.3.4 again: targets already tried are not tried again, which keeps redirect loops finite.
 */
import { Contact, type SipResponse } from '../messages/index.js';
import type { Uri } from '../uri/index.js';

export function redirectTargets(response: SipResponse, tried: ReadonlySet<string>): Uri[] {
  const contacts = response.contacts.filter((c): c is Contact => c instanceof Contact);
  const ranked = contacts.map((contact, index) => ({ contact, index, q: qOf(contact) }));
  ranked.sort((a, b) => b.q - a.q || a.index - b.index);
  const seen = new Set(tried);
  const targets: Uri[] = [];
  for (const { contact } of ranked) {
    const key = contact.uri.toString();
    if (seen.has(key)) continue;
    seen.add(key);
    targets.push(contact.uri);
  }
  return targets;
}

function qOf(contact: Contact): number {
  try {
    return contact.q ?? 1;
  } catch {
    // A malformed q ranks last rather than making the whole redirect unusable.
    return 0;
  }
}
