/**
 * Cuts a byte stream of 16-bit native-endian PCM into frames of exactly `samples` samples,
 * whatever the sizes of the chunks it arrives in (a chunk may even end inside a sample).
 */
export class FrameChunker {
  private frame: Int16Array;
  private bytes: Uint8Array;
  private filled = 0;

  constructor(private readonly samples: number) {
    if (!Number.isInteger(samples) || samples <= 0) throw new Error(`frame size must be a positive integer, not ${samples}`);
    this.frame = new Int16Array(samples);
    this.bytes = new Uint8Array(this.frame.buffer);
  }

  /** Calls `onFrame` with each frame completed by `chunk`; each frame is a new array. */
  push(chunk: Uint8Array, onFrame: (frame: Int16Array) => void): void {
    let offset = 0;
    while (offset < chunk.byteLength) {
      const take = Math.min(chunk.byteLength - offset, this.bytes.byteLength - this.filled);
      this.bytes.set(chunk.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.bytes.byteLength) {
        const frame = this.frame;
        this.frame = new Int16Array(this.samples);
        this.bytes = new Uint8Array(this.frame.buffer);
        this.filled = 0;
        onFrame(frame);
      }
    }
  }

  /** Drops a partial frame (on stop). */
  reset(): void {
    this.filled = 0;
  }
}
