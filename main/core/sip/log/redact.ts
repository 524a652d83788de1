/**
 * SIP text as it may be shown or logged: credentials removed. Works on raw text, so even a
 * message that failed to parse is redacted before it reaches a log or a `log.sip` event.
 *
 * Authorization and Proxy-Authorization (RFC 3261 §20.7, §20.28) keep the fields that help
 * troubleshooting (username, realm, uri, algorithm, qop) and lose the rest: a digest
 * `response` allows an offline guess of the password, and a Basic credential *is* it.
 */
const credentialHeader = /^(authorization|proxy-authorization)[ \t]*:/i;
const keptDigestParams = new Set(['username', 'realm', 'uri', 'algorithm', 'qop', 'nonce', 'opaque']);

export const redactedMark = '<redacted>';

export function redactSipText(text: string): string {
  // Header fields may be folded onto continuation lines (§7.3.1): join them to judge the field.
  const lines = text.split(/\r\n|\n/);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') {
      // End of the header section: the body is copied as it is.
      out.push(...lines.slice(i));
      break;
    }
    if (!credentialHeader.test(line)) {
      out.push(line);
      continue;
    }
    let field = line;
    while (i + 1 < lines.length && /^[ \t]/.test(lines[i + 1]!)) field += ` ${lines[++i]!.trim()}`;
    out.push(redactCredentialField(field));
  }
  return out.join(text.includes('\r\n') ? '\r\n' : '\n');
}

function redactCredentialField(field: string): string {
  const colon = field.indexOf(':');
  const name = field.slice(0, colon);
  const value = field.slice(colon + 1).trim();
  const scheme = /^[A-Za-z][A-Za-z0-9-]*/.exec(value)?.[0] ?? '';
  if (scheme.toLowerCase() !== 'digest') return `${name}: ${scheme} ${redactedMark}`.replace(/ +/, ' ');
  const kept: string[] = [];
  // name=token or name="quoted string" pairs; anything unrecognised is dropped, not copied.
  const param = /([A-Za-z][A-Za-z0-9-]*)[ \t]*=[ \t]*("(?:[^"\\]|\\.)*"|[^\s,]*)/g;
  for (let m = param.exec(value); m !== null; m = param.exec(value)) {
    if (keptDigestParams.has(m[1]!.toLowerCase())) kept.push(`${m[1]}=${m[2]}`);
  }
  kept.push(`response="${redactedMark}"`);
  return `${name}: Digest ${kept.join(', ')}`;
}
