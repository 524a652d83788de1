// electron-builder hooks (electron-builder.yml: beforeBuild). Packaging rebuilds the native
// modules in node_modules for Electron's ABI (npmRebuild). That leaves them unusable by Node,
// so the ABI stamp kept by scripts/native-abi.js is marked stale here: the next `npm test`,
// `npm run web` or `npm start` rebuilds for its own ABI instead of trusting an outdated stamp.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const staleStamp = 'unknown (rebuilt by electron-builder)';

/** @param {{ appDir: string, electronVersion: string, platform: { nodeName: string }, arch: string }} context */
export async function beforeBuild(context) {
  writeFileSync(join(context.appDir, 'node_modules', '.native-abi'), `${staleStamp}\n`);
  // true: electron-builder goes on and rebuilds the dependencies itself, for the target's
  // platform and architecture (which may not be this machine's).
  return true;
}
