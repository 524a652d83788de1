/**
 * Certificates for TLS tests, made with openssl at test time (nothing secret is checked in): a
 * throw-away CA, and a server certificate it signs for 127.0.0.1 (SAN IP and "localhost").
 * A missing `openssl` is a failure naming the package, never a skip.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findBinary, run } from '../interop/lab/process.js';

export interface TestCa {
  /** The CA certificate (PEM) and its file. */
  pem: string;
  certFile: string;
  keyFile: string;
}

export interface ServerCertificate {
  certFile: string;
  keyFile: string;
}

const openssl = (): string => findBinary('openssl', 'OPENSSL_PATH');

/** A self-signed CA (CA:TRUE, keyCertSign), valid for a day, in `dir` under `name`. */
export async function makeTestCa(dir: string, name: string): Promise<TestCa> {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  await run(openssl(), [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
    '-keyout', keyFile, '-out', certFile,
    '-subj', `/CN=${name} test CA/O=softphone tests`,
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ], 15_000);
  return { pem: readFileSync(certFile, 'utf8'), certFile, keyFile };
}

/** A server certificate for 127.0.0.1 signed by `ca`. */
export async function issueServerCertificate(ca: TestCa, dir: string, name = 'server'): Promise<ServerCertificate> {
  const keyFile = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const certFile = join(dir, `${name}.crt`);
  const extensions = join(dir, `${name}.ext`);
  writeFileSync(extensions, ['subjectAltName=IP:127.0.0.1,DNS:localhost', 'extendedKeyUsage=serverAuth', 'keyUsage=critical,digitalSignature,keyEncipherment', ''].join('\n'));
  await run(openssl(), ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', csr, '-subj', '/CN=127.0.0.1'], 15_000);
  await run(openssl(), ['x509', '-req', '-in', csr, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-CAcreateserial', '-days', '1', '-out', certFile, '-extfile', extensions], 15_000);
  return { certFile, keyFile };
}
