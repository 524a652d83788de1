/** simple-message-summary (RFC 3842 §5.2); fixtures typed after the examples of RFC 3842 §7. */
import { describe, expect, it } from 'vitest';
import { EventBodyError, formatMessageSummary, parseMessageSummary } from '../../../../../main/core/sip/events/index.js';

/** After RFC 3842 §7 (the NOTIFY to Alice): account, voice counts with urgent ones. */
const RFC3842_EXAMPLE = 'Messages-Waiting: yes\r\nMessage-Account: sip:alice@vmail.example.com\r\nVoice-Message: 2/8 (0/2)\r\n';

/** After RFC 3842 §5.2: optional message headers after an empty line. */
const WITH_HEADERS =
  'Messages-Waiting: yes\r\nVoice-Message: 4/8 (1/2)\r\n\r\nTo: <alice@atlanta.example.com>\r\nFrom: <bob@biloxi.example.com>\r\nSubject: carpool tomorrow?\r\nDate: Sun, 09 May 2004 16:55:56 -0600\r\nPriority: normal\r\nMessage-ID: 13784434989@vmail.example.com\r\n';

describe('parseMessageSummary (RFC 3842)', () => {
  it('reads the RFC example', () => {
    expect(parseMessageSummary(RFC3842_EXAMPLE)).toEqual({
      messagesWaiting: true,
      account: 'sip:alice@vmail.example.com',
      counts: { 'voice-message': { newMessages: 2, oldMessages: 8, newUrgent: 0, oldUrgent: 2 } },
      headers: [],
    });
  });

  it('reads the optional message headers', () => {
    const summary = parseMessageSummary(WITH_HEADERS);
    expect(summary.counts['voice-message']).toEqual({ newMessages: 4, oldMessages: 8, newUrgent: 1, oldUrgent: 2 });
    expect(summary.headers[2]).toEqual(['Subject', 'carpool tomorrow?']);
    expect(summary.headers).toHaveLength(6);
  });

  it('is tolerant of case, LF line ends, spaces, other classes and no counts', () => {
    const summary = parseMessageSummary('messages-waiting: NO\nfax-message: 0/1\nX-Vendor-Class: 3 / 4\n');
    expect(summary.messagesWaiting).toBe(false);
    expect(summary.counts).toEqual({ 'fax-message': { newMessages: 0, oldMessages: 1 }, 'x-vendor-class': { newMessages: 3, oldMessages: 4 } });
    expect(parseMessageSummary('Messages-Waiting: no').counts).toEqual({});
  });

  it.each([
    ['an empty body', ''],
    ['no status line first', 'Voice-Message: 1/2\r\nMessages-Waiting: yes\r\n'],
    ['a bad status', 'Messages-Waiting: maybe\r\n'],
    ['bad counts', 'Messages-Waiting: yes\r\nVoice-Message: two/8\r\n'],
    ['negative counts', 'Messages-Waiting: yes\r\nVoice-Message: -1/8\r\n'],
    ['a half urgent part', 'Messages-Waiting: yes\r\nVoice-Message: 1/8 (1)\r\n'],
    ['a huge count', 'Messages-Waiting: yes\r\nVoice-Message: 99999999999/8\r\n'],
    ['a bad account', 'Messages-Waiting: yes\r\nMessage-Account: not a uri\r\n'],
    ['a line without colon', 'Messages-Waiting: yes\r\nhello\r\n'],
  ])('refuses %s', (_what, body) => {
    expect(() => parseMessageSummary(body)).toThrow(EventBodyError);
  });

  it('refuses a body over the limit with 413', () => {
    expect(() => parseMessageSummary(`Messages-Waiting: yes\r\n\r\nX: ${'a'.repeat(9000)}`)).toThrow(expect.objectContaining({ statusCode: 413 }));
  });
});

describe('formatMessageSummary', () => {
  it('writes the RFC example byte for byte', () => {
    expect(formatMessageSummary({ messagesWaiting: true, account: 'sip:alice@vmail.example.com', counts: { 'voice-message': { newMessages: 2, oldMessages: 8, newUrgent: 0, oldUrgent: 2 } } })).toBe(
      RFC3842_EXAMPLE,
    );
  });

  it('round-trips', () => {
    const summary = { messagesWaiting: false, counts: { 'voice-message': { newMessages: 0, oldMessages: 3 } } };
    expect(parseMessageSummary(formatMessageSummary(summary))).toEqual({ ...summary, headers: [] });
  });
});
