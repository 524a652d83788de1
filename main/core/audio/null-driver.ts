/** The null driver: a silent microphone and a speaker that discards, at real-time pace. */
import type { AudioDevice, AudioDriver, AudioFormat, AudioSink, AudioSource } from './audio-driver.js';
import { WavFileDriver } from './wav-file-driver.js';

export class NullDriver implements AudioDriver {
  readonly name = 'null';
  private readonly files = new WavFileDriver({});

  async listDevices(): Promise<AudioDevice[]> {
    return (await this.files.listDevices()).map((d) => ({ ...d, id: d.id.replace('wav-file', 'null'), name: d.defaultInput ? 'silence' : 'discard', hostApi: 'null' }));
  }

  openSource(_deviceId: string | undefined, format: AudioFormat): Promise<AudioSource> {
    return this.files.openSource(undefined, format);
  }

  openSink(_deviceId: string | undefined, format: AudioFormat): Promise<AudioSink> {
    return this.files.openSink(undefined, format);
  }
}
