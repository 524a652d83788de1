import { describe, expect, it } from 'vitest';
import { defaultParseLimits } from '../../../../../main/core/sip/index.js';
import { findHeaderSectionEnd, splitHeaderSection } from '../../../../../main/core/sip/messages/header-section.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('the header section (RFC 3261 §7)', () => {
  it('ends at the first empty line, CRLF or bare LF', () => {
    expect(findHeaderSectionEnd(bytes('A\r\nB: c\r\n\r\nbody'), 0, 15)).toEqual({ end: 9, bodyStart: 11 });
    expect(findHeaderSectionEnd(bytes('A\nB: c\n\nbody'), 0, 12)).toEqual({ end: 7, bodyStart: 8 });
    expect(findHeaderSectionEnd(bytes('A\nB: c\n\r\nbody'), 0, 13)).toEqual({ end: 7, bodyStart: 9 });
    expect(findHeaderSectionEnd(bytes('A\r\nB: c\r\n'), 0, 10)).toBeUndefined();
    expect(findHeaderSectionEnd(bytes('A\r\nB: c\r\n\r'), 0, 11)).toBeUndefined();
  });

  it('splits the start-line and fields, keeping each field as received', () => {
    const { startLine, fields } = splitHeaderSection('INVITE sip:a@b SIP/2.0\r\nSubject : one\r\n two \r\nv:x\r\n', defaultParseLimits);
    expect(startLine).toBe('INVITE sip:a@b SIP/2.0');
    expect(fields.map((f) => [f.name, f.value, f.key, f.raw])).toEqual([
      ['Subject', 'one two', 'subject', 'Subject : one\r\n two '],
      ['v', 'x', 'via', 'v:x'],
    ]);
  });

  it('counts a folded field once against the header limit and checks its whole length', () => {
    const limits = { ...defaultParseLimits, maxHeaders: 1, maxHeaderLength: 20 };
    expect(splitHeaderSection('A\r\nX: 1\r\n 2\r\n', limits).fields).toHaveLength(1);
    expect(() => splitHeaderSection('A\r\nX: 1\r\nY: 2\r\n', limits)).toThrow(expect.objectContaining({ code: 'too_many_headers' }));
    expect(() => splitHeaderSection('A\r\nX: 1234567890\r\n 1234567890\r\n', limits)).toThrow(expect.objectContaining({ code: 'header_too_long' }));
  });
});
