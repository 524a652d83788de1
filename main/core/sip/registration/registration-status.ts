/** What a registration tells its owner (the contract's `AccountStatus` without the account). */
import type { RegistrationState } from './registration-state.js';

export interface RegistrationStatus {
  readonly state: RegistrationState;
  /** The SIP status code that explains the state (408 for a timeout, 503 for a transport error, §8.1.3.1). */
  readonly code?: number;
  readonly reason?: string;
  /** When the binding expires (epoch ms), while registered. */
  readonly expiresAt?: number;
}

/** Lower layers report upwards through a delegate (layers only call downwards). */
export interface RegistrationDelegate {
  onStateChange?(status: RegistrationStatus): void;
}
