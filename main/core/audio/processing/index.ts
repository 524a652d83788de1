export { AutomaticGainControl, type AgcOptions } from './agc.js';
export { blockSizeFor } from './block.js';
export { EchoCancellerCore, type EchoCancellerOptions } from './echo-canceller.js';
export { Fft } from './fft.js';
export { NoiseSuppressorCore, type NoiseSuppressionLevel } from './noise-suppressor.js';
export { createVoiceProcessor, type VoiceProcessor, type VoiceProcessorOptions } from './voice-processor.js';
