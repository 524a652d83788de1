/**
 * PIDF (RFC 3863) and RPID (RFC 4480). The fixtures are typed after the RFCs' examples
 * (RFC 3863 §6, RFC 4480 §4) and what common phones send.
 */
import { describe, expect, it } from 'vitest';
import { EventBodyError, formatPidf, parsePidf } from '../../../../../main/core/sip/events/index.js';

/** After RFC 3863 §6: two tuples, an IM extension element, notes in two languages. */
const RFC3863_EXAMPLE = `<?xml version="1.0" encoding="UTF-8"?>
<impp:presence xmlns:impp="urn:ietf:params:xml:ns:pidf"
    xmlns:im="urn:ietf:params:xml:ns:pidf:im"
    xmlns:myex="http://id.example.com/presence/"
    entity="pres:someone@example.com">
  <impp:tuple id="bs35r9">
    <impp:status>
      <impp:basic>open</impp:basic>
      <im:im>busy</im:im>
      <myex:location>home</myex:location>
    </impp:status>
    <impp:contact priority="0.8">im:someone@mobilecarrier.net</impp:contact>
    <impp:note xml:lang="en">Don't Disturb Please!</impp:note>
    <impp:note xml:lang="fr">Ne d&#233;rangez pas, s'il vous plait</impp:note>
    <impp:timestamp>2001-10-27T16:49:29Z</impp:timestamp>
  </impp:tuple>
  <impp:tuple id="eg92n8">
    <impp:status>
      <impp:basic>open</impp:basic>
    </impp:status>
    <impp:contact priority="1.0">mailto:someone@example.com</impp:contact>
  </impp:tuple>
  <impp:note>I'll be in Tokyo next week</impp:note>
</impp:presence>
`;

/** After RFC 4480 §4: a person with activities, mood and a note; a tuple with user-input. */
const RFC4480_EXAMPLE = `<?xml version="1.0" encoding="UTF-8"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf"
    xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
    xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid"
    entity="pres:someone@example.com">
  <tuple id="bs35r9">
    <status>
      <basic>open</basic>
    </status>
    <rpid:user-input idle-threshold="600" last-input="2004-10-21T13:20:00.000-05:00">idle</rpid:user-input>
    <contact priority="0.8">im:someone@mobilecarrier.net</contact>
    <timestamp>2005-05-30T22:00:29Z</timestamp>
  </tuple>
  <dm:person id="p1">
    <rpid:activities from="2005-05-30T12:00:00+05:00" until="2005-05-30T17:00:00+05:00">
      <rpid:note>Far away</rpid:note>
      <rpid:away/>
    </rpid:activities>
    <rpid:class>calendar</rpid:class>
    <rpid:mood>
      <rpid:angry/>
      <rpid:other>brooding</rpid:other>
    </rpid:mood>
    <dm:note>Scoring 120</dm:note>
  </dm:person>
</presence>
`;

/** What a desk phone sends while in a call: on-the-phone plus a free-text activity. */
const PHONE_ON_CALL = `<?xml version="1.0"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="sip:bob@example.com">
<tuple id="t1"><status><basic>open</basic></status><contact>sip:bob@192.0.2.10</contact></tuple>
<dm:person id="p1"><rpid:activities><rpid:on-the-phone/><rpid:busy/><rpid:other>in a meeting room</rpid:other></rpid:activities></dm:person>
</presence>`;

