import { describe, expect, it } from 'vitest';
import { methodNames, type EventName, type Method } from '../../shared/contract.js';
import { createRpcClient } from '../../shared/jsonrpc.js';
import { createPhoneApi, type PhoneTransport } from '../../shared/phone-api.js';

function recordingTransport() {
  const calls: { method: Method; params: unknown }[] = [];
  const handlers = new Map<EventName, (payload: unknown) => void>();
  const transport: PhoneTransport = {
    invoke: async (method, params) => {
      calls.push({ method, params });
      return `result of ${method}`;
    },
    subscribe: (event, handler) => {
      handlers.set(event, handler);
      return () => handlers.delete(event);
    },
  };
  return { transport, calls, handlers };
}

describe('window.phone', () => {
  it('has one named function per contract method and nothing generic', async () => {
    const { transport, calls } = recordingTransport();
    const phone = createPhoneApi(transport);
    expect(Object.keys(phone).sort()).toEqual(['accounts', 'app', 'audio', 'calls', 'contacts', 'directory', 'history', 'messages', 'on', 'preferences', 'presence', 'voicemail']);
    expect(Object.keys(phone.calls).sort()).toEqual(['answer', 'dial', 'dtmf', 'hangup', 'hold', 'list', 'merge', 'mute', 'record', 'reject', 'split', 'transfer', 'transferReply']);
    for (const name of ['invoke', 'send', 'request', 'call']) expect(phone).not.toHaveProperty(name);

    await expect(phone.calls.dial({ target: 'sip:bob@example.com' })).resolves.toBe('result of calls.dial');
    await phone.app.info();
    expect(calls).toEqual([
      { method: 'calls.dial', params: { target: 'sip:bob@example.com' } },
      { method: 'app.info', params: {} },
    ]);
    const total = Object.values(phone).reduce((n, group) => n + (typeof group === 'object' ? Object.keys(group).length : 0), 0);
    expect(total).toBe(methodNames.length);
    expect(Object.isFrozen(phone) && Object.isFrozen(phone.calls)).toBe(true);
  });

  it('subscribes only to contract events', () => {
    const { transport, handlers } = recordingTransport();
    const phone = createPhoneApi(transport);
    const stop = phone.on('call.state', () => {});
    expect(handlers.has('call.state')).toBe(true);
    stop();
    expect(handlers.has('call.state')).toBe(false);
    expect(() => phone.on('evil.channel' as EventName, () => {})).toThrowError(TypeError);
  });
});

describe('JSON-RPC client', () => {
  it('matches responses to requests and rebuilds typed errors', async () => {
    const sent: Record<string, unknown>[] = [];
    const client = createRpcClient((text) => sent.push(JSON.parse(text) as Record<string, unknown>));
    const phone = createPhoneApi(client.transport);
    const info = phone.app.info();
    const dial = phone.calls.dial({ target: '' });
    expect(sent.map((m) => m['method'])).toEqual(['app.info', 'calls.dial']);
    // Answers may come in any order.
    client.receive(
      JSON.stringify({
        jsonrpc: '2.0',
        id: sent[1]!['id'],
        error: { code: -32602, message: 'bad', data: { code: 'invalid_params', message: 'calls.dial: target: empty', field: 'target' } },
      }),
    );
    client.receive(JSON.stringify({ jsonrpc: '2.0', id: sent[0]!['id'], result: { name: 'x' } }));
    await expect(info).resolves.toEqual({ name: 'x' });
    await expect(dial).rejects.toMatchObject({ name: 'ContractError', field: 'target' });
  });

  it('delivers notifications to listeners and ignores junk', () => {
    const client = createRpcClient(() => {});
    const phone = createPhoneApi(client.transport);
    const seen: unknown[] = [];
    phone.on('account.state', (payload) => seen.push(payload));
    client.receive('not json');
    client.receive('null');
    client.receive(JSON.stringify({ jsonrpc: '2.0', method: 'not.an.event', params: {} }));
    client.receive(JSON.stringify({ jsonrpc: '2.0', method: 'account.state', params: { accountId: 'a', state: 'registered' } }));
    expect(seen).toEqual([{ accountId: 'a', state: 'registered' }]);
  });

  it('fails pending and later requests once closed', async () => {
    const client = createRpcClient(() => {});
    const pending = client.transport.invoke('app.info', {});
    client.close('socket closed');
    await expect(pending).rejects.toMatchObject({ code: 'unavailable' });
    await expect(client.transport.invoke('app.info', {})).rejects.toMatchObject({ code: 'unavailable', message: 'socket closed' });
  });

  it('reports a throwing listener without stopping the others', () => {
    const errors: unknown[] = [];
    const client = createRpcClient(() => {}, (error) => errors.push(error));
    const phone = createPhoneApi(client.transport);
    const seen: unknown[] = [];
    phone.on('call.state', () => {
      throw new Error('listener bug');
    });
    phone.on('call.state', (p) => seen.push(p));
    client.receive(JSON.stringify({ jsonrpc: '2.0', method: 'call.state', params: 1 }));
    expect(errors).toHaveLength(1);
    expect(seen).toEqual([1]);
  });
});
