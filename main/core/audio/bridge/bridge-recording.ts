/**
 * A recording of one port's conversation: each tick, what the user side sent to the port (the
 * microphone, and in a conference the other members) mixed with what the port's peer said, mono
 * at the bridge's rate. To a WAV file (the header's sizes are written on stop) or any sink with
 * the WavWriter's shape.
 */
import { WavWriter } from '../wav.js';
import { addSaturated } from './saturating-mix.js';

/** Where a recording goes: `WavWriter` is one. */
export interface RecordingSink {
  write(samples: Int16Array): void;
  close(): void;
}

/** How much audio is kept in memory between file writes. */
const WRITE_BLOCK_MS = 200;

export class BridgeRecording {
  private stopped = false;
  private readonly sink: RecordingSink;

  constructor(
    readonly port: string,
    target: string | RecordingSink,
    sampleRate: number,
    private readonly onStop: (recording: BridgeRecording) => void,
  ) {
    this.sink = typeof target === 'string' ? new WavWriter(target, sampleRate, 1, { bufferBytes: Math.round((sampleRate * WRITE_BLOCK_MS) / 1000) * 2 }) : target;
  }

  get active(): boolean {
    return !this.stopped;
  }

  /** Bridge side, once per tick. */
  write(sent: Int16Array, received: Int16Array): void {
    if (this.stopped) return;
    this.sink.write(addSaturated(sent, received));
  }

  /** Ends the recording and completes the file. Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.onStop(this);
    this.sink.close();
  }
}
