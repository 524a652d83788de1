/** Serving the renderer build, shared by the web host (HTTP) and the Electron host (app://). */
import { statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.wav': 'audio/wav',
  '.woff2': 'font/woff2',
};

export function contentTypeOf(file: string): string {
  return contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `root` that a URL path names (`/` is index.html), or undefined when the path
 * is malformed, escapes the root or names no regular file.
 */
export function resolveStaticFile(root: string, rawPath: string): { file: string; size: number } | undefined {
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  if (path.includes('\0') || path.includes('\\')) return undefined;
  const base = resolve(root);
  const file = join(base, normalize(path === '/' || path === '' ? '/index.html' : path));
  if (!file.startsWith(base + sep)) return undefined;
  try {
    const stat = statSync(file);
    return stat.isFile() ? { file, size: stat.size } : undefined;
  } catch {
    return undefined;
  }
}

/** The renderer's Content-Security-Policy: only our own code, plus the sockets named. */
export function rendererCsp(connectSources: readonly string[] = []): string {
  return [
    "default-src 'self'",
    `connect-src ${["'self'", ...connectSources].join(' ')}`,
    "img-src 'self' data:",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
