import { describe, expect, it } from 'vitest';
import { SipParseError, parseEvent } from '../../../../../../main/core/sip/index.js';

describe('Event (RFC 6665 §8.2.1)', () => {
  it('reads the package, templates, id and parameters', () => {
    const e = parseEvent('presence.winfo ; id=1234;extra');
    expect(e.type).toBe('presence.winfo');
    expect(e.package).toBe('presence');
    expect(e.templates).toEqual(['winfo']);
    expect(e.id).toBe('1234');
    expect(e.params.has('extra')).toBe(true);
    expect(e.toString()).toBe('presence.winfo;id=1234;extra');
    expect(parseEvent('refer').id).toBeUndefined();
  });

  it.each(['', '.presence', 'presence.', 'a..b', 'presence;', 'presence id'])('refuses %j', (value) => {
    expect(() => parseEvent(value)).toThrow(SipParseError);
  });
});
