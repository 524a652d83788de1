/**
 * Crash safety of the store (issue 9 point 9): a child process writes contacts and call history
 * through the real stores (fixtures/store-writer.ts) and is killed with SIGKILL at a seeded
 * random moment — mostly mid-write, sometimes while it is still opening the database — many
 * times over the same file. After each kill the database opens with `openDatabase` and no
 * recovery, passes SQLite's integrity check and FTS5's, holds every write the child
 * acknowledged, and no half of one: a contact is there with its caller-ID keys and its search
 * row, or not at all. The one write in flight at the kill may have landed or not; nothing else
 * may appear. Figures are printed for docs/RELIABILITY.md.
 *
 * SIGKILL ends the process, not the machine: what reaches the kernel survives, so this proves
 * the transactions and the WAL recovery, not fsync on power loss.
 *
 * STORE_KILL_RUNS and STORE_KILL_SEED change the runs; STORE_KILL_KEEP=<dir> keeps the database
 * and the writer's logs there to look at after a failure.
 */
import type Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { addressKeys, ContactsStore } from '../../main/core/store/contacts-store.js';
import { openDatabase } from '../../main/core/store/database.js';
import { HistoryStore } from '../../main/core/store/history-store.js';
import { tempDir } from '../helpers/temp-dir.js';
import { contactOf } from './fixtures/store-kill-data.js';

