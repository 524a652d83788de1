/**
 * An audio driver for tests of what the phone plays: silence in, and every sink it opens pulls
 * one second (50 frames) at once when started, kept with the device it was opened on.
 */
import { NullDriver, type AudioFormat, type AudioSink } from '../../main/core/audio/index.js';
import { analyseSamples } from '../interop/lab/audio.js';

export interface CapturedSink {
  deviceId: string | undefined;
  frames: Int16Array[];
  stopped: boolean;
}

export class CapturingDriver extends NullDriver {
  readonly sinks: CapturedSink[] = [];
  override async openSink(deviceId: string | undefined, format: AudioFormat): Promise<AudioSink> {
    const opened: CapturedSink = { deviceId, frames: [], stopped: false };
    this.sinks.push(opened);
    return {
      format,
      start: (pull) => {
        for (let i = 0; i < 50; i++) opened.frames.push(pull());
      },
      stop: async () => void (opened.stopped = true),
    };
  }
}

/** How much of 16 kHz frames is at `hz` (0–1). */
export function presenceAt(frames: readonly Int16Array[], hz: number): number {
  const samples = Int16Array.from(frames.flatMap((f) => [...f]));
  return analyseSamples({ sampleRate: 16000, channels: 1, samples: Float64Array.from(samples, (s) => s / 32768) }, hz).presence;
}
