import { describe, expect, it } from 'vitest';
import { ContractError, PhoneError } from '../../shared/errors.js';
import { errorInfo, fieldError } from '../../renderer/src/lib/error-info.js';

describe('errors shown to the user', () => {
  it('drop the method and field from a schema message shown beside its field', () => {
    const info = errorInfo(new ContractError('calls.dial: target: enter a number or SIP address', 'target'));
    expect(info).toEqual({ code: 'invalid_params', message: 'enter a number or SIP address', field: 'target' });
    expect(fieldError(info, 'target')).toBe('enter a number or SIP address');
    expect(fieldError(info, 'domain')).toBeUndefined();
  });

  it('keep the message of an error that names no field', () => {
    expect(errorInfo(new PhoneError('conflict', 'an account alice@example.com already exists'))).toEqual({
      code: 'conflict',
      message: 'an account alice@example.com already exists',
    });
  });

  it('read the fields of an error that lost its class crossing the context bridge', () => {
    const bridged = Object.assign(new Error('accounts.add: domain: a host name or IP address'), { code: 'invalid_params', field: 'domain' });
    expect(errorInfo(bridged)).toEqual({ code: 'invalid_params', message: 'a host name or IP address', field: 'domain' });
  });

  it('match a nested field by its first segment', () => {
    expect(fieldError({ code: 'invalid_params', message: 'too long', field: 'changes.domain' }, 'changes')).toBe('too long');
  });

  it('treat anything else as an internal error with a generic message', () => {
    expect(errorInfo('boom')).toEqual({ code: 'internal', message: 'something went wrong' });
    expect(errorInfo({ code: 'made_up', message: 'x' }).code).toBe('internal');
  });
});
