/**
 * RIFF/WAVE with 16-bit PCM (the only sample format the phone reads or writes): parse a file's
 * bytes, and write one incrementally with its sizes fixed up on close.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export class WavFormatError extends Error {
  override readonly name = 'WavFormatError';
}

export interface WavAudio {
  readonly sampleRate: number;
  readonly channels: number;
  /** Interleaved 16-bit samples. */
  readonly samples: Int16Array;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

export function parseWav(bytes: Uint8Array): WavAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new WavFormatError('not a RIFF/WAVE file');
  let format: { sampleRate: number; channels: number } | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = tag(offset);
    let size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) throw new WavFormatError('fmt chunk too short');
      const formatTag = view.getUint16(body, true);
      const channels = view.getUint16(body + 2, true);
      const sampleRate = view.getUint32(body + 4, true);
      const bits = view.getUint16(body + 14, true);
      const pcm = formatTag === WAVE_FORMAT_PCM || (formatTag === WAVE_FORMAT_EXTENSIBLE && size >= 40 && view.getUint16(body + 24, true) === WAVE_FORMAT_PCM);
      if (!pcm || bits !== 16) throw new WavFormatError(`only 16-bit PCM is supported (format ${formatTag}, ${bits} bits)`);
      if (channels < 1 || channels > 8 || sampleRate < 1000 || sampleRate > 384_000) throw new WavFormatError('implausible channels or sample rate');
      format = { sampleRate, channels };
    } else if (id === 'data') {
      if (format === undefined) throw new WavFormatError('data before fmt');
      // A file still being written (or streamed) may say 0 or 0xFFFFFFFF: take what is there.
      if (size === 0 || size === 0xffffffff || body + size > bytes.length) size = bytes.length - body;
      const usable = size - (size % (2 * format.channels));
      const samples = new Int16Array(usable / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(body + 2 * i, true);
      return { ...format, samples };
    }
    offset = body + size + (size % 2); // chunks are word-aligned
  }
  throw new WavFormatError('no data chunk');
}

function header(sampleRate: number, channels: number, dataBytes: number): Uint8Array {
  const bytes = new Uint8Array(44);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, text: string) => [...text].forEach((c, i) => (bytes[at + i] = c.charCodeAt(0)));
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, WAVE_FORMAT_PCM, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * 2, true);
  view.setUint16(32, channels * 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  return bytes;
}

/** A whole file's bytes. */
export function encodeWav(audio: WavAudio): Uint8Array {
  const data = new Uint8Array(audio.samples.length * 2);
  const view = new DataView(data.buffer);
  audio.samples.forEach((s, i) => view.setInt16(2 * i, s, true));
  const out = new Uint8Array(44 + data.length);
  out.set(header(audio.sampleRate, audio.channels, data.length));
  out.set(data, 44);
  return out;
}

/** Whether this machine stores an Int16Array's samples little-endian, as WAV does. */
const LITTLE_ENDIAN = new Uint8Array(Int16Array.of(1).buffer)[0] === 1;

/** The samples as WAV's little-endian bytes, into `out` at `at`. */
function putSamples(samples: Int16Array, out: Uint8Array, at: number): void {
  if (LITTLE_ENDIAN) {
    out.set(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength), at);
    return;
  }
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    out[at + 2 * i] = s & 0xff;
    out[at + 2 * i + 1] = (s >> 8) & 0xff;
  }
}

export interface WavWriterOptions {
  /**
   * Bytes of samples kept in memory before they are written (one system call per this much
   * audio, not per `write()`); 0 (the default) writes through at once. `flush()` and
   * `close()` write what is kept.
   */
  readonly bufferBytes?: number;
}

/** Appends samples to a WAV file as they come; `close()` writes the final sizes. */
export class WavWriter {
  private readonly fd: number;
  private dataBytes = 0;
  private closed = false;
  private readonly buffer: Uint8Array | undefined;
  private buffered = 0;

  constructor(
    readonly path: string,
    readonly sampleRate: number,
    readonly channels: number,
    options: WavWriterOptions = {},
  ) {
    this.fd = openSync(path, 'w');
    writeSync(this.fd, header(sampleRate, channels, 0));
    const size = Math.floor(options.bufferBytes ?? 0);
    this.buffer = size > 0 ? new Uint8Array(size - (size % 2)) : undefined;
  }

  write(samples: Int16Array): void {
    if (this.closed) return;
    const bytes = samples.length * 2;
    const buffer = this.buffer;
    if (buffer === undefined || bytes > buffer.length) {
      this.flush();
      const out = new Uint8Array(bytes);
      putSamples(samples, out, 0);
      this.writeOut(out, bytes);
      return;
    }
    if (this.buffered + bytes > buffer.length) this.flush();
    putSamples(samples, buffer, this.buffered);
    this.buffered += bytes;
    if (this.buffered === buffer.length) this.flush();
  }

  /** Writes the samples kept in memory. */
  flush(): void {
    if (this.closed || this.buffer === undefined || this.buffered === 0) return;
    const length = this.buffered;
    this.buffered = 0;
    this.writeOut(this.buffer, length);
  }

  close(): void {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      this.closed = true;
      try {
        writeSync(this.fd, header(this.sampleRate, this.channels, this.dataBytes), 0, 44, 0);
      } finally {
        closeSync(this.fd);
      }
    }
  }

  private writeOut(bytes: Uint8Array, length: number): void {
    writeSync(this.fd, bytes, 0, length, 44 + this.dataBytes);
    this.dataBytes += length;
  }
}
