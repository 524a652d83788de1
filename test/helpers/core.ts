import { afterEach } from 'vitest';
import { createCore, type Core, type CoreOptions } from '../../main/core/index.js';
import { silentLogger } from '../../main/core/log.js';
import { MemorySecretStore } from '../../main/core/store/secret-store.js';
import { ContractBridge } from '../../main/hosts/bridge.js';
import { tempDir } from './temp-dir.js';

/** A real core on a temporary data folder, closed after the test. */
export async function testCore(options: Partial<CoreOptions> = {}): Promise<{ core: Core; bridge: ContractBridge; dataDir: string }> {
  const dataDir = options.dataDir ?? tempDir();
  const core = await createCore({
    dataDir,
    host: 'cli',
    appName: 'Softphone',
    appVersion: '9.9.9-test',
    secrets: new MemorySecretStore(),
    ...options,
  });
  afterEach(() => core.close());
  return { core, bridge: new ContractBridge(core.handlers, silentLogger), dataDir };
}
