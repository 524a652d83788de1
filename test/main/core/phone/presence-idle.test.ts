/** Away after idle: the host tells the core the user is idle; "available" becomes "away" and back. */
import { describe, expect, it } from 'vitest';
import { testCore } from '../../../helpers/core.js';

describe('presence when the user is idle', () => {
  it('publishes away while idle, available again when back; a busy choice stays busy', async () => {
    const { core } = await testCore();
    await core.handlers['presence.set']({ status: 'available' });
    core.userIdle(true);
    expect((await core.handlers['presence.get']({})).own).toMatchObject({ status: 'available', effective: 'away' });
    core.userIdle(false);
    expect((await core.handlers['presence.get']({})).own.effective).toBe('available');
    await core.handlers['presence.set']({ status: 'busy' });
    core.userIdle(true);
    expect((await core.handlers['presence.get']({})).own.effective).toBe('busy');
  });
});
