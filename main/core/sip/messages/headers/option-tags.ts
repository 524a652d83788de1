/**
 * Lists of tokens (RFC 3261 §20.5, §20.29, §20.32, §20.37, §20.40):
 *
 *   Require / Proxy-Require / Unsupported = HCOLON option-tag *(COMMA option-tag)
 *   Supported = HCOLON [option-tag *(COMMA option-tag)]
 *   Allow     = HCOLON [Method *(COMMA Method)]
 *
 * Values are kept as written; methods are case-sensitive (§7.1).
 */
import { Scanner } from '../../grammar/scanner.js';
import { scanList } from './name-addr.js';

/** A comma-separated token list; `allowEmpty` for headers whose grammar allows no value. */
export function parseTokenList(value: string, header: string, allowEmpty: boolean): string[] {
  const s = new Scanner(value, `Bad ${header} header field`);
  s.skipWs();
  if (s.done) {
    if (!allowEmpty) s.fail('empty list');
    return [];
  }
  return scanList(s, (sc) => {
    sc.skipWs();
    return sc.token();
  });
}
