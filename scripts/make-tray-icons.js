#!/usr/bin/env node
// Draws the tray icons into assets/tray/: one per state (ringing, in-call, dnd, registered,
// offline), each also with a red "missed calls" dot, at 16 px and 32 px (`@2x`, which Electron
// picks on HiDPI screens). Plain shapes drawn with 4×4 supersampling and written as PNG with
// node:zlib, so no image tool is needed. Run again after changing a colour: `node scripts/make-tray-icons.js`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'assets', 'tray');

const states = {
  registered: { fill: [46, 160, 67], mark: 'dot' },
  offline: { fill: [130, 136, 144], mark: 'ring' },
  dnd: { fill: [207, 34, 46], mark: 'bar' },
  'in-call': { fill: [9, 105, 218], mark: 'dot' },
  ringing: { fill: [219, 139, 0], mark: 'waves' },
};

/** Coverage (0..1) of each shape at a point, in a 16-unit square. */
function shapes(state, missed) {
  const { mark } = states[state];
  return (x, y) => {
    const r = Math.hypot(x - 8, y - 8);
    const disc = r <= 6.5;
    let white = false;
    if (mark === 'dot') white = r <= 2.5;
    if (mark === 'ring') white = r >= 3 && r <= 4.5;
    if (mark === 'bar') white = Math.abs(y - 8) <= 1.25 && Math.abs(x - 8) <= 4;
    if (mark === 'waves') white = r <= 1.75 || (r >= 3.25 && r <= 4.5);
    const badge = missed && Math.hypot(x - 12.5, y - 3.5) <= 3.5;
    const badgeEdge = missed && !badge && Math.hypot(x - 12.5, y - 3.5) <= 4.5;
    return { disc, white, badge, badgeEdge };
  };
}

function draw(state, missed, size) {
  const pixels = Buffer.alloc(size * size * 4);
  const at = shapes(state, missed);
  const samples = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = ((px + (sx + 0.5) / samples) * 16) / size;
          const y = ((py + (sy + 0.5) / samples) * 16) / size;
          const s = at(x, y);
          let colour;
          if (s.badge) colour = [232, 40, 40];
          else if (s.badgeEdge) colour = undefined; // a transparent gap around the badge
          else if (s.disc) colour = s.white ? [255, 255, 255] : states[state].fill;
          if (colour === undefined) continue;
          sum[0] += colour[0];
          sum[1] += colour[1];
          sum[2] += colour[2];
          sum[3] += 1;
        }
      }
      const i = (py * size + px) * 4;
      const n = sum[3];
      pixels[i] = n === 0 ? 0 : Math.round(sum[0] / n);
      pixels[i + 1] = n === 0 ? 0 : Math.round(sum[1] / n);
      pixels[i + 2] = n === 0 ? 0 : Math.round(sum[2] / n);
      pixels[i + 3] = Math.round((255 * n) / (samples * samples));
    }
  }
  return png(size, pixels);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
/** PNG (ISO/IEC 15948): 8-bit RGBA, filter 0 on every row. */
function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

mkdirSync(out, { recursive: true });
for (const state of Object.keys(states)) {
  for (const missed of [false, true]) {
    const name = `${state}${missed ? '-missed' : ''}`;
    writeFileSync(join(out, `${name}.png`), draw(state, missed, 16));
    writeFileSync(join(out, `${name}@2x.png`), draw(state, missed, 32));
  }
}
process.stdout.write(`tray icons written to ${out}\n`);
