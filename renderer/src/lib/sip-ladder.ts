/**
 * The SIP log as a ladder diagram (as sngrep draws one): the parties as columns, each message an
 * arrow between two of them, labelled with its method or status. Pure functions over the
 * `log.sip` entries, so the diagram, the filters and the text export are tested without Svelte.
 * Everything here is plain text taken from the messages: the view renders it as text only.
 */
import type { SipLogEntry } from '../../../shared/model.js';

/** How a message is drawn: requests, then responses by class (RFC 3261 §7.2). */
export type MessageKind = 'request' | 'provisional' | 'success' | 'redirect' | 'error' | 'malformed';

export interface MessageSummary {
  kind: MessageKind;
  /** The request's method, or the method a response answers (from its CSeq). */
  method: string;
  status?: number;
  /** `INVITE`, `180 Ringing`, `200 OK`… with ` (SDP)` when a session description is carried. */
  label: string;
}

/** A header's first value, by its full or compact name (RFC 3261 §7.3.3), case-insensitive. */
export function headerValue(text: string, name: string, compact?: string): string | undefined {
  const head = text.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const names = compact === undefined ? [name.toLowerCase()] : [name.toLowerCase(), compact];
  for (const line of head.split(/\r?\n/).slice(1)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    if (names.includes(line.slice(0, colon).trim().toLowerCase())) return line.slice(colon + 1).trim();
  }
  return undefined;
}

const statusLine = /^SIP\/2\.0[ \t]+(\d{3})(?:[ \t]+(.*))?$/;

export function summarize(entry: Pick<SipLogEntry, 'firstLine' | 'text' | 'error'>): MessageSummary {
  const cseqMethod = headerValue(entry.text, 'CSeq')?.split(/\s+/)[1]?.toUpperCase();
  const sdp = /^application\/sdp\b/i.test(headerValue(entry.text, 'Content-Type', 'c') ?? '') ? ' (SDP)' : '';
  const response = statusLine.exec(entry.firstLine);
  if (response !== null) {
    const status = Number(response[1]);
    const kind: MessageKind = status < 200 ? 'provisional' : status < 300 ? 'success' : status < 400 ? 'redirect' : 'error';
    const reason = response[2]?.trim() ?? '';
    return { kind, method: cseqMethod ?? '', status, label: `${status}${reason === '' ? '' : ` ${reason}`}${sdp}` };
  }
  const method = /^([A-Za-z]+)[ \t]/.exec(entry.firstLine)?.[1]?.toUpperCase();
  if (method === undefined || entry.error !== undefined) {
    return { kind: 'malformed', method: method ?? cseqMethod ?? '', label: method ?? (entry.firstLine.slice(0, 40) || 'Malformed') };
  }
  return { kind: 'request', method, label: `${method}${sdp}` };
}

/** The log's entries by SIP Call-ID, in the order each dialog first appeared (entries without one left out). */
export function groupByCallId(log: readonly SipLogEntry[]): Map<string, SipLogEntry[]> {
  const groups = new Map<string, SipLogEntry[]>();
  for (const entry of log) {
    if (entry.callId === undefined) continue;
    const group = groups.get(entry.callId);
    if (group === undefined) groups.set(entry.callId, [entry]);
    else group.push(entry);
  }
  return groups;
}

/** `user@host` of a SIP URI or name-addr (`"Bob" <sip:bob@lab.test:5060;x>;tag=1` → `bob@lab.test`), lower-cased host. */
export function addressKey(value: string): { user: string; host: string } | undefined {
  const uri = /<([^>]*)>/.exec(value)?.[1] ?? value.split(/[;\s]/)[0] ?? '';
  const match = /^(?:sips?|tel):(?:([^@;?]*)@)?([^;?>:]+|\[[^\]]+\])/i.exec(uri.trim());
  if (match === null) return undefined;
  return { user: decodeURIComponent(match[1] ?? ''), host: (match[2] ?? '').toLowerCase() };
}

/** What a call or a history entry offers for finding its SIP dialog. */
export interface CallSummary {
  direction: 'incoming' | 'outgoing';
  remote: { uri: string };
  startedAt: number;
}

/**
 * The SIP Call-ID of a call, which the core's `CallView` and `HistoryEntry` do not carry (their
 * id is the core's own). Heuristic: among the initial INVITEs in the log (no To tag) sent by us
 * for an outgoing call, received for an incoming one, take those whose far end (To of what we
 * sent, From of what we received) is the call's remote party — same user and host, else same
 * user (a number reached through another host name) — and of those the one nearest in time to
 * the call's start. With no address match at all, an INVITE within 2 s of the start is taken.
 * `undefined` when the log holds nothing that fits (the log keeps the last messages only).
 */
