/** Name and version of the app, read once from the package.json this code ships in. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AppMeta {
  name: string;
  productName: string;
  version: string;
  /** The package root: dist/, assets/ and the renderer build are found from here. */
  root: string;
}

export function readAppMeta(from: string = fileURLToPath(import.meta.url)): AppMeta {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; productName?: string; version?: string };
      if (pkg.name !== undefined && pkg.version !== undefined) {
        return { name: pkg.name, productName: pkg.productName ?? pkg.name, version: pkg.version, root: dir };
      }
    }
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
