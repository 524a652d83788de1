/**
 * accounts.update changes only the fields it names: the others keep what is stored, not their
 * defaults (zod's partial() would have filled those in and reset them).
 */
import { describe, expect, it } from 'vitest';
import { AccountChanges } from '../../../../shared/model.js';
import { accountFields } from '../../../helpers/account-fields.js';
import { testCore } from '../../../helpers/core.js';

describe('accounts.update', () => {
  it('parses a change into the fields named, and nothing else', () => {
    expect(AccountChanges.parse({ codecs: ['PCMU'] })).toEqual({ codecs: ['PCMU'] });
    expect(AccountChanges.parse({ dnd: true, forwardAlways: null })).toEqual({ dnd: true, forwardAlways: null });
    expect(AccountChanges.safeParse({ transport: 'sctp' }).success).toBe(false);
  });

  it('keeps the transport, SRTP, expiry and DND of an account whose codecs change', async () => {
    const { core, bridge } = await testCore();
    const added = await core.handlers['accounts.add'](
      accountFields({ user: 'eve', domain: '127.0.0.1:9', transport: 'tcp', srtp: 'off', registerExpires: 3600, dnd: true, register: false }),
    );
    const outcome = await bridge.invoke('accounts.update', { id: added.id, changes: { codecs: ['PCMA'] } });
    expect(outcome.ok).toBe(true);
    const [account] = await core.handlers['accounts.list']({});
    expect(account).toMatchObject({ transport: 'tcp', srtp: 'off', registerExpires: 3600, dnd: true, codecs: ['PCMA'] });
    await core.close();
  });
});
