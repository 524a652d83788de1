/**
 * An ALSA configuration of virtual devices, so PortAudio's real ALSA path runs without a sound
 * card. It is the whole configuration (ALSA_CONFIG_PATH replaces /usr/share/alsa/alsa.conf), so
 * the test depends neither on libasound2-data nor on the machine's own devices and plugins.
 *
 * - `vsilent`: the null plugin, a device that discards playback and captures silence. (Not
 *   named `null`: PortAudio skips PCMs named null, file, hw, plug… when it lists devices.)
 * - `vout`: the file plugin over null; every frame played is appended to `played.raw`.
 * - `vin`: the file plugin over null with `infile`; capture reads `capture.raw` (past its end,
 *   the plugin leaves the ring buffer as it was: stale samples, not silence).
 * - `default`: vsilent through `plug`.
 *
 * The null plugin has no clock: it takes and gives frames as fast as they are asked for, so
 * these devices are paced by the driver, not in real time.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AlsaTestSetup {
  /** The temporary HOME; the configuration is its `.asoundrc`. */
  readonly home: string;
  readonly config: string;
  readonly played: string;
  readonly capture: string;
  readonly env: NodeJS.ProcessEnv;
}

export function alsaConfig(dir: string): string {
  return [
    'pcm.vsilent { type null }',
    `pcm.vout { type file slave.pcm { type null } file "${join(dir, 'played.raw')}" format "raw" }`,
    `pcm.vin { type file slave.pcm { type null } file "/dev/null" infile "${join(dir, 'capture.raw')}" format "raw" }`,
    'pcm.!default { type plug slave.pcm "vsilent" }',
    '',
  ].join('\n');
}

export function writeAlsaSetup(home: string): AlsaTestSetup {
  const config = join(home, '.asoundrc');
  writeFileSync(config, alsaConfig(home));
  // The infile must exist: ALSA cannot open vin for capture otherwise, and PortAudio, which
  // probes every device when it lists them, would show vin with no input channels.
  writeFileSync(join(home, 'capture.raw'), '');
  return {
    home,
    config,
    played: join(home, 'played.raw'),
    capture: join(home, 'capture.raw'),
    env: { ...process.env, HOME: home, ALSA_CONFIG_PATH: config },
  };
}
