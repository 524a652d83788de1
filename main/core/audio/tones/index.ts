export { off, on, ToneError, validateTonePlan, cycleDurationMs, maxComponents, type TonePlan, type ToneSegment } from './tone-plan.js';
export {
  callProgressTone,
  DEFAULT_TONE_REGION,
  isToneRegionCode,
  TONE_REGIONS,
  type CallProgressTone,
  type ToneRegion,
  type ToneRegionCode,
} from './national-tone-plans.js';
export { DEFAULT_DTMF_FEEDBACK_MS, dtmfFeedbackPlan, dtmfPair, type DtmfPair } from './dtmf-feedback.js';
export {
  DEFAULT_RAMP_MS,
  DEFAULT_TONE_LEVEL,
  FULL_SCALE_DBM0,
  peakAmplitude,
  renderTone,
  ToneGenerator,
  type ToneGeneratorOptions,
  type ToneLevel,
} from './tone-generator.js';
export { sinkPuller, type PcmPullSource } from './pcm-pull-source.js';
export { downmix, resampleLinear, Ringtone, type RingtoneOptions } from './ringtone.js';
export { alertInfoNames, BELLCORE_RING_NAMES, BELLCORE_RINGS, chooseRingtone, type BellcoreRing, type RingtoneChoice } from './distinctive-ring.js';
export { listRingtoneAssets, loadRingtoneAsset } from './ringtone-assets.js';
