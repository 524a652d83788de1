/** The project's SIP fixtures (test/fixtures/sip), read as the exact bytes on disk. */
import { readFileSync, readdirSync } from 'node:fs';

const root = new URL('../../../fixtures/sip/', import.meta.url);

export function fixture(path: string): Buffer {
  return readFileSync(new URL(path, root));
}

/** The `.dat` files of a fixture folder, sorted. */
export function fixtureNames(folder: string): string[] {
  return readdirSync(new URL(`${folder}/`, root))
    .filter((name) => name.endsWith('.dat'))
    .sort();
}

/** The lines "<sha256>  <path>" of a folder's SHA256SUMS, as path → hash. */
export function fixtureSums(folder: string): Map<string, string> {
  const text = readFileSync(new URL(`${folder}/SHA256SUMS`, root), 'utf8');
  return new Map(
    text
      .trim()
      .split('\n')
      .map((line) => {
        const [hash, path] = line.split(/ +/);
        return [path!, hash!] as const;
      }),
  );
}
