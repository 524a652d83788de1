import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../main/core/log.js';
import { FileSecretStore, SecretFileError } from '../../../../main/core/store/file-secret-store.js';
import { tempDir } from '../../../helpers/temp-dir.js';

describe('FileSecretStore (--secrets-file)', () => {
  it('keeps secrets across instances in a 0600 file, and says where they are', async () => {
    const path = join(tempDir(), 'secrets.json');
    const warnings: string[] = [];
    const log = { ...silentLogger, warn: (message: string) => void warnings.push(message) };
    const store = new FileSecretStore(path, log);
    expect(warnings).toEqual([expect.stringContaining('plain text')]);
    expect(store.description).toContain(path);
    await store.set('account:a:password', 's3cret');
    await store.set('account:b:password', 'other');
    expect((statSync(path).mode & 0o777).toString(8)).toBe('600');
    const again = new FileSecretStore(path, silentLogger);
    expect(await again.get('account:a:password')).toBe('s3cret');
    await again.delete('account:a:password');
    expect(await new FileSecretStore(path, silentLogger).get('account:a:password')).toBeUndefined();
    expect(await new FileSecretStore(path, silentLogger).get('toString')).toBeUndefined();
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ 'account:b:password': 'other' });
  });

  it('makes a file others can read private, with a warning; refuses one that is not an object of strings', () => {
    const dir = tempDir();
    const open = join(dir, 'open.json');
    writeFileSync(open, '{}');
    chmodSync(open, 0o644);
    const warnings: string[] = [];
    new FileSecretStore(open, { ...silentLogger, warn: (message: string) => void warnings.push(message) });
    expect(warnings.some((w) => /read by other users/.test(w))).toBe(true);
    expect((statSync(open).mode & 0o777).toString(8)).toBe('600');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"a": 1}', { mode: 0o600 });
    expect(() => new FileSecretStore(bad, silentLogger)).toThrowError(SecretFileError);
    writeFileSync(bad, 'not json', { mode: 0o600 });
    expect(() => new FileSecretStore(bad, silentLogger)).toThrowError(/not readable JSON/);
  });
});
