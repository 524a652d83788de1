import { describe, expect, it } from 'vitest';
import type { SrvRecord } from '../../../../../main/core/sip/locator/dns-resolver.js';
import { isNoServiceTarget, orderSrv } from '../../../../../main/core/sip/locator/srv-ordering.js';
import { randomSequence, srv } from './dns-fixtures.js';

const names = (records: readonly SrvRecord[]): string[] => records.map((r) => r.name);

describe('orderSrv (RFC 2782 usage rules)', () => {
  const cases: { name: string; records: readonly SrvRecord[]; draws: number[]; expected: string[] }[] = [
    {
      name: 'lower Priority always first, whatever the weights',
      records: [srv(20, 1000, 5060, 'late'), srv(10, 1, 5060, 'early')],
      draws: [0.99],
      expected: ['early', 'late'],
    },
    {
      // Weights 10, 20, 30 → running sums 10, 30, 60; draw ⌊0.4 × 61⌋ = 24 → b; then a (10), c (30):
      // sums 10, 40; ⌊0.9 × 41⌋ = 36 → c; then a alone.
      name: 'within a Priority, the first running sum ≥ the draw is taken, then again on the rest',
      records: [srv(10, 10, 5060, 'a'), srv(10, 20, 5060, 'b'), srv(10, 30, 5060, 'c')],
      draws: [0.4, 0.9, 0.0],
      expected: ['b', 'c', 'a'],
    },
    {
      // Weight-0 records go to the front: sums z=0, a=50. A draw of 0 picks the weight-0 one.
      name: 'weight 0 goes first in the list, so only a draw of exactly 0 picks it',
      records: [srv(10, 50, 5060, 'a'), srv(10, 0, 5060, 'z')],
      draws: [0.0, 0.0],
      expected: ['z', 'a'],
    },
    {
      name: 'any non-zero draw passes over weight 0 while weighted records remain',
      records: [srv(10, 50, 5060, 'a'), srv(10, 0, 5060, 'z')],
      draws: [0.05],
      expected: ['a', 'z'],
    },
    {
      name: 'all weights 0: the order DNS gave',
      records: [srv(10, 0, 5060, 'x'), srv(10, 0, 5060, 'y'), srv(10, 0, 5060, 'w')],
      draws: [0.7],
      expected: ['x', 'y', 'w'],
    },
    {
      name: 'a draw of exactly 1 from a bad source still selects a record',
      records: [srv(10, 1, 5060, 'a'), srv(10, 1, 5060, 'b')],
      draws: [1],
      expected: ['b', 'a'],
    },
  ];

  it.each(cases)('$name', ({ records, draws, expected }) => {
    const order = orderSrv(records, randomSequence(...draws));
    expect(names(order.targets)).toEqual(expected);
    expect(order.unavailable).toBe(false);
  });

  it('picks in proportion to weight over many draws', () => {
    const records = [srv(10, 1, 5060, 'light'), srv(10, 3, 5060, 'heavy')];
    const firsts = { light: 0, heavy: 0 };
    const steps = 1000;
    for (let i = 0; i < steps; i++) {
      const [first] = orderSrv(records, () => i / steps).targets;
      firsts[first!.name as keyof typeof firsts]++;
    }
    // Draws 0..4 over sums 1 and 4: light for 0–1 (2 of 5), heavy for 2–4 (3 of 5).
    expect(firsts).toEqual({ light: 400, heavy: 600 });
  });

  it('Target "." alone means the service is decidedly not available', () => {
    expect(orderSrv([srv(0, 0, 0, '.')], Math.random)).toEqual({ targets: [], unavailable: true });
    expect(orderSrv([srv(0, 0, 0, '')], Math.random)).toEqual({ targets: [], unavailable: true });
  });

  it('"." among real targets is ignored, and no records at all is not "unavailable"', () => {
    expect(orderSrv([srv(0, 0, 0, '.'), srv(10, 0, 5060, 'real')], Math.random)).toEqual({
      targets: [srv(10, 0, 5060, 'real')],
      unavailable: false,
    });
    expect(orderSrv([], Math.random)).toEqual({ targets: [], unavailable: false });
  });

  it('recognises the root name in both spellings only', () => {
    expect([isNoServiceTarget('.'), isNoServiceTarget(''), isNoServiceTarget('a.')]).toEqual([true, true, false]);
  });
});
