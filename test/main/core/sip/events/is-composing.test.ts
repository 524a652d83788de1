/** isComposing (RFC 3994); fixtures typed after the examples of RFC 3994 §6. */
import { describe, expect, it } from 'vitest';
import { EventBodyError, activeTimeoutSeconds, formatIsComposing, parseIsComposing } from '../../../../../main/core/sip/events/index.js';

/** After RFC 3994 §6: active, with content type and refresh. */
const ACTIVE = `<?xml version="1.0" encoding="UTF-8"?>
<isComposing xmlns="urn:ietf:params:xml:ns:im-iscomposing"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="urn:ietf:params:xml:ns:im-composing iscomposing.xsd">
  <state>active</state>
  <contenttype>text/plain</contenttype>
  <refresh>90</refresh>
</isComposing>
`;

/** After RFC 3994 §6: idle, with the time of last activity. */
const IDLE = `<?xml version="1.0" encoding="UTF-8"?>
<isComposing xmlns="urn:ietf:params:xml:ns:im-iscomposing">
  <state>idle</state>
  <lastactive>2003-01-27T10:43:00Z</lastactive>
  <contenttype>audio</contenttype>
</isComposing>
`;

describe('parseIsComposing (RFC 3994)', () => {
  it('reads an active indication with refresh', () => {
    const indication = parseIsComposing(ACTIVE);
    expect(indication).toEqual({ state: 'active', contentType: 'text/plain', refresh: 90 });
    expect(activeTimeoutSeconds(indication)).toBe(90);
  });

  it('reads an idle indication with lastactive', () => {
    expect(parseIsComposing(IDLE)).toEqual({ state: 'idle', lastActive: '2003-01-27T10:43:00Z', contentType: 'audio' });
  });

  it('an active indication without refresh holds 120 s (§4)', () => {
    expect(activeTimeoutSeconds(parseIsComposing(ACTIVE.replace('<refresh>90</refresh>', '')))).toBe(120);
  });

  it.each([
    ['another state', ACTIVE.replace('<state>active', '<state>typing')],
    ['no state', ACTIVE.replace('<state>active</state>', '')],
    ['a zero refresh', ACTIVE.replace('90', '0')],
    ['a bad refresh', ACTIVE.replace('90', 'soon')],
    ['a bad lastactive', IDLE.replace('2003-01-27T10:43:00Z', 'yesterday')],
    ['the wrong namespace', ACTIVE.replace('urn:ietf:params:xml:ns:im-iscomposing"', 'urn:example"')],
    ['not XML', 'active'],
  ])('refuses %s', (_what, body) => {
    expect(() => parseIsComposing(body)).toThrow(EventBodyError);
  });

  it('refuses a body over the limit with 413', () => {
    expect(() => parseIsComposing(ACTIVE.replace('</isComposing>', `<!--${'x'.repeat(5000)}--></isComposing>`))).toThrow(expect.objectContaining({ statusCode: 413 }));
  });
});

describe('formatIsComposing', () => {
  it('writes indications that read back', () => {
    const active = { state: 'active', contentType: 'text/plain', refresh: 60 } as const;
    expect(parseIsComposing(formatIsComposing(active))).toEqual(active);
    const idle = { state: 'idle', lastActive: '2026-11-22T02:00:00Z' } as const;
    expect(parseIsComposing(formatIsComposing(idle))).toEqual(idle);
  });
});
