/**
 * The CLI host: JSON-RPC 2.0 over stdio (one JSON object per line, events as notifications)
 * and short human commands (`softphone call sip:bob@example.com`). Generic over the
 * contract: any method can be called by name; the human commands are a table of aliases.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { isMethod, methodNames, requests, type Method } from '../../../shared/contract.js';
import { eventNotification } from '../../../shared/jsonrpc.js';
import type { CallView } from '../../../shared/model.js';
import { streamLogger, type LogLevel } from '../../core/log.js';
import type { Outcome } from '../bridge.js';
import { readAppMeta } from '../app-meta.js';
import { parseCommonOptions, UsageError } from '../options.js';
import { handleRpcText } from '../rpc-server.js';
import { startCore, type StartedCore } from '../start-core.js';

export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** Data folder when `--data-dir` is not given (tests pass a temporary one). */
  defaultDataDir?: () => string;
}

/** Human commands: a word, the contract method it calls and the names of its positional args. */
const aliases: Record<string, { method: Method; args: readonly string[]; about: string }> = {
  info: { method: 'app.info', args: [], about: 'name, version and host' },
  accounts: { method: 'accounts.list', args: [], about: 'list accounts and their registration state' },
  register: { method: 'accounts.register', args: ['id'], about: 'register account ID now' },
  unregister: { method: 'accounts.unregister', args: ['id'], about: 'unregister account ID' },
  call: { method: 'calls.dial', args: ['target'], about: 'call TARGET and follow the call until it ends' },
  calls: { method: 'calls.list', args: [], about: 'list current calls' },
  answer: { method: 'calls.answer', args: ['callId'], about: 'answer call ID' },
  reject: { method: 'calls.reject', args: ['callId'], about: 'decline call ID' },
  hangup: { method: 'calls.hangup', args: ['callId'], about: 'end call ID' },
};

export function helpText(): string {
  const width = Math.max(...Object.keys(aliases).map((a) => a.length + 1 + aliases[a]!.args.join(' ').length));
  const lines = Object.entries(aliases).map(
    ([word, alias]) => `  ${`${word} ${alias.args.map((a) => a.toUpperCase()).join(' ')}`.padEnd(width + 2)}${alias.about}`,
  );
  const methods = methodNames.map((m) => `  ${m.padEnd(22)}${requests[m].summary}`);
  return `Usage: softphone [--data-dir DIR] [--config FILE] [--log-level LEVEL] [COMMAND [ARGS...]]

A SIP softphone on the command line. With no command, reads lines from stdin: each line is
either a JSON-RPC 2.0 request (answered on stdout, one JSON object per line; core events
arrive as JSON-RPC notifications) or a command as below. 'softphone rpc' does the same but
prints nothing that is not JSON-RPC.

Commands:
${lines.join('\n')}
  METHOD [ARGS...]         call any contract method; ARGS are a JSON object, or key=value
                           (a string) and key:=JSON pairs, e.g.
                           accounts.add user=alice domain=example.com password=secret

Methods:
${methods.join('\n')}

Options:
  --data-dir DIR    where the store and settings live (default: the platform's user-data folder)
  --config FILE     JSON file with accounts to load at start ({"accounts": [...]}); passwords in
                    it are kept in memory only, so protect the file (chmod 600)
  --audio A         sound devices: portaudio (default), null (silence), or wav:IN.wav[,OUT.wav]
  --secrets-file FILE
                    keep SIP passwords in FILE (made 0600; plain text — protect it) instead
                    of in memory only
  --recover-database restore|fresh
                    when the database is damaged: put the last backup in its place, or start
                    empty (the damaged file is kept aside either way)
  --log-level L     debug, info, warn or error (default warn); logs go to stderr
  --help, --version
`;
}

/** Turns `METHOD ARGS...` or `ALIAS ARGS...` into a method and params. */
export function parseCommand(words: readonly string[]): { method: Method; params: Record<string, unknown> } {
  const [word, ...args] = words;
  if (word === undefined) throw new UsageError('no command');
  const alias = aliases[word];
  if (alias !== undefined) {
    const params: Record<string, unknown> = {};
    const positional: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      if (!arg.startsWith('--')) {
        positional.push(arg);
        continue;
      }
      const value = args[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      params[arg.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] = value;
    }
    if (positional.length > alias.args.length) throw new UsageError(`${word}: unexpected argument ${positional[alias.args.length]}`);
    const missing = alias.args.slice(positional.length);
    if (missing.length > 0) throw new UsageError(`${word}: missing ${missing.map((m) => m.toUpperCase()).join(' ')}`);
    alias.args.forEach((name, i) => (params[name] = positional[i]));
    return { method: alias.method, params };
  }
  if (!isMethod(word)) throw new UsageError(`unknown command ${word} (try --help)`);
  if (args.length === 1 && args[0]!.trimStart().startsWith('{')) {
    let params: unknown;
    try {
      params = JSON.parse(args[0]!);
    } catch {
      throw new UsageError(`${word}: the argument is not valid JSON`);
    }
    return { method: word, params: params as Record<string, unknown> };
  }
  const params: Record<string, unknown> = {};
  for (const arg of args) {
    const json = /^([A-Za-z][\w.]*):=(.*)$/s.exec(arg);
    const text = /^([A-Za-z][\w.]*)=(.*)$/s.exec(arg);
    if (json !== null) {
      try {
        setPath(params, json[1]!, JSON.parse(json[2]!));
      } catch {
        throw new UsageError(`${json[1]}: not valid JSON`);
      }
    } else if (text !== null) setPath(params, text[1]!, text[2]!);
    else throw new UsageError(`${word}: expected key=value or key:=JSON, got ${arg}`);
  }
  return { method: word, params };
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') throw new UsageError(`bad key ${path}`);
    const next = node[key];
    node = (node[key] = typeof next === 'object' && next !== null ? next : {}) as Record<string, unknown>;
  }
  const last = keys.at(-1)!;
  if (last === '__proto__' || last === 'constructor' || last === 'prototype') throw new UsageError(`bad key ${path}`);
  node[last] = value;
}

