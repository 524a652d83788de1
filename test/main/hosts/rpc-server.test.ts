import { describe, expect, it } from 'vitest';
import { handleRpcText } from '../../../main/hosts/rpc-server.js';
import { testCore } from '../../helpers/core.js';

async function rpc(text: string): Promise<unknown> {
  const { bridge } = await testCore();
  const reply = await handleRpcText(bridge, text);
  return reply === undefined ? undefined : JSON.parse(reply);
}

describe('JSON-RPC server over the contract', () => {
  it('answers a request with the core result', async () => {
    const reply = await rpc('{"jsonrpc":"2.0","id":"a","method":"app.info"}');
    expect(reply).toMatchObject({ jsonrpc: '2.0', id: 'a', result: { name: 'Softphone', version: '9.9.9-test', host: 'cli' } });
  });

  it.each([
    ['bad JSON', '{"jsonrpc":', -32700, null],
    ['not an object', '42', -32600, null],
    ['wrong version', '{"jsonrpc":"1.0","id":1,"method":"app.info"}', -32600, 1],
    ['unknown method', '{"jsonrpc":"2.0","id":2,"method":"system.exec"}', -32601, 2],
    ['bad params', '{"jsonrpc":"2.0","id":3,"method":"calls.dial","params":{"target":5}}', -32602, 3],
    ['an object id', '{"jsonrpc":"2.0","id":{},"method":"app.info"}', -32600, null],
    ['an empty batch', '[]', -32600, null],
  ])('refuses %s with the JSON-RPC code', async (_what, text, code, id) => {
    expect(await rpc(text)).toMatchObject({ jsonrpc: '2.0', id, error: { code } });
  });

  it('names the field and keeps the contract error in data', async () => {
    const reply = (await rpc('{"jsonrpc":"2.0","id":3,"method":"accounts.add","params":{"user":"bob","domain":"bad host"}}')) as {
      error: { data: { field: string; code: string } };
    };
    expect(reply.error.data).toMatchObject({ code: 'invalid_params', field: 'domain' });
  });

  it('answers a batch, skipping notifications', async () => {
    const reply = await rpc(
      JSON.stringify([
        { jsonrpc: '2.0', id: 1, method: 'calls.list' },
        { jsonrpc: '2.0', method: 'app.info' },
        { jsonrpc: '2.0', id: 2, method: 'calls.hangup', params: { callId: 'nope' } },
      ]),
    );
    expect(reply).toEqual([
      { jsonrpc: '2.0', id: 1, result: [] },
      expect.objectContaining({ id: 2, error: expect.objectContaining({ code: -32000, data: expect.objectContaining({ code: 'not_found' }) }) }),
    ]);
    expect(await rpc('{"jsonrpc":"2.0","method":"app.info"}')).toBeUndefined();
  });
});
