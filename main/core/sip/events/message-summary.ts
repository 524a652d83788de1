/**
 * application/simple-message-summary (RFC 3842 §5.2): the body of the "message-summary" event
 * package — the message-waiting indicator.
 *
 *   message-summary  = msg-status-line CRLF [msg-account CRLF] [*(msg-summary-line CRLF)]
 *                      [ *opt-msg-headers ]
 *   msg-status-line  = "Messages-Waiting" HCOLON msg-status      msg-status = "yes" / "no"
 *   msg-account      = "Message-Account" HCOLON absoluteURI
 *   msg-summary-line = message-context-class HCOLON newmsgs SLASH oldmsgs
 *                      [ LPAREN new-urgentmsgs SLASH old-urgentmsgs RPAREN ]
 *   opt-msg-headers  = CRLF 1*(extension-header CRLF)
 *
 * message-context-class (RFC 3458 §3.2): voice-message, fax-message, pager-message,
 * multimedia-message, text-message, none. Names are case-insensitive; unknown classes and lines
 * are kept (tolerant of the many servers that add their own), a malformed known line is refused.
 */
import { bodyText } from './body-limits.js';
import { malformedBody } from './event-body-error.js';

export const MESSAGE_SUMMARY_CONTENT_TYPE = 'application/simple-message-summary';

/** A summary is a few lines: 8 KiB leaves room for the optional message headers. */
export const maxMessageSummaryBytes = 8 * 1024;

const MAX_COUNT = 0xffffffff;

export interface MessageCounts {
  readonly newMessages: number;
  readonly oldMessages: number;
  readonly newUrgent?: number;
  readonly oldUrgent?: number;
}

export interface MessageSummary {
  readonly messagesWaiting: boolean;
  readonly account?: string;
  /** By message-context-class in lower case, e.g. "voice-message". */
  readonly counts: Readonly<Record<string, MessageCounts>>;
  /** The optional message headers after the empty line (§5.2), as `[name, value]`. */
  readonly headers: readonly (readonly [string, string])[];
}

const COUNTS = /^([0-9]{1,10})\s*\/\s*([0-9]{1,10})(?:\s*\(\s*([0-9]{1,10})\s*\/\s*([0-9]{1,10})\s*\))?$/;

export function parseMessageSummary(body: Uint8Array | string, maxBytes = maxMessageSummaryBytes): MessageSummary {
  const lines = bodyText(body, 'message-summary', maxBytes).split(/\r?\n/);
  let waiting: boolean | undefined;
  let account: string | undefined;
  const counts: Record<string, MessageCounts> = {};
  const headers: [string, string][] = [];
  let inHeaders = false;
  for (const line of lines) {
    if (line.trim() === '') {
      if (waiting !== undefined) inHeaders = true;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw malformedBody('message-summary', 'a line without ":"');
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (!/^[!%'*+\-.0-9A-Z_`a-z~]+$/.test(name)) throw malformedBody('message-summary', 'bad header name');
    if (inHeaders) {
      headers.push([name, value]);
      continue;
    }
    const key = name.toLowerCase();
    if (waiting === undefined) {
      // §5.2: the status line comes first.
      if (key !== 'messages-waiting') throw malformedBody('message-summary', 'no Messages-Waiting line first');
      const status = value.toLowerCase();
      if (status !== 'yes' && status !== 'no') throw malformedBody('message-summary', 'Messages-Waiting is neither yes nor no');
      waiting = status === 'yes';
      continue;
    }
    if (key === 'message-account') {
      if (!/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(value)) throw malformedBody('message-summary', 'Message-Account is no absolute URI');
      account = value;
      continue;
    }
    const match = COUNTS.exec(value);
    if (match === null) throw malformedBody('message-summary', `bad counts for ${key.slice(0, 32)}`);
    const numbers = match.slice(1).map((n) => (n === undefined ? undefined : Number(n)));
    if (numbers.some((n) => n !== undefined && n > MAX_COUNT)) throw malformedBody('message-summary', 'count too large');
    counts[key] = {
      newMessages: numbers[0]!,
      oldMessages: numbers[1]!,
      ...(numbers[2] === undefined ? {} : { newUrgent: numbers[2], oldUrgent: numbers[3]! }),
    };
  }
  if (waiting === undefined) throw malformedBody('message-summary', 'empty body');
  return { messagesWaiting: waiting, ...(account === undefined ? {} : { account }), counts, headers };
}

const CLASS_NAMES: Readonly<Record<string, string>> = {
  'voice-message': 'Voice-Message',
  'fax-message': 'Fax-Message',
  'pager-message': 'Pager-Message',
  'multimedia-message': 'Multimedia-Message',
  'text-message': 'Text-Message',
  none: 'None',
};

/** The body a notifier (a voicemail server, or we in tests) sends (§5.2). */
export function formatMessageSummary(summary: Omit<MessageSummary, 'headers'>): string {
  let text = `Messages-Waiting: ${summary.messagesWaiting ? 'yes' : 'no'}\r\n`;
  if (summary.account !== undefined) text += `Message-Account: ${summary.account}\r\n`;
  for (const [cls, c] of Object.entries(summary.counts)) {
    const urgent = c.newUrgent === undefined ? '' : ` (${c.newUrgent}/${c.oldUrgent ?? 0})`;
    text += `${CLASS_NAMES[cls] ?? cls}: ${c.newMessages}/${c.oldMessages}${urgent}\r\n`;
  }
  return text;
}
