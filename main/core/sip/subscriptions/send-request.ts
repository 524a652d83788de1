/**
 * How a dialog usage sends a request: `SessionContext.exchange` — the request `build` makes,
 * built again with credentials when challenged (RFC 3261 §22.2, §22.3). A usage inside another
 * usage's dialog (REFER's implicit subscription in an INVITE dialog) is given the same function.
 */
import type { AuthorizationField } from '../auth/index.js';
export { credentialHeaders } from '../auth/index.js';
import type { SipRequest } from '../messages/index.js';
import type { Exchange } from '../user-agent/session-context.js';

export type SendRequest = (build: (credentials: readonly AuthorizationField[]) => SipRequest) => Promise<Exchange>;
