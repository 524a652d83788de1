/**
 * The core: everything that makes the phone work, in plain Node. A host creates one core,
 * calls its contract handlers and subscribes to its events; nothing here knows which host
 * (Electron, web, CLI) it runs under.
 */
import type { EventSink, Handlers } from '../../shared/contract.js';
import type { ConfigFile, HostKind } from '../../shared/model.js';
import { EventHub } from './events.js';
import { silentLogger, type Logger } from './log.js';
import { Accounts } from './phone/accounts.js';
import { Phone } from './phone/phone.js';
import { Signalling } from './phone/signalling.js';
import { AccountsStore } from './store/accounts-store.js';
import { openDatabase } from './store/database.js';
import type { SecretStore } from './store/secret-store.js';

export interface CoreOptions {
  /** Where the store and settings live (`--data-dir`). */
  dataDir: string;
  /** Accounts and settings to load at start (`--config FILE`), already validated. */
  config?: ConfigFile;
  host: HostKind;
  appName: string;
  appVersion: string;
  /** Component versions to report in `app.info` (node, electron, chrome...). */
  versions?: Record<string, string>;
  secrets: SecretStore;
  logger?: Logger;
}

export interface Core {
  readonly handlers: Handlers;
  /** The SIP endpoint (transport + transactions), for the user agent and for tests. */
  readonly signalling: Signalling;
  subscribe(sink: EventSink): () => void;
  close(): Promise<void>;
}

export async function createCore(options: CoreOptions): Promise<Core> {
  const log = options.logger ?? silentLogger;
  const db = openDatabase(options.dataDir);
  const events = new EventHub(log);
  const accounts = new Accounts(new AccountsStore(db), options.secrets, events);

  for (const { id, ...fields } of options.config?.accounts ?? []) {
    // A config file's accounts are upserted by id (or by identity), so restarts don't duplicate.
    const existing = (await accounts.list()).find(
      (a) => a.id === id || (a.user === fields.user && a.domain.toLowerCase() === fields.domain.toLowerCase()),
    );
    await (existing === undefined ? accounts.add(fields, id) : accounts.add(fields, existing.id));
  }

  const phone = new Phone(
    {
      name: options.appName,
      version: options.appVersion,
      host: options.host,
      platform: process.platform,
      arch: process.arch,
      versions: { node: process.versions.node, ...options.versions },
    },
    accounts,
    events,
  );
  const signalling = new Signalling(events, log, (request, transaction) => phone.receiveRequest(request, transaction));
  try {
    await signalling.listen(options.config?.sip.listen ?? []);
  } catch (error) {
    await signalling.close();
    db.close();
    throw error;
  }
  log.info('core started', { host: options.host, dataDir: options.dataDir });

  let closed = false;
  return {
    handlers: phone.handlers,
    signalling,
    subscribe: (sink) => events.subscribe(sink),
    async close() {
      if (closed) return;
      closed = true;
      await signalling.close();
      db.close();
    },
  };
}
