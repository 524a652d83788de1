/** Quality sample-rate conversion for the audio path (see polyphase.ts). */
export { DEFAULT_QUALITY, PolyphaseResampler, polyphaseResampler, polyphaseResamplerFactory, type PolyphaseOptions } from './polyphase.js';
