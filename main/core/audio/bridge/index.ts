/** The audio conference bridge: one owner of the real devices, calls and players as its ports. */
export { AudioBridge, DEVICE_PORT, type AudioBridgeDelegate, type AudioBridgeOptions, type AudioBridgeStatistics, type BridgeAudioHooks, type BridgePort, type CreatePortOptions } from './audio-bridge.js';
export { AudioBridgeError } from './audio-bridge-error.js';
export { BridgePortDriver } from './bridge-port-driver.js';
export { BridgeRecording, type RecordingSink } from './bridge-recording.js';
export { DeviceSlot, type DeviceKind, type DeviceSlotDelegate, type RetryPolicy } from './device-slot.js';
export { LoopedPcmSource } from './looped-pcm-source.js';
export { MicrophoneFifo, type MicrophoneFifoOptions, type MicrophoneFifoStatistics } from './microphone-fifo.js';
