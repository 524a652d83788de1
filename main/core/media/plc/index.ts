/** Packet loss concealment for waveform codecs (ITU-T G.711 Appendix I). */
export { G711Plc } from './g711-plc.js';
export type { G711PlcOptions } from './g711-plc.js';
export { PlcError } from './plc-error.js';
