import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BridgeRecording } from '../../../../../main/core/audio/bridge/bridge-recording.js';
import { parseWav } from '../../../../../main/core/audio/wav.js';
import { tempDir } from '../../../../helpers/temp-dir.js';

describe('BridgeRecording', () => {
  it('writes what was sent plus what was heard, saturated, and completes the WAV header on stop', () => {
    const path = join(tempDir(), 'call.wav');
    const stopped: string[] = [];
    const recording = new BridgeRecording('alice', path, 8000, (r) => stopped.push(r.port));
    recording.write(Int16Array.of(100, 30000), Int16Array.of(-50, 30000));
    recording.write(Int16Array.of(1, 2), Int16Array.of(3, 4));
    recording.stop();
    recording.stop();
    recording.write(Int16Array.of(9, 9), Int16Array.of(9, 9));
    expect(stopped).toEqual(['alice']);
    expect(recording.active).toBe(false);
    const wav = parseWav(readFileSync(path));
    expect(wav).toMatchObject({ sampleRate: 8000, channels: 1 });
    expect([...wav.samples]).toEqual([50, 32767, 4, 6]);
  });

  it('writes to any sink of the WavWriter shape', () => {
    const written: number[][] = [];
    let closed = false;
    const recording = new BridgeRecording('bob', { write: (s) => written.push([...s]), close: () => (closed = true) }, 8000, () => {});
    recording.write(Int16Array.of(1), Int16Array.of(2));
    recording.stop();
    expect(written).toEqual([[3]]);
    expect(closed).toBe(true);
  });
});
