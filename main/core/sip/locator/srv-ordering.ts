/** RFC 2782 "Usage rules": the order in which to try the targets of one SRV RRset. */
import type { SrvRecord } from './dns-resolver.js';

/** A uniform random number in [0, 1), like `Math.random` (injected so tests are deterministic). */
export type RandomSource = () => number;

export interface SrvOrder {
  /** The targets to try, in order (RFC 3263 §4.3: on failure, the next one). */
  readonly targets: readonly SrvRecord[];
  /** The RRset said the service "is decidedly not available at this domain" (Target "."). */
  readonly unavailable: boolean;
}

/** RFC 2782: Target "." (which node:dns reports as "") means no service. */
export function isNoServiceTarget(name: string): boolean {
  return name === '' || name === '.';
}

/**
 * RFC 2782: lowest Priority first; within one Priority, a weighted random order — "arrange all
 * SRV RRs (that have not been ordered yet) in any order, except that all those with weight 0
 * are placed at the beginning of the list. Compute the sum of the weights of those RRs, and with
 * each RR associate the running sum in the selected order. Then choose a uniform random number
 * between 0 and the sum computed (inclusive), and select the RR whose running sum value is the
 * first in the selected order which is greater than or equal to the random number selected."
 * Repeated until every RR of that Priority is ordered.
 */
export function orderSrv(records: readonly SrvRecord[], random: RandomSource): SrvOrder {
  const usable = records.filter((r) => !isNoServiceTarget(r.name));
  const unavailable = records.length > 0 && usable.length === 0;
  const priorities = [...new Set(usable.map((r) => r.priority))].sort((a, b) => a - b);
  const targets: SrvRecord[] = [];
  for (const priority of priorities) {
    const group = usable.filter((r) => r.priority === priority);
    const remaining = [...group.filter((r) => r.weight === 0), ...group.filter((r) => r.weight > 0)];
    while (remaining.length > 0) {
      const sum = remaining.reduce((total, r) => total + r.weight, 0);
      // An integer in [0, sum]; clamped in case the source returns exactly 1.
      const pick = Math.min(sum, Math.floor(random() * (sum + 1)));
      let running = 0;
      let index = remaining.length - 1;
      for (let i = 0; i < remaining.length; i++) {
        running += remaining[i]!.weight;
        if (running >= pick) {
          index = i;
          break;
        }
      }
      targets.push(...remaining.splice(index, 1));
    }
  }
  return { targets, unavailable };
}
