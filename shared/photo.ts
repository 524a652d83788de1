/**
 * A contact's photo: a small PNG, JPEG, GIF or WebP image carried as a `data:` URL (RFC 2397),
 * which the UI shows in an `<img>` (the renderer's CSP allows `data:` images and nothing
 * remote). What an image is, is read from its first bytes (its magic number), never from the
 * type a file name, a browser or a vCard claims. Shared: the renderer checks a chosen file with
 * the same rules the core enforces.
 */

/** The largest photo kept, in bytes of image (its data: URL is a third longer). */
export const MAX_PHOTO_BYTES = 256 * 1024;

export const photoTypes = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export type PhotoType = (typeof photoTypes)[number];

/** The longest data: URL a photo of `MAX_PHOTO_BYTES` makes. */
export const MAX_PHOTO_URL_LENGTH = 'data:image/jpeg;base64,'.length + Math.ceil(MAX_PHOTO_BYTES / 3) * 4;

/** A photo refused, with the reason in words a user can act on. */
export class PhotoError extends Error {
  override readonly name = 'PhotoError';
}

const ascii = (bytes: Uint8Array, start: number, text: string) => [...text].every((c, i) => bytes[start + i] === c.charCodeAt(0));

/**
 * The image type by magic number: PNG `89 50 4E 47 0D 0A 1A 0A` (PNG spec §5.2), JPEG's SOI
 * marker `FF D8 FF`, `GIF87a`/`GIF89a`, WebP's `RIFF····WEBP` (RFC 9649 §2).
 */
export function sniffImageType(bytes: Uint8Array): PhotoType | undefined {
  if ([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b)) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a')) return 'image/gif';
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return 'image/webp';
  return undefined;
}

const kib = (bytes: number) => `${Math.ceil(bytes / 1024)} KB`;

/** Why these bytes cannot be a photo (empty, too big, not one of the four image types), or undefined. */
export function photoProblem(bytes: Uint8Array, size = bytes.length): string | undefined {
  if (size === 0) return 'the photo is empty';
  if (size > MAX_PHOTO_BYTES) return `the photo is ${kib(size)}: at most ${kib(MAX_PHOTO_BYTES)}`;
  if (sniffImageType(bytes) === undefined) {
    const start = [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    return `the photo is not a PNG, JPEG, GIF or WebP image (it starts with ${start})`;
  }
  return undefined;
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Base64 (RFC 4648 §4) of bytes — written here: shared code has neither Buffer nor btoa in its types. */
function base64Of(bytes: Uint8Array): string {
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out.push(alphabet[n >> 18]!, alphabet[(n >> 12) & 63]!, i + 1 < bytes.length ? alphabet[(n >> 6) & 63]! : '=', i + 2 < bytes.length ? alphabet[n & 63]! : '=');
  }
  return out.join('');
}

/** The photo's data: URL, typed by its bytes; PhotoError when they are no photo. */
export function photoDataUrl(bytes: Uint8Array): string {
  const problem = photoProblem(bytes);
  if (problem !== undefined) throw new PhotoError(problem);
  return `data:${sniffImageType(bytes)};base64,${base64Of(bytes)}`;
}

const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Bytes from base64, whitespace (folded vCard lines) ignored; undefined when it is not base64. */
export function bytesOfBase64(text: string): Uint8Array | undefined {
  const clean = text.replace(/\s+/g, '');
  if (!base64.test(clean)) return undefined;
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((clean.length / 4) * 3 - padding);
  for (let i = 0, j = 0; i < clean.length; i += 4) {
    const n = [0, 1, 2, 3].reduce((acc, k) => (acc << 6) | Math.max(0, alphabet.indexOf(clean[i + k]!)), 0);
    for (const byte of [n >> 16, (n >> 8) & 255, n & 255]) if (j < bytes.length) bytes[j++] = byte;
  }
  return bytes;
}

/**
 * Why a data: URL is not a photo as the contacts keep it, or undefined: `data:<type>;base64,`
 * with one of the four types, a type that agrees with the image's magic number, and at most
 * `MAX_PHOTO_BYTES`. Only the first bytes are decoded; the size comes from the base64 length.
 */
export function photoDataUrlProblem(url: string): string | undefined {
  const match = /^data:(image\/[a-z0-9.+-]+);base64,([A-Za-z0-9+/]*={0,2})$/i.exec(url);
  if (match === null) return 'a photo is a data:image/…;base64,… URL';
  const [, declared, data] = match as unknown as [string, string, string];
  if (data.length % 4 !== 0 || !base64.test(data)) return 'the photo is not valid base64';
  const size = (data.length / 4) * 3 - (data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0);
  const head = bytesOfBase64(data.slice(0, 16)) ?? new Uint8Array();
  const problem = photoProblem(head, size);
  if (problem !== undefined) return problem;
  const actual = sniffImageType(head);
  if (actual !== declared.toLowerCase()) return `the photo says ${declared} but its bytes are ${actual}`;
  return undefined;
}
