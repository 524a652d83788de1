/**
 * Sample-rate conversion between the audio device and the codec (ARCHITECTURE: microphone →
 * resample → encode; decode → resample → speaker). The stream only needs this small interface;
 * the built-in linear interpolator is cheap and adequate for speech between the usual rates,
 * and a quality (polyphase) resampler can replace it through `ResamplerFactory`.
 */
export interface Resampler {
  readonly inputRate: number;
  readonly outputRate: number;
  /**
   * Converts the next block of a continuous mono signal. The output length follows the rate
   * ratio; fractions of a sample are carried over, so blocks of any size join without clicks.
   */
  process(input: Int16Array): Int16Array;
}

export type ResamplerFactory = (inputRate: number, outputRate: number) => Resampler;

export class ResamplerError extends Error {
  override readonly name: string = 'ResamplerError';
}

/** The identity, for equal rates. */
class PassThrough implements Resampler {
  constructor(
    readonly inputRate: number,
    readonly outputRate: number,
  ) {}

  process(input: Int16Array): Int16Array {
    return input;
  }
}

/**
 * Linear interpolation between neighbouring input samples. Output sample k of the stream sits
 * at input position k · in/out. Positions are kept exactly, in units of 1/outputRate of an input
 * sample, relative to the first sample of the next block; −1 is the previous block's last
 * sample, kept in `previous`. No anti-aliasing filter: downsampling 48 kHz to 8 kHz folds energy
 * above 4 kHz back into the band, which the quality resampler will fix.
 */
export class LinearResampler implements Resampler {
  /** Where the next output sample falls, × outputRate. */
  private position = 0;
  private previous = 0;
  private started = false;

  constructor(
    readonly inputRate: number,
    readonly outputRate: number,
  ) {
    if (!(Number.isInteger(inputRate) && inputRate > 0 && Number.isInteger(outputRate) && outputRate > 0)) {
      throw new ResamplerError(`sample rates must be positive integers: ${inputRate} → ${outputRate}`);
    }
  }

  process(input: Int16Array): Int16Array {
    const length = input.length;
    if (length === 0) return new Int16Array(0);
    if (!this.started) {
      // The first sample has no predecessor: pretend it was preceded by itself.
      this.previous = input[0]!;
      this.started = true;
    }
    const scale = this.outputRate;
    // Positions up to the last input sample can be produced now; later ones need the next block.
    const last = (length - 1) * scale;
    const count = this.position > last ? 0 : Math.floor((last - this.position) / this.inputRate) + 1;
    const output = new Int16Array(count);
    let position = this.position;
    for (let k = 0; k < count; k++) {
      const index = Math.floor(position / scale);
      const fraction = (position - index * scale) / scale;
      const a = index < 0 ? this.previous : input[index]!;
      const b = index + 1 < length ? input[index + 1]! : a;
      output[k] = Math.round(a + (b - a) * fraction);
      position += this.inputRate;
    }
    this.previous = input[length - 1]!;
    this.position = position - length * scale;
    return output;
  }
}

/** Linear for different rates, the identity for equal ones. */
export const linearResampler: ResamplerFactory = (inputRate, outputRate) =>
  inputRate === outputRate ? new PassThrough(inputRate, outputRate) : new LinearResampler(inputRate, outputRate);
