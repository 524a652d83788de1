/** Entry point of the desktop app (`npm start`, package.json "main"). */
import * as electron from 'electron';
import { streamLogger } from '../../core/log.js';
import { startElectronHost } from './host.js';

const log = streamLogger((line) => process.stderr.write(line));
// Packaged apps get their own arguments from argv[1]; `electron .` puts the app path there.
const argv = process.argv.slice(electron.app.isPackaged ? 1 : 2);
const host = startElectronHost(electron, argv, log);
host.ready.catch((error: unknown) => {
  log.error('start failed', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  electron.dialog.showErrorBox('The softphone could not start', error instanceof Error ? error.message : String(error));
  electron.app.exit(1);
});
