/**
 * RFC 3711 §3.3.2 replay protection: a sliding window over packet indices, the highest index
 * received and a bitmap of the `size` indices below it. §3.3.2 asks for at least 64.
 */
export class SrtpReplayWindow {
  private highest = -1;
  private bitmap = 0n;
  private readonly mask: bigint;

  constructor(readonly size: number = 64) {
    if (!Number.isInteger(size) || size < 64 || size > 32768) throw new RangeError(`replay window must be 64-32768 packets: ${size}`);
    this.mask = (1n << BigInt(size)) - 1n;
  }

  /** True when `index` is new and inside the window. Checked before authentication. */
  check(index: number): boolean {
    if (index > this.highest) return true;
    const behind = this.highest - index;
    if (behind >= this.size) return false;
    return ((this.bitmap >> BigInt(behind)) & 1n) === 0n;
  }

  /** Records `index`; only after the packet authenticated (§3.3 step 6). */
  accept(index: number): void {
    if (index > this.highest) {
      const shift = this.highest < 0 ? this.size : index - this.highest;
      this.bitmap = shift >= this.size ? 1n : ((this.bitmap << BigInt(shift)) | 1n) & this.mask;
      this.highest = index;
    } else {
      this.bitmap |= 1n << BigInt(this.highest - index);
    }
  }
}
