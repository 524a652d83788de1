/**
 * Where SIP passwords live. The store never writes a password itself: it asks a
 * `SecretStore`, which each host implements with what its platform offers (Electron:
 * `safeStorage`; web/CLI: process memory, filled from `--config` or the environment).
 */
export interface SecretStore {
  /** Human-readable description of where secrets go, shown in settings and logs. */
  readonly description: string;
  get(key: string): Promise<string | undefined>;
  set(key: string, secret: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Secrets kept only for the life of the process: nothing reaches the disk. */
export class MemorySecretStore implements SecretStore {
  readonly description = 'memory only (re-entered or re-loaded from --config at each start)';
  private readonly secrets = new Map<string, string>();

  async get(key: string): Promise<string | undefined> {
    return this.secrets.get(key);
  }
  async set(key: string, secret: string): Promise<void> {
    this.secrets.set(key, secret);
  }
  async delete(key: string): Promise<void> {
    this.secrets.delete(key);
  }
}

export function passwordKey(accountId: string): string {
  return `account:${accountId}:password`;
}
