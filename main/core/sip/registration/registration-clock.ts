/**
 * Time as a registration sees it: injected so tests run on fake timers and several
 * registrations share nothing but the clock.
 */
export interface RegistrationClock {
  /** Epoch milliseconds. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The process clock. The globals are read at each call, so fake timers installed later apply. */
export const systemClock: RegistrationClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
