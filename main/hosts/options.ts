/**
 * What every host accepts on its command line: `--data-dir DIR` (store and settings),
 * `--config FILE` (accounts and settings to load at start) and `--audio` (which sound devices),
 * so several phones can run side by side on one machine.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigFile } from '../../shared/model.js';
import { ContractError } from '../../shared/errors.js';
import { parseWith } from '../../shared/validate.js';

export const appDirName = 'softphone';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
  constructor(
    readonly file: string,
    message: string,
    readonly field?: string,
  ) {
    super(`${file}: ${message}`);
  }
}

/** The platform's per-user data folder, as Electron's `userData` would choose it. */
export function defaultDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  const home = env['HOME'] ?? homedir();
  switch (platform) {
    case 'win32':
      return join(env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), appDirName);
    case 'darwin':
      return join(home, 'Library', 'Application Support', appDirName);
    default:
      return join(env['XDG_CONFIG_HOME'] ?? join(home, '.config'), appDirName);
  }
}

export function loadConfigFile(file: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigFileError(file, `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigFileError(file, `not valid JSON: ${(error as Error).message}`);
  }
  try {
    return parseWith(ConfigFile, json, 'config') as ConfigFile;
  } catch (error) {
    if (error instanceof ContractError) throw new ConfigFileError(file, error.message, error.field);
    throw error;
  }
}

/** `--audio`: real devices through PortAudio (default), silence, or WAV files. */
export type AudioOption = { kind: 'portaudio' } | { kind: 'null' } | { kind: 'wav'; input?: string; output?: string };

export function parseAudioOption(value: string): AudioOption {
  if (value === 'portaudio') return { kind: 'portaudio' };
  if (value === 'null') return { kind: 'null' };
  const wav = /^wav:([^,]*)(?:,(.*))?$/.exec(value);
  if (wav !== null) {
    const [, input, output] = wav;
    return {
      kind: 'wav',
      ...(input === undefined || input === '' ? {} : { input: resolve(input) }),
      ...(output === undefined || output === '' ? {} : { output: resolve(output) }),
    };
  }
  throw new UsageError('--audio is portaudio, null, or wav:IN.wav[,OUT.wav]');
}

export interface CommonOptions {
  dataDir: string;
  configFile?: string;
  audio?: AudioOption;
  /** `--secrets-file FILE`: SIP passwords kept in that file (0600, plain text) instead of memory only. */
  secretsFile?: string;
  /** `--recover-database restore|fresh`: what to do with a damaged database (default: refuse to start, saying so). */
  recoverDatabase?: 'restore-backup' | 'start-fresh';
  /** Arguments not consumed here, in order, for the host to read. */
  rest: string[];
}

/** Takes `--data-dir` and `--config` (as `--x VALUE` or `--x=VALUE`) out of argv. */
export function parseCommonOptions(argv: readonly string[], fallbackDataDir: () => string = defaultDataDir): CommonOptions {
  let dataDir: string | undefined;
  let configFile: string | undefined;
  let audio: AudioOption | undefined;
  let recoverDatabase: CommonOptions['recoverDatabase'];
  let secretsFile: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--data-dir' || flag === '--config' || flag === '--audio' || flag === '--recover-database' || flag === '--secrets-file') {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '') throw new UsageError(`${flag} needs a value`);
      if (flag === '--data-dir') dataDir = resolve(value);
      else if (flag === '--config') configFile = resolve(value);
      else if (flag === '--secrets-file') secretsFile = resolve(value);
      else if (flag === '--recover-database') {
        if (value !== 'restore' && value !== 'fresh') throw new UsageError('--recover-database is restore (the last backup) or fresh (an empty database)');
        recoverDatabase = value === 'restore' ? 'restore-backup' : 'start-fresh';
      } else audio = parseAudioOption(value);
    } else {
      rest.push(arg);
    }
  }
  return {
    dataDir: dataDir ?? fallbackDataDir(),
    ...(configFile === undefined ? {} : { configFile }),
    ...(audio === undefined ? {} : { audio }),
    ...(recoverDatabase === undefined ? {} : { recoverDatabase }),
    ...(secretsFile === undefined ? {} : { secretsFile }),
    rest,
  };
}
