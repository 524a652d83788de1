/**
 * electron-builder.yml against electron-builder's own configuration schema
 * (app-builder-lib/scheme.json), with the YAML loader and the ajv that electron-builder itself
 * depends on, resolved from app-builder-lib, and the ajv options of its schemaValidator.js.
 * Then what the schema cannot say: the packaging matches the code (schemes, native modules).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { callLinkSchemes } from '../../../../main/hosts/electron/call-link.js';
import { appUserModelId } from '../../../../main/hosts/electron/host.js';
import { tempDir } from '../../../helpers/temp-dir.js';

const root = join(import.meta.dirname, '..', '..', '..', '..');
const fromBuilder = createRequire(createRequire(join(root, 'package.json')).resolve('app-builder-lib/package.json'));

interface AjvError {
  instancePath: string;
  message?: string;
}
type AjvClass = new (options: Record<string, unknown>) => { compile(schema: unknown): ((data: unknown) => boolean) & { errors?: AjvError[] | null } };
const Ajv = (fromBuilder('ajv') as { default: AjvClass }).default;
const yaml = fromBuilder('js-yaml') as { load(text: string): unknown };
const schema: unknown = JSON.parse(readFileSync(fromBuilder.resolve('app-builder-lib/scheme.json'), 'utf8'));

// The options electron-builder validates with (app-builder-lib/out/util/config/schemaValidator.js).
const validate = new Ajv({ allErrors: true, verbose: true, coerceTypes: true, strict: false }).compile(schema);

function load(): Record<string, unknown> {
  return yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
}

function errorsOf(config: unknown): string[] {
  return validate(config) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's configuration schema", () => {
    expect(errorsOf(load())).toEqual([]);
  });

  it('the check has teeth: a misspelt option or a wrong type is refused', () => {
    expect(errorsOf({ ...load(), nsis: { oneClik: false } }).join('\n')).toMatch(/\/nsis/);
    expect(errorsOf({ ...load(), electronFuses: { runAsNode: 'sometimes' } }).join('\n')).toMatch(/\/electronFuses/);
  });

  it('gives Windows the AppUserModelID the app sets for its notifications', () => {
    expect(load()['appId']).toBe(appUserModelId);
  });

  it('registers exactly the schemes the app parses', () => {
    const protocols = load()['protocols'] as { schemes: string[] }[];
    expect(protocols.flatMap((p) => p.schemes).sort()).toEqual([...callLinkSchemes].sort());
  });

  it('builds NSIS, dmg, AppImage and deb', () => {
    const config = load() as Record<string, { target: string[] }>;
    expect(config['win']!.target).toEqual(['nsis']);
    expect(config['mac']!.target).toEqual(['dmg']);
    expect(config['linux']!.target).toEqual(['AppImage', 'deb']);
    expect(existsSync(join(root, 'assets', 'installer.nsh'))).toBe(true);
  });

  it('sets the fuses: no RunAsNode, no NODE_OPTIONS, encrypted cookies, asar integrity', () => {
    expect(load()['electronFuses']).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('keeps every native dependency out of the asar archive', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const native = Object.keys(pkg.dependencies).filter((name) => existsSync(join(root, 'node_modules', name, 'binding.gyp')));
    expect(native.sort()).toEqual(['@discordjs/opus', 'better-sqlite3', 'naudiodon']);
    const unpacked = load()['asarUnpack'] as string[];
    for (const name of native) expect(unpacked).toContain(`**/node_modules/${name}/**`);
  });

  it('macOS: microphone usage text, hardened runtime, JIT and audio-input entitlements', () => {
    const mac = load()['mac'] as { hardenedRuntime: boolean; entitlements: string; extendInfo: Record<string, string> };
    expect(mac.hardenedRuntime).toBe(true);
    expect(mac.extendInfo['NSMicrophoneUsageDescription']).toMatch(/microphone/);
    const plist = readFileSync(join(root, mac.entitlements), 'utf8');
    for (const key of ['com.apple.security.cs.allow-jit', 'com.apple.security.device.audio-input']) {
      expect(plist).toMatch(new RegExp(`<key>${key.replace(/\./g, '\\.')}</key>\\s*<true/>`));
    }
    expect(plist).not.toContain('com.apple.security.get-task-allow');
  });

  it('the beforeBuild hook marks the native-module ABI stamp stale and lets electron-builder rebuild', async () => {
    const hook = load()['beforeBuild'] as string;
    const { beforeBuild, staleStamp } = (await import(join(root, hook))) as {
      beforeBuild: (context: { appDir: string }) => Promise<boolean>;
      staleStamp: string;
    };
    const appDir = tempDir();
    mkdirSync(join(appDir, 'node_modules'));
    expect(await beforeBuild({ appDir })).toBe(true);
    expect(readFileSync(join(appDir, 'node_modules', '.native-abi'), 'utf8').trim()).toBe(staleStamp);
  });
});
