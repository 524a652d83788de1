import { describe, expect, it } from 'vitest';
import { callerName } from '../../renderer/src/lib/format.js';

describe('caller identification', () => {
  it('shows the contact the core matched, else the display name, else the URI', () => {
    expect(callerName({ remote: { uri: 'sip:bob@lab.test', displayName: 'bob' }, contact: { id: 'c1', name: 'Bob Builder' } })).toBe('Bob Builder');
    expect(callerName({ remote: { uri: 'sip:bob@lab.test', displayName: 'bob' }, contact: { id: 'c1', name: '  ' } })).toBe('bob');
    expect(callerName({ remote: { uri: 'sip:bob@lab.test' } })).toBe('sip:bob@lab.test');
  });
});
