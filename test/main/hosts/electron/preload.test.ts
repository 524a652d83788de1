import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { methodNames } from '../../../../shared/contract.js';
import type { PhoneApi } from '../../../../shared/phone-api.js';

const electron = vi.hoisted(() => {
  const exposed = new Map<string, unknown>();
  const invoked: { channel: string; params: unknown }[] = [];
  const rendererListeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
  return {
    exposed,
    invoked,
    rendererListeners,
    module: {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
      ipcRenderer: {
        invoke: async (channel: string, params: unknown) => {
          invoked.push({ channel, params });
          return channel === 'phone:app.info'
            ? { ok: true, result: { name: 'Softphone' } }
            : { ok: false, error: { code: 'invalid_params', message: 'calls.dial: target: empty', field: 'target' } };
        },
        on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => rendererListeners.set(channel, listener),
      },
    },
  };
});
vi.mock('electron', () => electron.module);

describe('preload', () => {
  it('exposes window.phone with named methods only, over one channel per method', async () => {
    await import('../../../../main/hosts/electron/preload.js');
    expect([...electron.exposed.keys()]).toEqual(['phone']);
    const phone = electron.exposed.get('phone') as PhoneApi;
    expect(Object.keys(phone)).not.toContain('invoke');
    expect(Object.keys(phone)).not.toContain('send');

    await expect(phone.app.info()).resolves.toEqual({ name: 'Softphone' });
    // A refusal arrives as the plain error payload: contextBridge would strip an Error's fields.
    await expect(phone.calls.dial({ target: '' })).rejects.toEqual({ code: 'invalid_params', message: 'calls.dial: target: empty', field: 'target' });
    expect(electron.invoked.map((c) => c.channel)).toEqual(['phone:app.info', 'phone:calls.dial']);
    expect(methodNames.every((m) => typeof (phone as unknown as Record<string, Record<string, unknown>>)[m.split('.')[0]!]![m.split('.')[1]!] === 'function')).toBe(true);
  });

  it('delivers contract events from the one event channel, and only those', async () => {
    await import('../../../../main/hosts/electron/preload.js');
    const phone = electron.exposed.get('phone') as PhoneApi;
    const seen: unknown[] = [];
    const stop = phone.on('call.incoming', (call) => seen.push(call));
    const deliver = electron.rendererListeners.get('phone:event')!;
    deliver({}, 'call.incoming', { id: 'c1' });
    deliver({}, 'not.an.event', { id: 'c2' });
    stop();
    deliver({}, 'call.incoming', { id: 'c3' });
    expect(seen).toEqual([{ id: 'c1' }]);
  });
});

describe('preload bundle', () => {
  it('is one CommonJS file that requires only electron (sandboxed preloads can load nothing else)', () => {
    const bundle = join(import.meta.dirname, '..', '..', '..', '..', 'dist', 'preload', 'preload.cjs');
    expect(existsSync(bundle), 'run `npm run build` first').toBe(true);
    const code = readFileSync(bundle, 'utf8');
    expect([...code.matchAll(/require\((["'`])([^"'`]+)\1\)/g)].map((m) => m[2])).toEqual(['electron']);
    expect(code).not.toMatch(/\bimport\s*\(/);
  });
});
