/** A contact's presence in one line, from PIDF + RPID documents. */
import { describe, expect, it } from 'vitest';
import { formatPidf, parsePidf, summarizePresence, type PresenceDocument } from '../../../../../main/core/sip/events/index.js';

describe('summarizePresence', () => {
  it('on the phone: open, with the activity', () => {
    const doc = parsePidf(formatPidf({ entity: 'sip:bob@example.com', basic: 'open', activities: ['on-the-phone'], note: 'In a call' }));
    expect(summarizePresence(doc)).toEqual({ basic: 'open', activities: ['on-the-phone'], note: 'In a call' });
  });

  it('offline: every tuple closed', () => {
    expect(summarizePresence(parsePidf(formatPidf({ entity: 'sip:bob@example.com', basic: 'closed' })))).toEqual({ basic: 'closed', activities: [], note: undefined });
  });

  it('one open tuple is enough; notes in the preferred language; tuple activities as a fallback', () => {
    const doc: PresenceDocument = {
      entity: 'sip:bob@example.com',
      tuples: [
        { id: 'a', basic: 'closed', notes: [{ text: 'Away', lang: 'en' }], activities: ['away'] },
        { id: 'b', basic: 'open', notes: [{ text: 'Absent', lang: 'fr-CA' }], activities: [] },
      ],
      persons: [],
      notes: [],
    };
    expect(summarizePresence(doc, 'fr')).toEqual({ basic: 'open', activities: ['away'], note: 'Absent' });
    expect(summarizePresence(doc).note).toBe('Away');
  });

  it('no tuples: unknown', () => {
    expect(summarizePresence({ entity: 'sip:x@y', tuples: [], persons: [], notes: [] }).basic).toBe('unknown');
  });
});