function describe(outcome: Extract<Outcome, { ok: false }>): string {
  const { error } = outcome;
  return `error (${error.code}): ${error.message}`;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const write = (text: string) => void io.stdout.write(text);
  let common;
  let logLevel: LogLevel = 'warn';
  try {
    common = parseCommonOptions(argv, io.defaultDataDir);
    const rest: string[] = [];
    for (let i = 0; i < common.rest.length; i++) {
      const arg = common.rest[i]!;
      if (arg === '--help' || arg === '-h' || (arg === 'help' && rest.length === 0)) {
        write(helpText());
        return 0;
      } else if (arg === '--log-level' && rest.length === 0) {
        const level = common.rest[++i];
        if (level !== 'debug' && level !== 'info' && level !== 'warn' && level !== 'error') {
          throw new UsageError('--log-level is debug, info, warn or error');
        }
        logLevel = level;
      } else rest.push(arg);
    }
    common.rest = rest;
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n`);
    return 64;
  }
  const log = streamLogger((line) => void io.stderr.write(line), logLevel);
  let started: StartedCore;
  try {
    if (common.rest[0] === '--version') {
      write(`${readAppMeta().version}\n`);
      return 0;
    }
    started = await startCore('cli', common, log);
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n`);
    return 1;
  }
  try {
    if (common.rest.length === 0 || (common.rest.length === 1 && common.rest[0] === 'rpc')) {
      await serveLines(started, io, common.rest[0] === 'rpc');
      return 0;
    }
    return await runOnce(started, common.rest, io);
  } finally {
    await started.core.close();
  }
}

async function runOnce({ bridge, core }: StartedCore, words: readonly string[], io: CliIo): Promise<number> {
  let command;
  try {
    command = parseCommand(words);
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n`);
    return 64;
  }
  // Follow a placed call until it ends, printing each state.
  let callId: string | undefined;
  let ended: () => void = () => {};
  const done = new Promise<void>((resolve) => (ended = resolve));
  const unsubscribe = core.subscribe((name, payload) => {
    if (name !== 'call.state') return;
    const call = payload as CallView;
    if (call.id !== callId) return;
    io.stdout.write(`call ${call.id}: ${call.state}${call.end ? ` (${call.end.reason})` : ''}\n`);
    if (call.state === 'terminated') ended();
  });
  try {
    const outcome = await bridge.invoke(command.method, command.params);
    if (!outcome.ok) {
      io.stderr.write(`${describe(outcome)}\n`);
      return 1;
    }
    io.stdout.write(`${JSON.stringify(outcome.result, null, 2)}\n`);
    if (command.method === 'calls.dial') {
      const call = outcome.result as CallView;
      callId = call.id;
      if (call.state !== 'terminated') {
        const hangup = () => void bridge.invoke('calls.hangup', { callId: call.id });
        process.once('SIGINT', hangup);
        await done;
        process.off('SIGINT', hangup);
      }
    }
    return 0;
  } finally {
    unsubscribe();
  }
}

async function serveLines({ bridge, core }: StartedCore, io: CliIo, jsonOnly: boolean): Promise<void> {
  const unsubscribe = core.subscribe((name, payload) => void io.stdout.write(`${eventNotification(name, payload)}\n`));
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  const inFlight = new Set<Promise<void>>();
  try {
    for await (const raw of lines) {
      const line = raw.trim();
      if (line === '') continue;
      const task = (async () => {
        if (line.startsWith('{') || line.startsWith('[') || jsonOnly) {
          const reply = await handleRpcText(bridge, line);
          if (reply !== undefined) io.stdout.write(`${reply}\n`);
          return;
        }
        if (line === 'quit' || line === 'exit') return lines.close();
        if (line === 'help') return void io.stdout.write(helpText());
        try {
          const { method, params } = parseCommand(splitWords(line));
          const outcome = await bridge.invoke(method, params);
          io.stdout.write(outcome.ok ? `${JSON.stringify(outcome.result, null, 2)}\n` : `${describe(outcome)}\n`);
        } catch (error) {
          io.stdout.write(`${(error as Error).message}\n`);
        }
      })();
      inFlight.add(task);
      void task.finally(() => inFlight.delete(task));
    }
    await Promise.all(inFlight);
  } finally {
    unsubscribe();
  }
}

/** Splits a command line on spaces, keeping "quoted words" and 'quoted words' together. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) {
    words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]!));
  }
  return words;
}
