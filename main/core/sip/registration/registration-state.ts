/**
 * The states of one account's registration (RFC 3261 §10.2), the values the contract's
 * `RegistrationState` carries to the UI.
 *
 * ```
 *                   register()                 2xx
 *   unregistered ─────────────▶ registering ─────────▶ registered ◀──┐ 2xx to a refresh
 *     ▲      ▲                    │    ▲ ◀─────────────── │  │  └─────┘
 *     │      │             failure│    │ networkChanged() │  │
 *     │      │                    ▼    │ retry timer,     │  │ refresh failure,
 *     │      └── unregister() ── failed┘ register(),      │  │ flowFailed()
 *     │         (binding expired) │  ▲   networkChanged() │  │
 *     │                           │  └────────────────────┼──┘
 *     │   2xx, failure or 3 s     ▼ unregister()          │ unregister()
 *     └──────────────────── unregistering ◀───────────────┘  (from registering too)
 * ```
 *
 * A refresh keeps `registered`: the binding holds until it expires, so the UI does not
 * flicker every refresh; only its failure is news.
 */
export enum RegistrationState {
  Unregistered = 'unregistered',
  Registering = 'registering',
  Registered = 'registered',
  Unregistering = 'unregistering',
  Failed = 'failed',
}

const S = RegistrationState;

/** The moves the diagram has; `Registration.stateTransition` refuses every other one. */
export const legalRegistrationMoves: Readonly<Record<RegistrationState, readonly RegistrationState[]>> = {
  [S.Unregistered]: [S.Registering],
  [S.Registering]: [S.Registered, S.Failed, S.Unregistering],
  [S.Registered]: [S.Registered, S.Registering, S.Failed, S.Unregistering],
  [S.Failed]: [S.Registering, S.Unregistering, S.Unregistered],
  [S.Unregistering]: [S.Unregistered],
};
