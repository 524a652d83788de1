import { describe, expect, it } from 'vitest';
import { alertInfoNames, BELLCORE_RINGS, chooseRingtone, type RingtoneChoice } from '../../../../../main/core/audio/tones/index.js';

const AVAILABLE = ['classic', 'chime', 'internal', 'External'];
const asset = (name: string): RingtoneChoice => ({ kind: 'asset', name });
const cadence = (n: 1 | 2 | 3 | 4 | 5): RingtoneChoice => {
  const name = `Bellcore-dr${n}` as const;
  return { kind: 'cadence', name, plan: BELLCORE_RINGS[name] };
};
const DEFAULT: RingtoneChoice = { kind: 'default' };

describe('chooseRingtone (RFC 3261 §20.4 Alert-Info)', () => {
  const table: ReadonlyArray<readonly [string, string | undefined, RingtoneChoice]> = [
    ['no header', undefined, DEFAULT],
    ['empty header', '', DEFAULT],
    ['Bellcore name in a URL (Broadsoft, Cisco)', '<http://127.0.0.1/Bellcore-dr3>', cadence(3)],
    ['bare Bellcore name in brackets (Asterisk)', '<Bellcore-dr1>', cadence(1)],
    ['Bellcore name in any case', '<BELLCORE-DR4>', cadence(4)],
    ['Bellcore name without brackets', 'Bellcore-dr5', cadence(5)],
    ['Bellcore name with spaces around', '  <http://x/Bellcore-dr2>  ', cadence(2)],
    ['unknown Bellcore number', '<http://a/Bellcore-dr9>', DEFAULT],
    ['asset by URL file name', '<http://www.example.com/sounds/chime.wav>', asset('chime')],
    ['asset by URL with query', '<https://example.com/ring/classic?x=1#y>', asset('classic')],
    ['info=alert-internal (Snom, FreePBX)', '<http://example.com/>;info=alert-internal', asset('internal')],
    ['info=<name>', '<sip:pbx.example.com>;info=chime', asset('chime')],
    ['quoted info', '<http://x/y>; info="classic"', asset('classic')],
    ['info without a URI', 'info=alert-internal', asset('internal')],
    ['asset name in another case returns the listed spelling', '<http://x/external>', asset('External')],
    ['info=alert-external maps onto an asset named external', '<http://x/>;info=alert-external', asset('External')],
    ['RFC 7462 source URN', '<urn:alert:source:internal>', asset('internal')],
    ['RFC 7462 URN with nothing to match', '<urn:alert:service:call-waiting>', DEFAULT],
    ['first matching alert-param wins', '<http://a/unknown>, <http://a/Bellcore-dr2>, <http://a/chime>', cadence(2)],
    ['info is preferred to the URI of the same param', '<http://a/chime>;info=classic', asset('classic')],
    ['host-only URL names nothing', '<http://classic>', DEFAULT],
    ['path traversal', '<http://evil.example/../../etc/passwd>', DEFAULT],
    ['encoded traversal', '<http://x/%2e%2e%2fclassic>', DEFAULT],
    ['broken percent-encoding', '<http://x/%E0%A4%A>', DEFAULT],
    ['script URI', '<javascript:alert(1)>', DEFAULT],
    ['markup in info', '<http://x/>;info=<script>', DEFAULT],
    ['unbalanced brackets', '<<<>>>,,,;;;==', DEFAULT],
    ['unterminated URI', '<http://x/classic', DEFAULT],
    ['control characters', '<http://x/cla\u0000ssic>;info=\r\nclassic', DEFAULT],
    ['oversized header', `<http://x/${'a'.repeat(5000)}>;info=classic`, DEFAULT],
    ['many params: only the first few are read', `${'<http://x/nothing>,'.repeat(20)}<http://x/chime>`, DEFAULT],
    ['name too long', `<http://x/${'b'.repeat(65)}>`, DEFAULT],
    ['unicode lookalike', '<http://x/сhime>', DEFAULT],
  ];

  it.each(table)('%s', (_label, header, expected) => {
    expect(chooseRingtone(header, AVAILABLE)).toEqual(expected);
  });

  it('prefers a user asset named like a Bellcore ring to the synthesised cadence', () => {
    expect(chooseRingtone('<Bellcore-dr2>', ['bellcore-dr2'])).toEqual(asset('bellcore-dr2'));
  });

  it('ignores listed asset names that are not plain tokens', () => {
    expect(chooseRingtone('<http://x/passwd>', ['../../etc/passwd', 'a/b'])).toEqual(DEFAULT);
  });

  it('never throws on values that are not strings at run time', () => {
    for (const value of [null, 42, {}, ['<Bellcore-dr1>']]) {
      expect(chooseRingtone(value as unknown as string, AVAILABLE)).toEqual(DEFAULT);
      expect(chooseRingtone('<Bellcore-dr1>', [value] as unknown as string[])).toEqual(cadence(1));
    }
  });

  it('reads candidate names in header order', () => {
    expect(alertInfoNames('<http://a/one.wav>;info=two, <three>')).toEqual(['two', 'one', 'three']);
  });
});
