import { describe, expect, it } from 'vitest';
import { dialTarget } from '../../../../main/core/phone/dial-target.js';

describe('dialTarget', () => {
  it.each([
    ['sip:bob@example.com', 'sip:bob@example.com'],
    ['  SIPS:bob@example.com;transport=tcp ', 'sips:bob@example.com;transport=tcp'],
    ['bob@example.com', 'sip:bob@example.com'],
    ['1002', 'sip:1002@lab.test'],
    ['+1 (555) 010-9999', 'sip:+15550109999@lab.test;user=phone'],
    ['tel:+44-20-7946-0000', 'sip:+442079460000@lab.test;user=phone'],
    ['*98#', 'sip:*98%23@lab.test'],
    ['alice', 'sip:alice@lab.test'],
  ])('%s → %s', (input, expected) => {
    expect(dialTarget(input, 'lab.test')).toBe(expected);
  });

  it.each([
    ['sip:bob@example.com?Route=%3Csip:evil.example%3E', 'headers'],
    ['bob@example.com?Subject=x', 'not a number'],
    ['sip:', 'valid'],
    ['tel:call-me', 'telephone number'],
    ['two words', 'not a number'],
    ['<sip:bob@example.com>', 'not a number'],
  ])('refuses %s naming the target field', (input, why) => {
    expect(() => dialTarget(input, 'lab.test')).toThrowError(expect.objectContaining({ field: 'target', code: 'invalid_params', message: expect.stringContaining(why) }));
  });
});
