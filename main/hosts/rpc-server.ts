/**
 * Server side of JSON-RPC 2.0 over any text channel (WebSocket frame, stdio line): one
 * request or a batch in, the matching response(s) out, notifications answered with nothing.
 */
import { JSONRPC, rpcErrorCodes, rpcErrorFromPayload, type RpcId, type RpcResponse } from '../../shared/jsonrpc.js';
import type { ContractBridge } from './bridge.js';

const maxBatch = 64;

function failure(id: RpcId, code: number, message: string): RpcResponse {
  return { jsonrpc: JSONRPC, id, error: { code, message } };
}

function isId(value: unknown): value is RpcId {
  return value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

async function handleOne(bridge: ContractBridge, message: unknown): Promise<RpcResponse | undefined> {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return failure(null, rpcErrorCodes.invalidRequest, 'request must be an object');
  }
  const m = message as Record<string, unknown>;
  const hasId = Object.hasOwn(m, 'id');
  const id = hasId && isId(m['id']) ? m['id'] : null;
  if (m['jsonrpc'] !== JSONRPC || typeof m['method'] !== 'string' || (hasId && !isId(m['id']))) {
    return failure(id, rpcErrorCodes.invalidRequest, 'not a JSON-RPC 2.0 request');
  }
  const outcome = await bridge.invoke(m['method'], m['params']);
  if (!hasId) return undefined; // §4.1: a notification gets no response, even on error.
  return outcome.ok
    ? { jsonrpc: JSONRPC, id, result: outcome.result }
    : { jsonrpc: JSONRPC, id, error: rpcErrorFromPayload(outcome.error) };
}

/** Returns the text to send back, or undefined when nothing is owed. */
export async function handleRpcText(bridge: ContractBridge, text: string): Promise<string | undefined> {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return JSON.stringify(failure(null, rpcErrorCodes.parseError, 'parse error'));
  }
  if (Array.isArray(message)) {
    if (message.length === 0 || message.length > maxBatch) {
      return JSON.stringify(failure(null, rpcErrorCodes.invalidRequest, `a batch holds 1 to ${maxBatch} requests`));
    }
    const responses = (await Promise.all(message.map((m) => handleOne(bridge, m)))).filter((r) => r !== undefined);
    return responses.length > 0 ? JSON.stringify(responses) : undefined;
  }
  const response = await handleOne(bridge, message);
  return response === undefined ? undefined : JSON.stringify(response);
}
