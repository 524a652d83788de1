/**
 * A call's SIP messages as kept with its history entry, for its ladder diagram: at most
 * `MAX_CALL_SIP_MESSAGES` messages and `MAX_CALL_SIP_BYTES` of text, the rest counted as
 * dropped; credentials redacted again before they can reach the disk.
 */
import type { SipLogEntry } from '../../../shared/model.js';
import { redactSipText } from '../sip/log/redact.js';

export const MAX_CALL_SIP_MESSAGES = 200;
export const MAX_CALL_SIP_BYTES = 256 * 1024;
/**
 * What a long call that overflows keeps from its start (INVITE, challenge, provisional and final
 * answers, ACK): the messages after them go first, so the call's set-up and its end both stay.
 */
const KEEP_FIRST = 20;

export interface CallSipLog {
  readonly messages: readonly SipLogEntry[];
  /** Messages of the call not kept (over the bounds). */
  readonly dropped: number;
}

export class CallSipRecorder {
  private readonly kept: SipLogEntry[] = [];
  private bytes = 0;
  private droppedCount = 0;

  /** A recorder holding `log` within the bounds (a stored or received log is not trusted to be). */
  static of(log: CallSipLog): CallSipRecorder {
    const recorder = new CallSipRecorder();
    for (const entry of log.messages) recorder.add(entry);
    recorder.droppedCount += log.dropped;
    return recorder;
  }

  add(entry: SipLogEntry): void {
    // The transport redacts what it logs (transport-layer.ts); redacting again costs little and
    // keeps a credential off the disk whatever the source.
    const redacted = { ...entry, text: redactSipText(entry.text) };
    this.kept.push(redacted);
    this.bytes += sizeOf(redacted);
    while (this.kept.length > MAX_CALL_SIP_MESSAGES || this.bytes > MAX_CALL_SIP_BYTES) {
      // The oldest after the call's opening (fewer opening messages when they are big): the
      // first message and the newest stay.
      const index = this.kept.length === 1 ? 0 : Math.max(1, Math.min(KEEP_FIRST, this.kept.length - 2));
      this.bytes -= sizeOf(this.kept[index]!);
      this.kept.splice(index, 1);
      this.droppedCount++;
    }
  }

  /** Messages seen, kept or not. */
  get count(): number {
    return this.kept.length + this.droppedCount;
  }

  get log(): CallSipLog {
    return { messages: [...this.kept], dropped: this.droppedCount };
  }
}

function sizeOf(entry: SipLogEntry): number {
  return Buffer.byteLength(entry.text) + Buffer.byteLength(entry.firstLine);
}