export function callIdOf(log: readonly SipLogEntry[], call: CallSummary): string | undefined {
  const wanted = addressKey(call.remote.uri);
  const direction = call.direction === 'outgoing' ? 'out' : 'in';
  let best: { callId: string; score: number; distance: number } | undefined;
  for (const entry of log) {
    if (entry.direction !== direction || entry.callId === undefined || !/^INVITE[ \t]/i.test(entry.firstLine)) continue;
    const to = headerValue(entry.text, 'To', 't') ?? '';
    if (/;\s*tag=/i.test(to)) continue; // a re-INVITE within a dialog, not the call's first
    const far = addressKey(direction === 'out' ? to : (headerValue(entry.text, 'From', 'f') ?? ''));
    const score = wanted === undefined || far === undefined ? 0 : far.user === wanted.user ? (far.host === wanted.host ? 2 : 1) : 0;
    const distance = Math.abs(entry.at - call.startedAt);
    if (score === 0 && distance > 2000) continue;
    if (best === undefined || score > best.score || (score === best.score && distance < best.distance)) best = { callId: entry.callId, score, distance };
  }
  return best?.callId;
}

export interface SipFilter {
  /** '' for every dialog. */
  callId: string;
  /** '' for every method; a response counts as its request's method (CSeq). */
  method: string;
  /** Case-insensitive substring of the whole message. */
  text: string;
}

export const noFilter: SipFilter = { callId: '', method: '', text: '' };

export function filterLog(log: readonly SipLogEntry[], filter: SipFilter): SipLogEntry[] {
  const text = filter.text.trim().toLowerCase();
  return log.filter(
    (entry) =>
      (filter.callId === '' || entry.callId === filter.callId) &&
      (filter.method === '' || summarize(entry).method === filter.method) &&
      (text === '' || entry.text.toLowerCase().includes(text) || entry.firstLine.toLowerCase().includes(text)),
  );
}

/** The methods seen in the log, sorted, for the method filter. */
export function methodsIn(log: readonly SipLogEntry[]): string[] {
  return [...new Set(log.map((entry) => summarize(entry).method).filter((m) => m !== ''))].sort();
}

export interface LadderParty {
  /** host:port as the transport saw it; for this phone, the first of its addresses. */
  address: string;
  /** This phone: every local address (a UDP socket, TCP connections…) in one column. */
  local: boolean;
  /** For this phone, all the local addresses seen, in order. */
  addresses: string[];
}

export interface LadderArrow {
  entry: SipLogEntry;
  summary: MessageSummary;
  /** Column indexes into `parties`. */
  from: number;
  to: number;
  /** Milliseconds since the first message drawn. */
  offsetMs: number;
}

export interface Ladder {
  parties: LadderParty[];
  arrows: LadderArrow[];
}

/**
 * Columns: this phone first (one column whatever local address or connection a message used:
 * a TCP connection's ephemeral port is still this phone), then each far end (address and port)
 * in the order it first appears.
 */
export function buildLadder(entries: readonly SipLogEntry[]): Ladder {
  const locals = [...new Set(entries.map((e) => e.local))];
  const parties: LadderParty[] = [{ address: locals[0] ?? '', local: true, addresses: locals }];
  const column = (address: string): number => {
    const index = parties.findIndex((p, i) => i > 0 && p.address === address);
    if (index >= 0) return index;
    parties.push({ address, local: false, addresses: [address] });
    return parties.length - 1;
  };
  const start = entries[0]?.at ?? 0;
  const arrows = entries.map((entry): LadderArrow => {
    const remote = column(entry.remote);
    const out = entry.direction === 'out';
    return { entry, summary: summarize(entry), from: out ? 0 : remote, to: out ? remote : 0, offsetMs: entry.at - start };
  });
  return { parties: entries.length === 0 ? [] : parties, arrows };
}

/** `+1.234 s` */
export function formatOffset(ms: number): string {
  return `+${(ms / 1000).toFixed(3)} s`;
}

const two = (n: number) => String(n).padStart(2, '0');

/** `2026-11-22 02:57:01.123`, local time. */
export function formatStamp(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/**
 * The messages as text, one block each like sngrep's "save as .txt": a line with the time, the
 * offset from the first, the transport and the addresses, then the message as it went on the wire.
 */
export function exportText(entries: readonly SipLogEntry[], title: string): string {
  const start = entries[0]?.at ?? 0;
  const dialogs = [...new Set(entries.map((e) => e.callId).filter((id) => id !== undefined))];
  const lines = [`# ${title}`, `# ${entries.length} messages${dialogs.length > 0 ? `, Call-ID ${dialogs.join(', ')}` : ''}`, ''];
  for (const entry of entries) {
    const arrow = entry.direction === 'out' ? `${entry.local} -> ${entry.remote}` : `${entry.remote} -> ${entry.local}`;
    lines.push(`${formatStamp(entry.at)} ${formatOffset(entry.at - start)} ${entry.transport.toUpperCase()} ${arrow}${entry.error === undefined ? '' : ` (refused: ${entry.error})`}`);
    lines.push(entry.text.replace(/\r\n/g, '\n').replace(/\n+$/, ''), '');
  }
  return `${lines.join('\n')}\n`;
}

/** A file name for the export: the Call-ID's safe characters, or `sip-log`, and the time. */
export function exportFileName(callId: string, now: number): string {
  const stamp = formatStamp(now).replace(/[-: ]/g, '').replace('.', '-');
  const id = callId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40);
  return `${id === '' ? 'sip-log' : `sip-${id}`}-${stamp}.txt`;
}