const writer = fileURLToPath(new URL('./fixtures/store-writer.ts', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const RUNS = Number(process.env['STORE_KILL_RUNS'] ?? 30);
const SEED = Number(process.env['STORE_KILL_SEED'] ?? 9);

/** mulberry32, seeded: the kill moments are the same on every run of the test. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

type Write = { op: 'put'; id: string; version: number } | { op: 'remove'; id: string } | { op: 'call'; id: string };

interface ChildRun {
  /** Writes the child acknowledged, in order. */
  acknowledged: Write[];
  /** The write announced but not acknowledged when the kill came, if any. */
  inFlight: Write | undefined;
  /** Whether the kill came before the database was open. */
  beforeReady: boolean;
  readyMs: number | undefined;
}

function parseWrite(line: string): Write {
  const [op, id, version] = line.slice(2).split(' ');
  if (op === 'put') return { op, id: id!, version: Number(version) };
  if (op === 'remove' || op === 'call') return { op, id: id! };
  throw new Error(`the writer said ${JSON.stringify(line)}`);
}

/**
 * Starts the writer and kills it: `early` at `delayMs` after the spawn wherever it is, otherwise
 * `delayMs` after it said ready. Any other ending (an error, an exit) fails the test.
 */
async function runAndKill(dir: string, dataDir: string, run: number, seed: number, early: boolean, delayMs: number): Promise<ChildRun> {
  const started = performance.now();
  const logFile = join(dir, `writer-${run}.log`);
  writeFileSync(logFile, '');
  // The writer says "ready" on stdout too, to start the clock; its account is the log file.
  const proc = spawn(process.execPath, ['--import', tsx, writer, dataDir, logFile, String(run), String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let readyMs: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  if (early) timer = setTimeout(() => proc.kill('SIGKILL'), delayMs);
  proc.stdout.once('data', () => {
    readyMs = performance.now() - started;
    if (!early) timer = setTimeout(() => proc.kill('SIGKILL'), delayMs);
  });
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const guard = setTimeout(() => proc.kill('SIGKILL'), 20_000);
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('close', (code, signal) => resolve({ code, signal })));
  clearTimeout(timer);
  clearTimeout(guard);
  if (exit.signal !== 'SIGKILL') throw new Error(`the writer ended by itself (code ${exit.code}, signal ${exit.signal}):\n${stderr}`);
  if (stderr.trim() !== '') throw new Error(`the writer complained:\n${stderr}`);
  // Only whole lines count: a line cut by the kill was never fully said.
  const lines = readFileSync(logFile, 'utf8').split('\n').slice(0, -1);
  if (process.env['STORE_KILL_KEEP'] === undefined) rmSync(logFile);
  const acknowledged: Write[] = [];
  let inFlight: Write | undefined;
  for (const line of lines) {
    if (line === 'ready') continue;
    if (line.startsWith('> ')) {
      if (inFlight !== undefined) throw new Error(`the writer announced ${line} before acknowledging ${JSON.stringify(inFlight)}`);
      inFlight = parseWrite(line);
    } else if (line === 'ok' && inFlight !== undefined) {
      acknowledged.push(inFlight);
      inFlight = undefined;
    } else {
      throw new Error(`the writer said ${JSON.stringify(line)}`);
    }
  }
  return { acknowledged, inFlight, beforeReady: readyMs === undefined, readyMs };
}

/** What the file should hold, from every acknowledged write so far: a contact's version, or gone. */
class Expected {
  readonly contacts = new Map<string, number | 'removed'>();
  readonly calls = new Set<string>();

  apply(write: Write): void {
    if (write.op === 'put') this.contacts.set(write.id, write.version);
    else if (write.op === 'remove') this.contacts.set(write.id, 'removed');
    else this.calls.add(write.id);
  }
}

type ContactState = number | 'removed';

function groupBy(rows: { id: string; value: string }[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const { id, value } of rows) groups.set(id, [...(groups.get(id) ?? []), value]);
  return groups;
}

/** Checks the reopened database against the expectation; returns how the in-flight write ended. */
function verify(db: Database.Database, expected: Expected, inFlight: Write | undefined): { landed: boolean | undefined; contactsFound: number; callsFound: number } {
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(db.pragma('foreign_key_check')).toEqual([]);
  // FTS5's own check: the trigram index agrees with its content.
  db.prepare("INSERT INTO contacts_search (contacts_search) VALUES ('integrity-check')").run();

  const contacts = new ContactsStore(db);
  const stored = new Map<string, ContactState>();
  for (const id of db.prepare('SELECT id FROM contacts').pluck().all() as string[]) {
    const contact = contacts.get(id);
    expect(contact, `contact ${id} reads back`).toBeDefined();
    const version = Number(/^v(\d+)$/.exec(contact!.notes ?? '')?.[1]);
    // The whole contact, as put: no field from one version mixed with another's.
    expect(contact).toEqual(contactOf(id, version));
    stored.set(id, version);
  }
  const keysOf = groupBy(db.prepare('SELECT contact_id AS id, match_key AS value FROM contact_keys').all() as { id: string; value: string }[]);
  const searchOf = groupBy(db.prepare('SELECT contact_id AS id, text AS value FROM contacts_search').all() as { id: string; value: string }[]);
  let landed: boolean | undefined;
  const ids = new Set([...expected.contacts.keys(), ...stored.keys()]);
  if (inFlight !== undefined && inFlight.op !== 'call') ids.add(inFlight.id);
  for (const id of ids) {
    const found = stored.get(id) ?? 'removed';
    const before = expected.contacts.get(id) ?? 'removed';
    const after: ContactState | undefined = inFlight?.id !== id ? undefined : inFlight.op === 'put' ? inFlight.version : inFlight.op === 'remove' ? 'removed' : undefined;
    if (after === undefined || after === before) {
      expect(found, `contact ${id}`).toBe(before);
    } else {
      expect([before, after], `contact ${id}, in flight ${JSON.stringify(inFlight)}`).toContain(found);
      landed = found === after;
    }
    // Its caller-ID keys and its search row go with it, all or nothing.
    const keys = (keysOf.get(id) ?? []).sort();
    const search = searchOf.get(id) ?? [];
    if (found === 'removed') {
      expect(keys, `keys of removed contact ${id}`).toEqual([]);
      expect(search, `search rows of removed contact ${id}`).toEqual([]);
    } else {
      const contact = contactOf(id, found);
      expect(keys, `keys of contact ${id}`).toEqual([...new Set(contact.addresses.flatMap((a) => addressKeys(a.value)))].sort());
      expect(search, `search row of contact ${id}`).toHaveLength(1);
      expect(search[0]).toContain(contact.name.toLowerCase());
    }
  }
  expect(db.prepare('SELECT count(*) FROM contact_keys WHERE contact_id NOT IN (SELECT id FROM contacts)').pluck().get()).toBe(0);
  expect(db.prepare('SELECT count(*) FROM contacts_search WHERE contact_id NOT IN (SELECT id FROM contacts)').pluck().get()).toBe(0);

  const calls = new Set(db.prepare('SELECT id FROM call_history').pluck().all() as string[]);
  const missing = [...expected.calls].filter((id) => !calls.has(id));
  expect(missing, 'acknowledged calls missing from the history').toEqual([]);
  const extra = [...calls].filter((id) => !expected.calls.has(id));
  expect(extra.every((id) => inFlight?.op === 'call' && inFlight.id === id), `history entries nobody acknowledged: ${extra.join(', ')}`).toBe(true);
  if (inFlight?.op === 'call') landed = calls.has(inFlight.id);
  // Every row is a whole, valid entry (the store drops rows that fail the schema).
  expect(new HistoryStore(db).list('all', calls.size + 1)).toHaveLength(calls.size);
  return { landed, contactsFound: [...stored.keys()].filter((id) => expected.contacts.get(id) === stored.get(id)).length, callsFound: calls.size - extra.length };
}

describe('store under SIGKILL', () => {
  it(`a writer killed ${RUNS} times at random moments: the file opens clean and holds every acknowledged write, whole`, async () => {
    const dir = process.env['STORE_KILL_KEEP'] ?? tempDir('softphone-store-kill-');
    const dataDir = join(dir, 'data');
    const random = seeded(SEED);
    const expected = new Expected();
    const figures = { runs: 0, early: 0, acknowledged: 0, contactsFound: 0, callsFound: 0, inFlight: 0, landed: 0, readyMs: [] as number[] };
    const started = performance.now();
    let readyMs = 400;
    for (let run = 1; run <= RUNS; run++) {
      // One run in five is killed anywhere from the spawn to about when it opened the file last time.
      const early = random() < 0.2;
      const delayMs = early ? random() * readyMs * 1.2 : 5 + random() * 150;
      const child = await runAndKill(dir, dataDir, run, Math.floor(random() * 2 ** 32), early, delayMs);
      if (child.readyMs !== undefined) {
        readyMs = child.readyMs;
        figures.readyMs.push(child.readyMs);
      }
      for (const write of child.acknowledged) expected.apply(write);

      // No recovery asked: a damaged file would throw here.
      const db = openDatabase(dataDir);
      try {
        const { landed, contactsFound, callsFound } = verify(db, expected, child.inFlight);
        figures.contactsFound = contactsFound;
        figures.callsFound = callsFound;
        if (landed !== undefined) figures.inFlight++;
        if (landed === true) {
          figures.landed++;
          // It is in the file now: later runs must find it there.
          expected.apply(child.inFlight!);
        }
      } finally {
        db.close();
      }
      expect(readdirSync(dataDir).filter((name) => name.includes('.corrupt-'))).toEqual([]);
      figures.runs++;
      if (child.beforeReady) figures.early++;
      figures.acknowledged += child.acknowledged.length;
    }
    const seconds = (performance.now() - started) / 1000;
    const live = [...expected.contacts.values()].filter((v) => v !== 'removed').length;
    const ready = figures.readyMs.sort((a, b) => a - b);
    console.log(
      `FIGURES store-kill runs=${figures.runs} killedBeforeOpen=${figures.early} writesAcknowledged=${figures.acknowledged} ` +
        `contactsFound=${figures.contactsFound}/${live} callsFound=${figures.callsFound}/${expected.calls.size} inFlightAtKill=${figures.inFlight} inFlightLanded=${figures.landed} ` +
        `childOpenMedianMs=${Math.round(ready[Math.floor(ready.length / 2)] ?? 0)} seconds=${seconds.toFixed(1)}`,
    );
    expect(figures.acknowledged).toBeGreaterThan(RUNS * 10);
    expect(figures.runs - figures.early).toBeGreaterThan(0);
  }, 120_000);
});
