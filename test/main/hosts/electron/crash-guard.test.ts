import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../main/core/log.js';
import { CrashGuard, restartArguments } from '../../../../main/hosts/electron/crash-guard.js';
import { tempDir } from '../../../helpers/temp-dir.js';
import { Emitter, fakeElectron } from './fake-electron.js';

describe('crash guard', () => {
  function guard(dataDir: string, clock: { now: number }, visible = true) {
    const fake = fakeElectron(dataDir);
    const errors: string[] = [];
    const crashGuard = new CrashGuard({
      app: fake.module.app,
      showError: (title) => errors.push(title),
      dataDir,
      argv: ['--audio', 'null', '--hidden', '--', 'sip:bob@example.com'],
      windowVisible: () => visible,
      log: silentLogger,
      now: () => clock.now,
    });
    return { fake, crashGuard, errors };
  }

  it('restarts up to three times in ten minutes, then says why and stays down', () => {
    const dataDir = tempDir();
    const clock = { now: 1_000_000 };
    for (let i = 0; i < 3; i++) {
      const { fake, crashGuard } = guard(dataDir, clock);
      expect(crashGuard.crashed(new Error(`boom ${i}`))).toBe(true);
      expect(fake.app.relaunched).toEqual([['--audio', 'null']]);
      clock.now += 60_000;
    }
    const { fake, crashGuard, errors } = guard(dataDir, clock);
    expect(crashGuard.crashed(new Error('boom 4'))).toBe(false);
    expect(fake.app.relaunched).toEqual([]);
    expect(fake.app.exitCodes).toEqual([70]);
    expect(errors).toEqual(['The softphone stopped']);
    expect(JSON.parse(readFileSync(join(dataDir, 'crashes.json'), 'utf8'))).toHaveLength(4);
    // Ten minutes later the count starts again.
    clock.now += 10 * 60_000;
    expect(guard(dataDir, clock).crashGuard.crashed(new Error('boom 5'))).toBe(true);
  });

  it('restarts hidden when the window was hidden, and never repeats a call link', () => {
    expect(restartArguments(['--data-dir', '/d', 'tel:+1555', '--config', '/c'], true)).toEqual(['--data-dir', '/d', '--hidden']);
    expect(restartArguments(['--hidden'], false)).toEqual([]);
  });

  it('installs and removes its handlers; a stray rejection is only logged', () => {
    const { crashGuard, fake } = guard(tempDir(), { now: 0 });
    const events = new Emitter();
    const uninstall = crashGuard.install(events as never);
    events.emit('unhandledRejection', new Error('late'));
    expect(fake.app.exitCodes).toEqual([]);
    expect(events.count('uncaughtException')).toBe(1);
    uninstall();
    expect(events.count('uncaughtException')).toBe(0);
    expect(events.count('unhandledRejection')).toBe(0);
  });
});
