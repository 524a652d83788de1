/**
 * The web and CLI hosts' explicit alternative to the desktop's keychain (issue #9 point 7):
 * passwords in a file the user chose (`--secrets-file`), readable by the user only (0600),
 * written whole and atomically. The file holds them in plain text — which is why it is never
 * the default, the user names it, and the phone warns at start and when the file is readable
 * by others.
 */
import { chmodSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import type { Logger } from '../log.js';
import type { SecretStore } from './secret-store.js';

export class SecretFileError extends Error {
  override readonly name = 'SecretFileError';
}

export class FileSecretStore implements SecretStore {
  readonly description: string;
  private secrets: Record<string, string>;

  constructor(
    private readonly path: string,
    private readonly log: Logger,
  ) {
    this.description = `a file you chose, readable by you only: ${path} (passwords in plain text)`;
    this.secrets = this.load();
    log.warn('SIP passwords are kept in plain text in the file given by --secrets-file; protect it', { path });
  }

  async get(key: string): Promise<string | undefined> {
    return Object.hasOwn(this.secrets, key) ? this.secrets[key] : undefined;
  }

  async set(key: string, secret: string): Promise<void> {
    this.secrets = { ...this.secrets, [key]: secret };
    this.save();
  }

  async delete(key: string): Promise<void> {
    if (!Object.hasOwn(this.secrets, key)) return;
    const { [key]: _gone, ...rest } = this.secrets;
    this.secrets = rest;
    this.save();
  }

  private load(): Record<string, string> {
    if (!existsSync(this.path)) return {};
    if (process.platform !== 'win32' && (statSync(this.path).mode & 0o077) !== 0) {
      this.log.warn('the secrets file can be read by other users: it is made private (0600)', { path: this.path });
      chmodSync(this.path, 0o600);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch (error) {
      throw new SecretFileError(`the secrets file ${this.path} is not readable JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === 'string')) {
      throw new SecretFileError(`the secrets file ${this.path} must be a JSON object of strings`);
    }
    return { ...(parsed as Record<string, string>) };
  }

  /** A whole new file beside the old one, then renamed over it: never half written. */
  private save(): void {
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(this.secrets, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.path);
  }
}
