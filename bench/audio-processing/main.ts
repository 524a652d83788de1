/**
 * Voice processing (main/core/audio/processing): CPU time per second of 16 kHz mono audio, fed in
 * 20 ms frames, for noise suppression (low/high), automatic gain control, echo cancellation
 * (200 ms tail, with residual suppression) and the full chain. Prints ms of CPU per second of audio
 * and the share of one core.
 */
import { createVoiceProcessor, type VoiceProcessorOptions } from '../../main/core/audio/processing/index.js';
import * as S from '../../test/main/core/audio/processing/signals.js';

const RATE = 16000;
const SECONDS = 10;
const FRAME = 320;
const RUNS = 3;

const near = S.toInt16(S.add(S.speechLike(RATE, SECONDS, 1, -20).signal, S.noise(RATE * SECONDS, 2, -30)));
const far = S.toInt16(S.speechLike(RATE, SECONDS, 3, -20).signal);

const cases: [string, Omit<VoiceProcessorOptions, 'sampleRate'>][] = [
  ['NS low', { noiseSuppression: 'low' }],
  ['NS high', { noiseSuppression: 'high' }],
  ['AGC', { autoGain: true }],
  ['AEC', { echoCancellation: true }],
  ['AEC+NS+AGC', { echoCancellation: true, noiseSuppression: 'high', autoGain: true }],
];

for (const [name, options] of cases) {
  let best = Infinity;
  for (let run = 0; run < RUNS; run++) {
    const p = createVoiceProcessor({ sampleRate: RATE, ...options });
    const start = process.cpuUsage();
    S.run((n, f) => p.process(n, f), near, FRAME, far);
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  const perSecond = best / SECONDS;
  process.stdout.write(`${name.padEnd(12)} ${perSecond.toFixed(2).padStart(7)} ms CPU per s of audio  (${(perSecond / 10).toFixed(2)} % of a core)\n`);
}
