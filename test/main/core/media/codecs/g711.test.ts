import { describe, expect, it } from 'vitest';
import { alawToLinear, codecs, linearToAlaw, linearToUlaw, ulawToLinear } from '../../../../../main/core/media/codecs/index.js';

/**
 * Vectors from the tables of ITU-T G.711, rebuilt here from the segment structure they print,
 * independently of the implementation: each segment of 16 intervals starts at a given value of
 * the uniform scale and has a given interval width; the decoder output is the middle of the
 * interval. 16-bit samples map to the 14-bit (μ-law) or 13-bit (A-law) scale as ITU-T G.191's
 * reference g711.c does: the magnitude of a negative sample is its ones' complement.
 */
interface Interval {
  segment: number;
  step: number;
  lower: number;
  upper: number;
  output: number;
}

// G.711 Table 2a (μ-law), 14-bit scale: segment starts and interval widths. The first interval of
// segment 0 is [0, 1) with output 0; the others of segment 0 are 2 wide, centred on even values.
const ULAW_STARTS = [-1, 31, 95, 223, 479, 991, 2015, 4063];
const ULAW_WIDTHS = [2, 4, 8, 16, 32, 64, 128, 256];
// G.711 Table 1a (A-law), 13-bit scale: segments 0 and 1 both step by 2.
const ALAW_STARTS = [0, 32, 64, 128, 256, 512, 1024, 2048];
const ALAW_WIDTHS = [2, 2, 4, 8, 16, 32, 64, 128];

function intervals(starts: number[], widths: number[]): Interval[] {
  const list: Interval[] = [];
  for (let segment = 0; segment < 8; segment++) {
    for (let step = 0; step < 16; step++) {
      const lower = starts[segment]! + widths[segment]! * step;
      list.push({ segment, step, lower: Math.max(lower, 0), upper: lower + widths[segment]!, output: Math.max(lower + widths[segment]! / 2, 0) });
    }
  }
  return list;
}

const ULAW = intervals(ULAW_STARTS, ULAW_WIDTHS);
const ALAW = intervals(ALAW_STARTS, ALAW_WIDTHS);

/** The character on the line: μ-law inverts all bits (positive ⇒ sign bit 1 after inversion). */
function ulawCode(positive: boolean, interval: Interval): number {
  return ~((positive ? 0 : 0x80) | (interval.segment << 4) | interval.step) & 0xff;
}
/** A-law inverts the even bits (XOR 0x55); sign bit 1 is positive. */
function alawCode(positive: boolean, interval: Interval): number {
  return ((positive ? 0x80 : 0) | (interval.segment << 4) | interval.step) ^ 0x55;
}

function find(table: Interval[], magnitude: number): Interval {
  return table.find((interval) => magnitude >= interval.lower && magnitude < interval.upper) ?? table[table.length - 1]!;
}

describe('G.711 μ-law (PCMU)', () => {
  it('decodes all 256 codes to the Table 2a output values (×4 for 16 bits)', () => {
    for (const interval of ULAW) {
      expect(ulawToLinear(ulawCode(true, interval))).toBe(interval.output * 4);
      expect(ulawToLinear(ulawCode(false, interval))).toBe(0 - interval.output * 4);
    }
  });

  it('encodes every 16-bit sample to the code of its Table 2a decision interval', () => {
    for (let x = -32768; x < 32768; x++) {
      const positive = x >= 0;
      const magnitude = (positive ? x : -x - 1) >> 2;
      const expected = ulawCode(positive, find(ULAW, magnitude));
      if (linearToUlaw(x) !== expected) expect({ x, code: linearToUlaw(x) }).toEqual({ x, code: expected });
    }
  });

  it('knows the landmarks', () => {
    expect([0, -1, 32767, -32768, 32124, -32124, 8, -8].map(linearToUlaw)).toEqual([0xff, 0x7f, 0x80, 0x00, 0x80, 0x00, 0xfe, 0x7e]);
    expect([0xff, 0x7f, 0x80, 0x00].map(ulawToLinear)).toEqual([0, 0, 32124, -32124]);
  });

  it('round-trips every code (but −0, 0x7F, which comes back as +0, 0xFF)', () => {
    for (let code = 0; code < 256; code++) expect(linearToUlaw(ulawToLinear(code))).toBe(code === 0x7f ? 0xff : code);
  });

  it('codes a frame through the table entry', () => {
    const encoded = codecs.PCMU.createEncoder().encode(Int16Array.of(0, 1000, -1000, 32767));
    expect([...encoded]).toEqual([0, 1000, -1000, 32767].map(linearToUlaw));
    expect([...codecs.PCMU.createDecoder().decode(encoded)]).toEqual([...encoded].map(ulawToLinear));
  });
});

describe('G.711 A-law (PCMA)', () => {
  it('decodes all 256 codes to the Table 1a output values (×8 for 16 bits)', () => {
    for (const interval of ALAW) {
      expect(alawToLinear(alawCode(true, interval))).toBe(interval.output * 8);
      expect(alawToLinear(alawCode(false, interval))).toBe(-interval.output * 8);
    }
  });

  it('encodes every 16-bit sample to the code of its Table 1a decision interval', () => {
    for (let x = -32768; x < 32768; x++) {
      const positive = x >= 0;
      const magnitude = (positive ? x : -x - 1) >> 3;
      const expected = alawCode(positive, find(ALAW, magnitude));
      if (linearToAlaw(x) !== expected) expect({ x, code: linearToAlaw(x) }).toEqual({ x, code: expected });
    }
  });

  it('knows the landmarks', () => {
    expect([0, -1, 32767, -32768].map(linearToAlaw)).toEqual([0xd5, 0x55, 0xaa, 0x2a]);
    expect([0xd5, 0x55, 0xaa, 0x2a].map(alawToLinear)).toEqual([8, -8, 32256, -32256]);
  });

  it('round-trips every code', () => {
    for (let code = 0; code < 256; code++) expect(linearToAlaw(alawToLinear(code))).toBe(code);
  });

  it('codes a frame through the table entry', () => {
    const encoded = codecs.PCMA.createEncoder().encode(Int16Array.of(0, 1000, -1000, 32767));
    expect([...encoded]).toEqual([0, 1000, -1000, 32767].map(linearToAlaw));
    expect([...codecs.PCMA.createDecoder().decode(encoded)]).toEqual([...encoded].map(alawToLinear));
  });
});
