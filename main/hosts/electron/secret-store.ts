/**
 * SIP passwords under the OS keychain's protection: encrypted with Electron `safeStorage`
 * (DPAPI on Windows, Keychain on macOS, libsecret/kwallet on Linux) and kept, encrypted, in a
 * 0600 file in the data folder. Where the OS offers no real encryption — none at all, or
 * Linux's `basic_text` backend, which "encrypts" with a fixed key — a password is refused with
 * an error that says why, rather than written in a form anyone can read back.
 */
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PhoneError } from '../../../shared/errors.js';
import type { Logger } from '../../core/log.js';
import type { SecretStore } from '../../core/store/secret-store.js';
import type { ElectronMain } from './electron-api.js';

type SafeStorage = Pick<ElectronMain['safeStorage'], 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> &
  Partial<Pick<ElectronMain['safeStorage'], 'getSelectedStorageBackend'>>;

/** Why passwords cannot be kept here, or undefined when they can. */
export function encryptionUnavailableReason(safeStorage: SafeStorage, platform: NodeJS.Platform = process.platform): string | undefined {
  if (!safeStorage.isEncryptionAvailable()) return 'the operating system offers no encryption for it (no keychain or secret service)';
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
    return 'no secret service (GNOME Keyring or KWallet) is running, so it could only be obfuscated';
  }
  return undefined;
}

export class SafeStorageSecretStore implements SecretStore {
  private readonly file: string;

  constructor(
    private readonly safeStorage: SafeStorage,
    dataDir: string,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {
    this.file = join(dataDir, 'secrets.json');
  }

  get description(): string {
    const reason = encryptionUnavailableReason(this.safeStorage, this.platform);
    return reason === undefined ? 'encrypted with the operating system keychain (Electron safeStorage)' : `not saved: ${reason}`;
  }

  async get(key: string): Promise<string | undefined> {
    const sealed = this.read()[key];
    if (sealed === undefined) return undefined;
    this.refuseWithoutEncryption();
    try {
      return this.safeStorage.decryptString(Buffer.from(sealed, 'base64'));
    } catch (error) {
      // Another user's or another machine's keychain: the password must be entered again.
      throw new PhoneError('unavailable', `a saved password cannot be decrypted (${String(error)}); enter it again`, 'password');
    }
  }

  async set(key: string, secret: string): Promise<void> {
    this.refuseWithoutEncryption();
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

  private refuseWithoutEncryption(): void {
    const reason = encryptionUnavailableReason(this.safeStorage, this.platform);
    if (reason !== undefined) throw new PhoneError('unavailable', `the password cannot be saved securely: ${reason}`, 'password');
  }

  private write(all: Record<string, string>): void {
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, JSON.stringify(all), { mode: 0o600 });
    // `mode` applies only when the file is created: a temp file left by a crash keeps its own.
    chmodSync(temp, 0o600);
    renameSync(temp, this.file);
  }
}

/** The store is always the safeStorage one: without encryption it refuses passwords, and says so once here. */
export function chooseSecretStore(electron: Pick<ElectronMain, 'safeStorage'>, dataDir: string, log: Logger, platform: NodeJS.Platform = process.platform): SecretStore {
  const reason = encryptionUnavailableReason(electron.safeStorage, platform);
  if (reason !== undefined) log.warn(`SIP passwords cannot be saved: ${reason}`);
  return new SafeStorageSecretStore(electron.safeStorage, dataDir, platform);
}
