import { describe, expect, it } from 'vitest';
import { CODEC_IMPAIRMENTS, delayImpairment, effectiveEquipmentImpairment, estimateMos, mosFromR, rFactor } from '../../../../../main/core/media/rtp/e-model.js';

describe('E-model (ITU-T G.107, G.113 values)', () => {
  it.each([
    ['G.711 without PLC, 1% loss', CODEC_IMPAIRMENTS.PCMU, 1, 95 / 5.3],
    ['G.711 with PLC, 1% loss', CODEC_IMPAIRMENTS['PCMU+PLC'], 1, 95 / 26.1],
    ['no loss', CODEC_IMPAIRMENTS.opus, 0, 0],
    ['total loss', CODEC_IMPAIRMENTS.PCMA, 100, (95 * 100) / 104.3],
  ])('Ie-eff for %s', (_name, codec, loss, expected) => {
    expect(effectiveEquipmentImpairment(codec, loss)).toBeCloseTo(expected, 9);
  });

  it.each([
    [50, 0],
    [100, 0],
    [200, 3.0444142],
    [400, 24.0700892],
  ])('Idd at %i ms one-way', (delay, expected) => {
    expect(delayImpairment(delay)).toBeCloseTo(expected, 6);
  });

  it.each([
    [93.2, 4.409285824],
    [75.27547169811321, 3.8336511752],
    [-5, 1],
    [120, 4.5],
  ])('MOS for R = %f (G.107 Annex B)', (r, mos) => {
    expect(mosFromR(r)).toBeCloseTo(mos, 9);
  });

  it('combines delay and loss', () => {
    const input = { codec: CODEC_IMPAIRMENTS['PCMU+PLC'], lossPercent: 1, delayMs: 200 };
    expect(rFactor(input)).toBeCloseTo(93.2 - 3.0444142 - 95 / 26.1, 6);
    expect(estimateMos(input)).toBeLessThan(estimateMos({ ...input, delayMs: 50 }));
    expect(estimateMos({ ...input, delayMs: 50, lossPercent: 0 })).toBeCloseTo(4.409285824, 9);
  });
});
