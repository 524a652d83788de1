import { AutomaticGainControl, type AgcOptions } from './agc.js';
import { Reblocker, blockSizeFor } from './block.js';
import { EchoCancellerCore, type EchoCancellerOptions } from './echo-canceller.js';
import { NoiseSuppressorCore, type NoiseSuppressionLevel } from './noise-suppressor.js';

/** Processes 10 or 20 ms Int16 mono frames: `near` is the microphone, `far` what the speaker played at the same time. */
export interface VoiceProcessor {
  readonly sampleRate: number;
  /** Fixed delay, in samples, of the output relative to `near`. */
  readonly latencySamples: number;
  /** Returns as many samples as `near` holds. */
  process(near: Int16Array, far?: Int16Array): Int16Array;
}

export interface VoiceProcessorOptions {
  sampleRate: 8000 | 16000 | 48000;
  /** Acoustic echo cancellation (needs `far`); `true` or options. Default off. */
  echoCancellation?: boolean | EchoCancellerOptions;
  /** Noise suppression level. Default 'off'. */
  noiseSuppression?: NoiseSuppressionLevel;
  /** Automatic gain control; `true` or options. Default off. */
  autoGain?: boolean | AgcOptions;
}

/** Chains echo cancellation → noise suppression → automatic gain control, each optional. */
export function createVoiceProcessor(options: VoiceProcessorOptions): VoiceProcessor {
  const { sampleRate } = options;
  const n = blockSizeFor(sampleRate);
  const aec = options.echoCancellation
    ? new EchoCancellerCore(n, sampleRate, options.echoCancellation === true ? {} : options.echoCancellation)
    : null;
  const nsLevel = options.noiseSuppression ?? 'off';
  const ns = nsLevel === 'off' ? null : new NoiseSuppressorCore(n, sampleRate, nsLevel);
  const agc = options.autoGain ? new AutomaticGainControl(sampleRate, options.autoGain === true ? {} : options.autoGain) : null;
  const blocks =
    aec || ns
      ? new Reblocker(n, (near, far) => {
          aec?.processBlock(near, far);
          ns?.processBlock(near);
        })
      : null;
  const latencySamples = (blocks ? blocks.latencySamples : 0) + (aec?.latencySamples ?? 0) + (ns?.latencySamples ?? 0);
  return {
    sampleRate,
    latencySamples,
    process(near: Int16Array, far?: Int16Array): Int16Array {
      const afterBlocks = blocks ? blocks.process(near, far) : near.slice();
      return agc ? agc.process(afterBlocks) : afterBlocks;
    },
  };
}
