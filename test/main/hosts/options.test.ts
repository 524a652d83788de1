import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigFileError, defaultDataDir, loadConfigFile, parseCommonOptions, UsageError } from '../../../main/hosts/options.js';
import { tempDir } from '../../helpers/temp-dir.js';

describe('host options', () => {
  it('takes --data-dir and --config in both spellings and leaves the rest', () => {
    expect(parseCommonOptions(['--data-dir', 'a', 'call', '--config=b.json', 'x'], () => '/default')).toEqual({
      dataDir: resolve('a'),
      configFile: resolve('b.json'),
      rest: ['call', 'x'],
    });
    expect(parseCommonOptions([], () => '/default')).toEqual({ dataDir: '/default', rest: [] });
    expect(() => parseCommonOptions(['--config'])).toThrowError(UsageError);
    expect(parseCommonOptions(['--audio', 'null'], () => '/d').audio).toEqual({ kind: 'null' });
    expect(parseCommonOptions(['--audio=wav:in.wav,out.wav'], () => '/d').audio).toEqual({ kind: 'wav', input: resolve('in.wav'), output: resolve('out.wav') });
    expect(parseCommonOptions(['--audio', 'wav:,rec.wav'], () => '/d').audio).toEqual({ kind: 'wav', output: resolve('rec.wav') });
    expect(() => parseCommonOptions(['--audio', 'speakers'])).toThrowError(/--audio is/);
    expect(() => parseCommonOptions(['--data-dir='])).toThrowError(UsageError);
    expect(parseCommonOptions(['--recover-database', 'restore'], () => '/d').recoverDatabase).toBe('restore-backup');
    expect(parseCommonOptions(['--recover-database=fresh'], () => '/d').recoverDatabase).toBe('start-fresh');
    expect(() => parseCommonOptions(['--recover-database', 'wipe'])).toThrowError(/restore .* or fresh/);
  });

  it('picks each platform user-data folder', () => {
    expect(defaultDataDir('linux', { HOME: '/home/u' })).toBe('/home/u/.config/softphone');
    expect(defaultDataDir('linux', { HOME: '/home/u', XDG_CONFIG_HOME: '/x' })).toBe('/x/softphone');
    expect(defaultDataDir('darwin', { HOME: '/Users/u' })).toBe('/Users/u/Library/Application Support/softphone');
    expect(defaultDataDir('win32', { HOME: 'C:\\Users\\u', APPDATA: 'C:\\Users\\u\\AppData\\Roaming' })).toContain('softphone');
  });

  it('loads a config file, and refuses a bad one with the file and the field', () => {
    const dir = tempDir();
    const write = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const good = loadConfigFile(write('good.json', '{"accounts":[{"user":"eve","domain":"lab.test"}]}'));
    expect(good.accounts[0]).toMatchObject({ user: 'eve', transport: 'udp' });
    expect(() => loadConfigFile(join(dir, 'missing.json'))).toThrowError(/cannot read: ENOENT/);
    expect(() => loadConfigFile(write('broken.json', '{'))).toThrowError(/not valid JSON/);
    try {
      loadConfigFile(write('bad.json', '{"accounts":[{"user":"eve","domain":"lab.test","registerExpires":-1}]}'));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigFileError);
      expect(error).toMatchObject({ field: 'accounts.0.registerExpires' });
      expect((error as Error).message).toContain('bad.json');
    }
  });
});
