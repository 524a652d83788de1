import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseCommand, runCli, splitWords } from '../../../../main/hosts/cli/cli.js';
import { tempDir } from '../../../helpers/temp-dir.js';

const root = join(import.meta.dirname, '..', '..', '..', '..');

async function cli(argv: string[], input = ''): Promise<{ code: number; out: string; err: string }> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  stdin.end(input);
  const dataDir = tempDir();
  const code = await runCli(argv, { stdin, stdout, stderr, defaultDataDir: () => dataDir });
  return { code, out, err };
}

describe('CLI host', () => {
  it('prints --help with commands, methods and options', async () => {
    const { code, out } = await cli(['--help']);
    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: softphone/);
    for (const text of ['call TARGET', 'accounts.add', 'calls.dial', '--data-dir DIR', '--config FILE']) expect(out).toContain(text);
  });

  it('refuses to start on a damaged database, says how to go on, and goes on with --recover-database fresh', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'softphone.sqlite'), Buffer.alloc(8192, 0x5a));
    const run = async (argv: string[]) => {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = '';
      let err = '';
      stdout.on('data', (d: Buffer) => (out += d.toString()));
      stderr.on('data', (d: Buffer) => (err += d.toString()));
      const stdin = new PassThrough();
      stdin.end('{"jsonrpc":"2.0","id":1,"method":"accounts.list"}\n');
      const code = await runCli(['--data-dir', dataDir, '--audio', 'null', ...argv], { stdin, stdout, stderr, defaultDataDir: () => dataDir });
      return { code, out, err };
    };
    const refused = await run([]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/damaged or unreadable.*--recover-database restore or --recover-database fresh/);
    const fresh = await run(['--recover-database', 'fresh']);
    expect(fresh.code).toBe(0);
    expect(fresh.out).toContain('"result":[]');
  });

  it('with --secrets-file, an account added keeps its password across restarts; without it, not', async () => {
    const dataDir = tempDir();
    const secrets = join(tempDir(), 'secrets.json');
    const run = async (argv: string[], input: string) => {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = '';
      stdout.on('data', (d: Buffer) => (out += d.toString()));
      const stdin = new PassThrough();
      stdin.end(input);
      const code = await runCli(['--data-dir', dataDir, '--audio', 'null', ...argv], { stdin, stdout, stderr, defaultDataDir: () => dataDir });
      return { code, out };
    };
    const add = '{"jsonrpc":"2.0","id":1,"method":"accounts.add","params":{"user":"eve","domain":"127.0.0.1:9","password":"evepass","register":false}}\n';
    const list = '{"jsonrpc":"2.0","id":2,"method":"accounts.list"}\n';
    expect((await run(['--secrets-file', secrets], add)).code).toBe(0);
    expect((await run(['--secrets-file', secrets], list)).out).toContain('"hasPassword":true');
    expect((await run([], list)).out).toContain('"hasPassword":false');
    expect(existsSync(secrets)).toBe(true);
  });

  it('answers JSON-RPC requests on stdin, one line each', async () => {
    const { code, out } = await cli(
      [],
      '{"jsonrpc":"2.0","id":1,"method":"app.info"}\n\n{"jsonrpc":"2.0","id":2,"method":"calls.dial","params":{}}\n',
    );
    expect(code).toBe(0);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { id: number });
    expect(lines.sort((a, b) => a.id - b.id)).toEqual([
      expect.objectContaining({ id: 1, result: expect.objectContaining({ host: 'cli', name: 'Softphone' }) }),
      expect.objectContaining({ id: 2, error: expect.objectContaining({ code: -32602, data: expect.objectContaining({ field: 'target' }) }) }),
    ]);
  });

  it('in rpc mode, answers even a human-looking line as JSON-RPC', async () => {
    const { out } = await cli(['rpc'], 'accounts\n');
    expect(JSON.parse(out)).toMatchObject({ error: { code: -32700 } });
  });

  it('runs human commands and generic method calls, keeping state in --data-dir', async () => {
    const dataDir = tempDir();
    const added = await cli(['--data-dir', dataDir, 'accounts.add', 'user=alice', 'domain=lab.test', 'registerExpires:=300']);
    expect(added.code).toBe(0);
    expect(JSON.parse(added.out)).toMatchObject({ user: 'alice', registerExpires: 300, hasPassword: false });
    const listed = await cli([`--data-dir=${dataDir}`, 'accounts']);
    expect(JSON.parse(listed.out)).toEqual([expect.objectContaining({ user: 'alice', domain: 'lab.test' })]);
    const elsewhere = await cli(['accounts']);
    expect(JSON.parse(elsewhere.out)).toEqual([]);
  });

  it('reports refused requests and usage errors with an exit code', async () => {
    const refused = await cli(['accounts.add', 'user=alice', 'domain=no spaces']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('invalid_params');
    expect(refused.err).toContain('domain');
    expect((await cli(['frobnicate'])).code).toBe(64);
    expect((await cli(['hangup'])).err).toContain('missing CALLID');
    expect((await cli(['--data-dir'])).code).toBe(64);
  });

  it('loads accounts from --config, and refuses a bad config naming the field', async () => {
    const dir = tempDir();
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ accounts: [{ id: 'work', user: 'dave', domain: 'lab.test', password: 'davepass' }] }));
    const listed = await cli(['--config', good, 'accounts']);
    expect(JSON.parse(listed.out)).toEqual([expect.objectContaining({ id: 'work', user: 'dave', hasPassword: true })]);
    expect(listed.out).not.toContain('davepass');

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ accounts: [{ user: 'dave', domain: 'lab.test', transport: 'smoke-signal' }] }));
    const refused = await cli(['--config', bad, 'accounts']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('accounts.0.transport');
  });

  it('parses commands and words', () => {
    expect(parseCommand(['call', 'sip:bob@lab.test', '--account-id', 'a1'])).toEqual({
      method: 'calls.dial',
      params: { target: 'sip:bob@lab.test', accountId: 'a1' },
    });
    expect(parseCommand(['accounts.update', '{"id":"a1","changes":{}}'])).toEqual({ method: 'accounts.update', params: { id: 'a1', changes: {} } });
    expect(parseCommand(['accounts.update', 'id=a1', 'changes.enabled:=false'])).toEqual({
      method: 'accounts.update',
      params: { id: 'a1', changes: { enabled: false } },
    });
    expect(() => parseCommand(['accounts.update', 'changes.__proto__.x=1'])).toThrowError(/bad key/);
    expect(splitWords(`call "Bob Smith <sip:bob@x>" 'a b' c`)).toEqual(['call', 'Bob Smith <sip:bob@x>', 'a b', 'c']);
  });

  it('runs as the package bin: --help and a JSON-RPC request over real stdio', async () => {
    const bin = join(root, 'bin', 'softphone.js');
    expect(existsSync(join(root, 'dist', 'main', 'hosts', 'cli', 'main.js')), 'run `npm run build` first').toBe(true);
    const run = (args: string[], input: string) =>
      new Promise<{ code: number | null; out: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [bin, '--data-dir', tempDir(), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, out }));
        child.stdin.end(input);
      });
    const help = await run(['--help'], '');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: softphone');
    const rpc = await run(['rpc'], '{"jsonrpc":"2.0","id":7,"method":"app.info"}\n');
    expect(rpc.code).toBe(0);
    expect(JSON.parse(rpc.out)).toMatchObject({ jsonrpc: '2.0', id: 7, result: { name: 'Softphone', host: 'cli' } });
  });
});
