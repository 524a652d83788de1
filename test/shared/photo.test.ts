/** Contact photos: the image type by magic number, the size limit, data: URLs checked and made. */
import { describe, expect, it } from 'vitest';
import { ContactChanges, ContactFields } from '../../shared/model.js';
import { bytesOfBase64, MAX_PHOTO_BYTES, photoDataUrl, photoDataUrlProblem, PhotoError, photoProblem, sniffImageType } from '../../shared/photo.js';
import { photoBase64, photoBytes, photoUrl } from '../helpers/photos.js';

/** A PNG of exactly `size` bytes: the signature, then filler (only the first bytes are sniffed). */
const pngOf = (size: number) => {
  const bytes = new Uint8Array(size);
  bytes.set(photoBytes('png').subarray(0, 8));
  return bytes;
};

describe('contact photo', () => {
  it('knows PNG, JPEG, GIF and WebP by their first bytes, whatever they are called', () => {
    expect(sniffImageType(photoBytes('png'))).toBe('image/png');
    expect(sniffImageType(photoBytes('jpeg'))).toBe('image/jpeg');
    expect(sniffImageType(photoBytes('gif'))).toBe('image/gif');
    expect(sniffImageType(photoBytes('webp'))).toBe('image/webp');
    expect(sniffImageType(new TextEncoder().encode('GIF87a'))).toBe('image/gif');
    // Not images: SVG (it can carry script), PDF, HTML, a RIFF that is a WAV, too short to tell.
    for (const text of ['<svg xmlns="http://www.w3.org/2000/svg"/>', '%PDF-1.7', '<html>', 'RIFF\0\0\0\0WAVEfmt ', '\x89PN', '']) {
      expect(sniffImageType(new TextEncoder().encode(text)), text).toBeUndefined();
    }
  });

  it('refuses what is empty, too big or no image, saying why', () => {
    expect(photoProblem(photoBytes('gif'))).toBeUndefined();
    expect(photoProblem(pngOf(MAX_PHOTO_BYTES))).toBeUndefined();
    expect(photoProblem(pngOf(MAX_PHOTO_BYTES + 1))).toBe('the photo is 257 KB: at most 256 KB');
    expect(photoProblem(new Uint8Array())).toBe('the photo is empty');
    expect(photoProblem(new TextEncoder().encode('%PDF-1.7'))).toBe('the photo is not a PNG, JPEG, GIF or WebP image (it starts with 25 50 44 46)');
    expect(() => photoDataUrl(new TextEncoder().encode('<svg/>'))).toThrowError(PhotoError);
  });

  it('makes a data: URL typed by the bytes, and its base64 reads back the same', () => {
    for (const type of ['png', 'jpeg', 'gif', 'webp'] as const) {
      expect(photoDataUrl(photoBytes(type))).toBe(photoUrl(type));
      expect(photoDataUrlProblem(photoUrl(type))).toBeUndefined();
    }
    const big = pngOf(MAX_PHOTO_BYTES);
    big.forEach((_, i) => i >= 8 && (big[i] = (i * 7919) % 256));
    const url = photoDataUrl(big);
    expect(Buffer.from(url.split(',')[1]!, 'base64')).toEqual(Buffer.from(big));
    expect(bytesOfBase64(url.split(',')[1]!)).toEqual(big);
    expect(bytesOfBase64(' iVBO\r\n Rw0K ')).toEqual(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]));
    expect(bytesOfBase64('not base64!')).toBeUndefined();
  });

  it('checks a data: URL: form, base64, size from its length, and a type that agrees with the bytes', () => {
    expect(photoDataUrlProblem('https://example.com/me.png')).toBe('a photo is a data:image/…;base64,… URL');
    expect(photoDataUrlProblem('data:image/png,%89PNG')).toBe('a photo is a data:image/…;base64,… URL');
    expect(photoDataUrlProblem('data:image/png;base64,iVBORw0KGgo')).toBe('the photo is not valid base64');
    expect(photoDataUrlProblem(`data:image/svg+xml;base64,${Buffer.from('<svg onload="alert(1)"/>').toString('base64')}`)).toMatch(/^the photo is not a PNG, JPEG, GIF or WebP image/);
    expect(photoDataUrlProblem(`data:image/jpeg;base64,${photoBase64.png}`)).toBe('the photo says image/jpeg but its bytes are image/png');
    const tooBig = `data:image/png;base64,${Buffer.from(pngOf(MAX_PHOTO_BYTES + 3)).toString('base64')}`;
    expect(photoDataUrlProblem(tooBig)).toBe('the photo is 257 KB: at most 256 KB');
  });

  it('is part of a contact: validated by the schema, removed by a null change', () => {
    expect(ContactFields.parse({ name: 'Ann', photo: photoUrl('webp') }).photo).toBe(photoUrl('webp'));
    const refused = ContactFields.safeParse({ name: 'Ann', photo: `data:image/gif;base64,${Buffer.from('GIF86a').toString('base64')}` });
    expect(refused.error?.issues[0]).toMatchObject({ path: ['photo'], message: expect.stringMatching(/not a PNG, JPEG, GIF or WebP image/) });
    const huge = ContactFields.safeParse({ name: 'Ann', photo: `data:image/png;base64,${'A'.repeat(400_000)}` });
    expect(huge.error?.issues[0]).toMatchObject({ path: ['photo'], message: 'the photo is over 256 KB' });
    expect(ContactChanges.parse({ photo: null })).toEqual({ photo: null });
    expect(ContactChanges.safeParse({ photo: 'data:text/html;base64,PGI+' }).success).toBe(false);
  });
});
