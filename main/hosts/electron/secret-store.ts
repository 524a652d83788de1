/**
 * SIP passwords under the OS keychain's protection: encrypted with Electron `safeStorage`
 * (DPAPI on Windows, Keychain on macOS, libsecret/kwallet on Linux) and kept, encrypted, in a
 * 0600 file in the data folder. Where the OS offers no encryption, secrets stay in memory and
 * the user is told, rather than written in plain text.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../core/log.js';
import { MemorySecretStore, type SecretStore } from '../../core/store/secret-store.js';
import type { ElectronMain } from './electron-api.js';

export class SafeStorageSecretStore implements SecretStore {
  readonly description = 'encrypted with the operating system keychain (Electron safeStorage)';
  private readonly file: string;

  constructor(
    private readonly safeStorage: ElectronMain['safeStorage'],
    dataDir: string,
  ) {
    this.file = join(dataDir, 'secrets.json');
  }

  async get(key: string): Promise<string | undefined> {
    const sealed = this.read()[key];
    return sealed === undefined ? undefined : this.safeStorage.decryptString(Buffer.from(sealed, 'base64'));
  }

  async set(key: string, secret: string): Promise<void> {
    const all = this.read();
    all[key] = this.safeStorage.encryptString(secret).toString('base64');
    this.write(all);
  }

  async delete(key: string): Promise<void> {
    const all = this.read();
    if (!(key in all)) return;
    delete all[key];
    this.write(all);
  }

  private read(): Record<string, string> {
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.file, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
      return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
    } catch {
      return {};
    }
  }

  private write(all: Record<string, string>): void {
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, JSON.stringify(all), { mode: 0o600 });
    renameSync(temp, this.file);
  }
}

export function chooseSecretStore(electron: Pick<ElectronMain, 'safeStorage'>, dataDir: string, log: Logger): SecretStore {
  if (electron.safeStorage.isEncryptionAvailable()) return new SafeStorageSecretStore(electron.safeStorage, dataDir);
  log.warn('OS encryption unavailable: SIP passwords are kept in memory only');
  return new MemorySecretStore();
}
