import { describe, expect, it } from 'vitest';
import { eventNames, methodNames, requests } from '../../shared/contract.js';
import { ContractError, PhoneError, fromErrorPayload, toErrorPayload } from '../../shared/errors.js';
import { assertEventName, assertMethod, parseEvent, parseParams, parseResult } from '../../shared/validate.js';

function refusal(fn: () => unknown): ContractError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ContractError);
    return error as ContractError;
  }
  throw new Error('expected a ContractError');
}

describe('contract', () => {
  it('declares the foundation requests and events', () => {
    expect(methodNames).toEqual(
      expect.arrayContaining([
        'app.info',
        'accounts.list',
        'accounts.add',
        'accounts.update',
        'accounts.remove',
        'accounts.register',
        'accounts.unregister',
        'calls.dial',
        'calls.answer',
        'calls.reject',
        'calls.hangup',
        'calls.list',
      ]),
    );
    expect(eventNames).toEqual(expect.arrayContaining(['account.state', 'call.state', 'call.incoming', 'log.sip']));
    for (const method of methodNames) expect(requests[method].summary.length).toBeGreaterThan(5);
  });

  it('applies defaults to valid params', () => {
    const params = parseParams('accounts.add', { user: 'alice', domain: 'sip.example.com', password: 'pw' });
    expect(params).toMatchObject({ transport: 'udp', registerExpires: 600, register: true, callsFromProxyOnly: false, busyWhenInCall: false, enabled: true });
    expect(parseParams('app.info', undefined)).toEqual({});
    expect(parseParams('calls.reject', { callId: 'c1' })).toEqual({ callId: 'c1', code: 486 });
  });

  it.each([
    ['a missing field', 'accounts.add', { domain: 'example.com' }, 'user'],
    ['a wrong type', 'accounts.add', { user: 'alice', domain: 'example.com', registerExpires: '600' }, 'registerExpires'],
    ['an out-of-range number', 'accounts.add', { user: 'alice', domain: 'example.com', registerExpires: 5 }, 'registerExpires'],
    ['a bad enum value', 'accounts.add', { user: 'alice', domain: 'example.com', transport: 'sctp' }, 'transport'],
    ['a bad host', 'accounts.add', { user: 'alice', domain: 'exa mple.com' }, 'domain'],
    ['a user with "@"', 'accounts.add', { user: 'alice@x', domain: 'example.com' }, 'user'],
    ['an unknown key', 'accounts.add', { user: 'alice', domain: 'example.com', admin: true }, 'admin'],
    ['a nested field', 'accounts.update', { id: 'a1', changes: { transport: 'carrier-pigeon' } }, 'changes.transport'],
    ['an empty target', 'calls.dial', { target: '   ' }, 'target'],
    ['a bad reject code', 'calls.reject', { callId: 'c1', code: 500 }, 'code'],
    ['params that are not an object', 'calls.list', 'please', '(root)'],
    ['an id with odd characters', 'calls.hangup', { callId: '../../etc' }, 'callId'],
  ])('refuses %s, naming the field', (_what, method, params, field) => {
    const error = refusal(() => parseParams(assertMethod(method), params));
    expect(error.field).toBe(field);
    expect(error.code).toBe('invalid_params');
    expect(error.message).toContain(field === '(root)' ? method : field.split('.').at(-1));
  });

  it('refuses an unknown method with its own code', () => {
    expect(() => assertMethod('calls.explode')).toThrowError(expect.objectContaining({ code: 'unknown_method' }));
    expect(() => assertMethod('__proto__')).toThrowError(PhoneError);
    expect(() => assertMethod(42)).toThrowError(PhoneError);
  });

  it('checks results and events too', () => {
    expect(() => parseResult('accounts.remove', { removed: true })).toThrowError(ContractError);
    const status = parseEvent('account.state', { accountId: 'a1', state: 'registered', code: 200, expiresAt: 1 });
    expect(status.state).toBe('registered');
    expect(refusal(() => parseEvent('account.state', { accountId: 'a1', state: 'confused' })).field).toBe('state');
    expect(() => assertEventName('call.exploded')).toThrowError(PhoneError);
  });
});

describe('errors across hosts', () => {
  it('round-trips a contract error through its payload', () => {
    const original = new ContractError('accounts.add: domain: bad', 'domain');
    const copy = fromErrorPayload(toErrorPayload(original));
    expect(copy).toBeInstanceOf(ContractError);
    expect(copy).toMatchObject({ code: 'invalid_params', field: 'domain', message: original.message });
  });

  it('does not describe bugs to the caller', () => {
    expect(toErrorPayload(new TypeError('secret internals at /home/x'))).toEqual({ code: 'internal', message: 'internal error' });
    expect(fromErrorPayload({ code: 'nope', message: 1 }).code).toBe('internal');
  });
});
