/**
 * `npm run web`: the phone's core and UI in a browser. Prints the address (with its per-run
 * token) to open; stops on SIGINT/SIGTERM.
 */
import { join } from 'node:path';
import { streamLogger } from '../../core/log.js';
import { parseCommonOptions, UsageError } from '../options.js';
import { startCore } from '../start-core.js';
import { startWebHost } from './server.js';

const usage = `Usage: npm run web -- [--port N] [--ipv6] [--data-dir DIR] [--config FILE] [--audio portaudio|null|wav:IN[,OUT]]

Serves the softphone UI on loopback and prints the address to open (with a one-time token).`;

async function main(argv: string[]): Promise<void> {
  const common = parseCommonOptions(argv);
  let port = 0;
  let host: '127.0.0.1' | '::1' = '127.0.0.1';
  for (let i = 0; i < common.rest.length; i++) {
    const arg = common.rest[i];
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${usage}\n`);
      return;
    } else if (arg === '--port') {
      port = Number(common.rest[++i]);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port needs a number 0-65535');
    } else if (arg === '--ipv6') {
      host = '::1';
    } else {
      throw new UsageError(`unknown argument ${arg}`);
    }
  }
  const log = streamLogger((line) => process.stderr.write(line));
  const { core, bridge, meta } = await startCore('web', common, log);
  const web = await startWebHost({
    bridge,
    subscribe: (sink) => core.subscribe(sink),
    staticDir: join(meta.root, 'dist', 'renderer'),
    host,
    port,
    logger: log,
  });
  process.stdout.write(`${meta.productName} ${meta.version} — open ${web.url}\n`);
  const stop = () => {
    void web
      .close()
      .then(() => core.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof UsageError ? 64 : 1);
});
