import { describe, expect, it } from 'vitest';
import { AccountChanges, AccountFields, CodecOrder } from '../../shared/model.js';

const base = { user: 'alice', domain: 'example.com' };

describe('CodecOrder (an account’s codecs)', () => {
  it('takes known names in any order', () => {
    expect(CodecOrder.parse(['PCMA', 'opus', 'PCMU'])).toEqual(['PCMA', 'opus', 'PCMU']);
    expect(AccountFields.parse({ ...base, codecs: ['G722'] }).codecs).toEqual(['G722']);
  });

  it('is optional: an account without one uses the default order', () => {
    expect(AccountFields.parse(base).codecs).toBeUndefined();
  });

  it('refuses an empty list, an unknown name and a duplicate, saying why', () => {
    const empty = AccountFields.safeParse({ ...base, codecs: [] });
    expect(empty.success).toBe(false);
    expect(empty.error?.issues[0]).toMatchObject({ path: ['codecs'], message: 'enable at least one codec' });

    const unknown = AccountFields.safeParse({ ...base, codecs: ['G729'] });
    expect(unknown.success).toBe(false);
    expect(unknown.error?.issues[0]?.path).toEqual(['codecs', 0]);

    const twice = AccountFields.safeParse({ ...base, codecs: ['PCMU', 'PCMA', 'PCMU'] });
    expect(twice.success).toBe(false);
    expect(twice.error?.issues[0]).toMatchObject({ path: ['codecs', 2], message: 'PCMU is listed twice' });

    expect(CodecOrder.safeParse(['telephone-event']).success).toBe(false);
    expect(CodecOrder.safeParse(['CN']).success).toBe(false);
  });

  it('can be removed again from an account (null in accounts.update)', () => {
    expect(AccountChanges.parse({ codecs: null }).codecs).toBeNull();
    expect(AccountChanges.parse({ codecs: ['PCMU'] }).codecs).toEqual(['PCMU']);
  });
});
