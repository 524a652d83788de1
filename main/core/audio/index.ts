export * from './audio-driver.js';
export { FrameClock, type FrameClockOptions } from './frame-clock.js';
export { NullDriver } from './null-driver.js';
export { WavFileDriver, type WavFileDriverOptions } from './wav-file-driver.js';
export { encodeWav, parseWav, WavFormatError, WavWriter, type WavAudio } from './wav.js';
export { diffDevices, type DeviceChanges } from './device-diff.js';
export { NaudiodonDriver, type NaudiodonDriverOptions } from './naudiodon-driver.js';
export { AudioBridge, AudioBridgeError, DEVICE_PORT, LoopedPcmSource, type AudioBridgeDelegate, type AudioBridgeOptions, type BridgeAudioHooks, type BridgePort } from './bridge/index.js';
