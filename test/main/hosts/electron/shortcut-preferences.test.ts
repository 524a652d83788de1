/**
 * The desktop's global shortcuts as preferences (Settings edits them): the Electron host, on the
 * fake electron module, registers what the preferences say and registers again when they change;
 * shortcuts an earlier version kept in desktop.json are carried over once.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../../main/core/log.js';
import { startElectronHost, type HostEnvironment } from '../../../../main/hosts/electron/host.js';
import type { StartedCore } from '../../../../main/hosts/start-core.js';
import { tempDir } from '../../../helpers/temp-dir.js';
import { Emitter, fakeElectron, type FakeElectron } from './fake-electron.js';

const cores: StartedCore[] = [];
const crashEvents = new Emitter();
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.core.close()));
  crashEvents.listeners.clear();
});

function testEnvironment(): Partial<HostEnvironment> {
  return { platform: 'linux', loadHid: async () => undefined, interfaces: () => ({}), quitTimeoutMs: 3000, env: { XDG_CONFIG_HOME: tempDir() }, processEvents: crashEvents as never };
}

async function started(setup: (fake: FakeElectron) => void = () => {}): Promise<{ fake: FakeElectron; core: StartedCore }> {
  const fake = fakeElectron(tempDir());
  setup(fake);
  const host = startElectronHost(fake.module, [], silentLogger, testEnvironment());
  const { started: core } = await host.ready;
  cores.push(core);
  return { fake, core };
}

const registered = (fake: FakeElectron) => [...fake.shortcuts.keys()].sort();

describe('global shortcuts from the preferences (fake electron)', () => {
  it('registers the defaults, then again when Settings changes them; a shortcut removed is released', async () => {
    const { fake, core } = await started();
    expect(registered(fake)).toEqual(['CommandOrControl+Alt+Shift+A', 'CommandOrControl+Alt+Shift+H', 'CommandOrControl+Alt+Shift+M']);

    const outcome = await core.bridge.invoke('preferences.set', { shortcuts: { answer: 'F13', hangup: 'Ctrl+Alt+H', mute: null } });
    expect(outcome.ok).toBe(true);
    await vi.waitFor(() => expect(registered(fake)).toEqual(['Ctrl+Alt+H', 'F13']));
    // A change of another preference leaves them alone.
    await core.bridge.invoke('preferences.set', { language: 'de' });
    expect(registered(fake)).toEqual(['Ctrl+Alt+H', 'F13']);
  });

  it('refuses a malformed shortcut and a duplicate, saying why, and keeps the registered ones', async () => {
    const { fake, core } = await started();
    const bad = await core.bridge.invoke('preferences.set', { shortcuts: { answer: 'A', hangup: null, mute: null } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_params', field: 'shortcuts.answer' } });
    expect(bad.ok ? '' : bad.error.message).toContain('not a usable shortcut');
    const twice = await core.bridge.invoke('preferences.set', { shortcuts: { answer: 'Ctrl+Alt+A', hangup: 'Alt+Control+a', mute: null } });
    expect(twice).toMatchObject({ ok: false, error: { field: 'shortcuts.hangup' } });
    expect(twice.ok ? '' : twice.error.message).toContain('Alt+Control+a is already the shortcut to answer');
    expect(registered(fake)).toEqual(['CommandOrControl+Alt+Shift+A', 'CommandOrControl+Alt+Shift+H', 'CommandOrControl+Alt+Shift+M']);
  });

  it('carries shortcuts set in desktop.json over to the preferences once', async () => {
    const { fake, core } = await started((f) => {
      writeFileSync(join(f.app.userData, 'desktop.json'), JSON.stringify({ shortcuts: { answer: 'Ctrl+Shift+F5', hangup: 'Ctrl+Shift+F6', mute: null } }));
    });
    expect(registered(fake)).toEqual(['Ctrl+Shift+F5', 'Ctrl+Shift+F6']);
    const preferences = await core.bridge.invoke('preferences.get', {});
    expect(preferences).toMatchObject({ ok: true, result: { shortcuts: { answer: 'Ctrl+Shift+F5', hangup: 'Ctrl+Shift+F6', mute: null } } });
  });
});
