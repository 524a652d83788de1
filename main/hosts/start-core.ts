/** What the three hosts do alike to bring a core up from their command-line options. */
import { StoreError } from '../core/store/database.js';
import { join } from 'node:path';
import type { HostKind } from '../../shared/model.js';
import { createCore, type Core } from '../core/index.js';
import type { Logger } from '../core/log.js';
import { MemorySecretStore, type SecretStore } from '../core/store/secret-store.js';
import { FileSecretStore } from '../core/store/file-secret-store.js';
import { readAppMeta, type AppMeta } from './app-meta.js';
import { ContractBridge } from './bridge.js';
import { loadConfigFile, type AudioOption, type CommonOptions } from './options.js';
import { NaudiodonDriver, NullDriver, WavFileDriver, type AudioDriver } from '../core/audio/index.js';

function audioDriver(option: AudioOption): AudioDriver {
  switch (option.kind) {
    case 'portaudio':
      return new NaudiodonDriver();
    case 'null':
      return new NullDriver();
    case 'wav':
      return new WavFileDriver({
        ...(option.input === undefined ? {} : { input: option.input }),
        ...(option.output === undefined ? {} : { output: option.output }),
      });
  }
}

export interface StartedCore {
  core: Core;
  bridge: ContractBridge;
  meta: AppMeta;
}

export async function startCore(
  host: HostKind,
  options: Pick<CommonOptions, 'dataDir' | 'configFile' | 'audio' | 'recoverDatabase' | 'secretsFile'>,
  logger: Logger,
  extra: { secrets?: SecretStore; versions?: Record<string, string> } = {},
): Promise<StartedCore> {
  const meta = readAppMeta();
  const config = options.configFile === undefined ? undefined : loadConfigFile(options.configFile);
  let core: Core;
  try {
    core = await createCore({
      dataDir: options.dataDir,
      ...(options.recoverDatabase === undefined ? {} : { recoverDatabase: options.recoverDatabase }),
      ...(config === undefined ? {} : { config }),
      host,
      appName: meta.productName,
      appVersion: meta.version,
      ...(extra.versions === undefined ? {} : { versions: extra.versions }),
      secrets: extra.secrets ?? (options.secretsFile === undefined ? new MemorySecretStore() : new FileSecretStore(options.secretsFile, logger)),
      logger,
      audio: {
        driver: audioDriver(options.audio ?? { kind: 'portaudio' }),
        // Real microphones and speakers get echo cancellation, light noise suppression and AGC.
        ...((options.audio ?? { kind: 'portaudio' }).kind === 'portaudio'
          ? { voice: { echoCancellation: true, noiseSuppression: 'low' as const, autoGain: true } }
          : {}),
      },
      sounds: { ringtonesDir: join(meta.root, 'assets', 'ringtones') },
    });
  } catch (error) {
    // A damaged database stops the start; the message says how to go on (the file is never reset silently).
    if (error instanceof StoreError && error.code === 'corrupt') {
      throw new StoreError(`${error.message}. Start again with --recover-database restore or --recover-database fresh.`, 'corrupt');
    }
    throw error;
  }
  return { core, bridge: new ContractBridge(core.handlers, logger), meta };
}
