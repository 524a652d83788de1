/** Internal block size (samples, a power of two) the frequency-domain stages work on: 8 ms at 8/16 kHz, 5.3 ms at 48 kHz. */
export function blockSizeFor(sampleRate: number): number {
  switch (sampleRate) {
    case 8000:
      return 64;
    case 16000:
      return 128;
    case 48000:
      return 256;
    default:
      throw new RangeError(`voice processing supports 8000, 16000 and 48000 Hz, got ${sampleRate}`);
  }
}

export type BlockStage = (near: Float64Array, far: Float64Array | null) => void;

/**
 * Re-blocks arbitrary-length Int16 frames (10 ms, 20 ms...) into fixed blocks for the stages, and
 * back. Output is delayed by exactly one block (`latencySamples`) so every call returns as many
 * samples as it was given.
 */
export class Reblocker {
  private readonly nearIn: Float64Array;
  private readonly farIn: Float64Array;
  private inFill = 0;
  private farSeen = false;
  private out: Float64Array;
  private outStart = 0;
  private outEnd: number;
  readonly latencySamples: number;

  constructor(
    readonly blockSize: number,
    private readonly stage: BlockStage,
  ) {
    this.nearIn = new Float64Array(blockSize);
    this.farIn = new Float64Array(blockSize);
    this.out = new Float64Array(blockSize * 8);
    this.outEnd = blockSize; // one block of silence: the fixed latency
    this.latencySamples = blockSize;
  }

  process(near: Int16Array, far?: Int16Array): Int16Array {
    if (far && far.length !== near.length) throw new RangeError(`far frame has ${far.length} samples, near has ${near.length}`);
    if (far) this.farSeen = true;
    const n = this.blockSize;
    for (let i = 0; i < near.length; i++) {
      this.nearIn[this.inFill] = near[i]!;
      this.farIn[this.inFill] = far ? far[i]! : 0;
      if (++this.inFill === n) {
        this.inFill = 0;
        this.stage(this.nearIn, this.farSeen ? this.farIn : null);
        this.pushOut(this.nearIn);
      }
    }
    const result = new Int16Array(near.length);
    for (let i = 0; i < near.length; i++) {
      const v = Math.round(this.out[this.outStart++]!);
      result[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    return result;
  }

  private pushOut(block: Float64Array): void {
    if (this.outEnd + block.length > this.out.length) {
      const live = this.out.subarray(this.outStart, this.outEnd);
      const next = this.out.length - (this.outEnd - this.outStart) < block.length ? new Float64Array(this.out.length * 2) : this.out;
      next.set(live, 0);
      this.out = next;
      this.outEnd -= this.outStart;
      this.outStart = 0;
    }
    this.out.set(block, this.outEnd);
    this.outEnd += block.length;
  }
}
