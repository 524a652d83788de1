/** Branch parameters (RFC 3261 §8.1.1.7). */
import { randomBytes } from 'node:crypto';
import { BRANCH_MAGIC_COOKIE } from '../messages/index.js';

/**
 * §8.1.1.7: "The branch parameter value MUST be unique across space and time for all requests
 * sent by the UA ... The branch ID inserted by an element compliant with this specification
 * MUST always begin with the characters 'z9hG4bK'." 96 random bits, in hex (token characters).
 */
export function generateBranch(): string {
  return BRANCH_MAGIC_COOKIE + randomBytes(12).toString('hex');
}