describe('parsePidf (RFC 3863)', () => {
  it('reads the RFC 3863 example: entity, tuples, basic, contact priority, notes with languages', () => {
    const doc = parsePidf(RFC3863_EXAMPLE);
    expect(doc.entity).toBe('pres:someone@example.com');
    expect(doc.tuples).toHaveLength(2);
    expect(doc.tuples[0]).toEqual({
      id: 'bs35r9',
      basic: 'open',
      contact: { uri: 'im:someone@mobilecarrier.net', priority: 0.8 },
      notes: [
        { text: "Don't Disturb Please!", lang: 'en' },
        { text: "Ne dérangez pas, s'il vous plait", lang: 'fr' },
      ],
      timestamp: '2001-10-27T16:49:29Z',
      activities: [],
    });
    expect(doc.tuples[1]!.contact).toEqual({ uri: 'mailto:someone@example.com', priority: 1 });
    expect(doc.notes).toEqual([{ text: "I'll be in Tokyo next week" }]);
    expect(doc.persons).toEqual([]);
  });

  it('reads RPID activities from the person (RFC 4480 §3.2), ignoring mood and unknown elements', () => {
    const doc = parsePidf(RFC4480_EXAMPLE);
    expect(doc.persons).toEqual([{ id: 'p1', activities: ['away'], otherActivities: [], notes: [{ text: 'Scoring 120' }] }]);
    expect(doc.tuples[0]!.basic).toBe('open');
  });

  it('reads on-the-phone, busy and an <other> activity', () => {
    const doc = parsePidf(new TextEncoder().encode(PHONE_ON_CALL));
    expect(doc.persons[0]!.activities).toEqual(['on-the-phone', 'busy']);
    expect(doc.persons[0]!.otherActivities).toEqual(['in a meeting room']);
  });

  it.each(['meal', 'vacation', 'away', 'busy', 'on-the-phone', 'sleeping', 'unknown'])('reads the activity %s', (activity) => {
    const doc = parsePidf(PHONE_ON_CALL.replace('<rpid:on-the-phone/><rpid:busy/>', `<rpid:${activity}/>`));
    expect(doc.persons[0]!.activities).toEqual([activity]);
  });

  it('a tuple without basic is allowed (§4.1.4 makes it optional)', () => {
    const doc = parsePidf('<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b"><tuple id="x"><status/></tuple></presence>');
    expect(doc.tuples[0]!.basic).toBeUndefined();
  });

  it.each([
    ['another root', '<presence entity="sip:a@b"/>'],
    ['no entity', '<presence xmlns="urn:ietf:params:xml:ns:pidf"/>'],
    ['a tuple without id', '<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b"><tuple><status/></tuple></presence>'],
    ['a tuple without status', '<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b"><tuple id="x"/></presence>'],
    ['a bad basic', '<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b"><tuple id="x"><status><basic>maybe</basic></status></tuple></presence>'],
    ['a bad priority', '<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b"><tuple id="x"><status/><contact priority="2">sip:a@b</contact></tuple></presence>'],
    ['a person without id', '<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" entity="sip:a@b"><dm:person/></presence>'],
    ['entity expansion', '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><presence xmlns="urn:ietf:params:xml:ns:pidf" entity="&lol2;"/>'],
    ['truncated XML', RFC3863_EXAMPLE.slice(0, 300)],
  ])('refuses %s with an EventBodyError (400)', (_what, body) => {
    expect(() => parsePidf(body)).toThrow(EventBodyError);
  });

  it('refuses a body over the limit with 413', () => {
    try {
      parsePidf(RFC3863_EXAMPLE, 200);
      expect.unreachable();
    } catch (error) {
      expect((error as EventBodyError).statusCode).toBe(413);
    }
  });
});

describe('formatPidf', () => {
  it('writes our presence with RPID activities, which reads back', () => {
    const text = formatPidf({
      entity: 'sip:alice@example.com',
      basic: 'open',
      contact: 'sip:alice@192.0.2.1:5060',
      note: 'On a call <with> "bob" & co',
      activities: ['on-the-phone'],
      timestamp: '2026-11-22T02:00:00Z',
    });
    expect(text).toContain('<rpid:on-the-phone/>');
    const doc = parsePidf(text);
    expect(doc.entity).toBe('sip:alice@example.com');
    expect(doc.tuples).toEqual([
      {
        id: 't1',
        basic: 'open',
        contact: { uri: 'sip:alice@192.0.2.1:5060' },
        notes: [{ text: 'On a call <with> "bob" & co' }],
        timestamp: '2026-11-22T02:00:00Z',
        activities: [],
      },
    ]);
    expect(doc.persons).toEqual([{ id: 'p1', activities: ['on-the-phone'], otherActivities: [], notes: [] }]);
  });

  it('offline: closed and no person', () => {
    const doc = parsePidf(formatPidf({ entity: 'sip:alice@example.com', basic: 'closed' }));
    expect(doc.tuples[0]!.basic).toBe('closed');
    expect(doc.persons).toEqual([]);
  });
});
