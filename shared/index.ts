export * from './contract.js';
export * from './errors.js';
export * from './model.js';
export * from './phone-api.js';
export * from './validate.js';
export * from './jsonrpc.js';
