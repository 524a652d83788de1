/** Network impairment for tests and benchmarks: a seeded, bounded, symmetric UDP relay. */
export { ImpairmentOptionsError, startImpairmentProxy } from './impairment-proxy.js';
export type { ImpairmentOptions, ImpairmentProxy, ImpairmentReport, UdpEndpoint } from './impairment-proxy.js';
export { SeededRandom } from './seeded-random.js';
