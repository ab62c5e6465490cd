// Draws the two icons, deterministically, with node:zlib only (no image library):
//   marketplace/extension-icon.png  128×128, the extension's icon on the Marketplace
//   icon.png                        32×32, the task's icon next to task.json (the agent's convention)
// A white padlock with a blue keyhole on an Azure-blue rounded square. Each pixel is the average of
// 8×8 samples of the shapes below (unit coordinates, y down), so edges are smooth at both sizes.
// Run `node scripts/make-icons.mjs` after changing the drawing, and commit both files.
// `--check` fails when the committed files differ from a fresh drawing.
import { deflateSync } from 'node:zlib';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BLUE = [0x00, 0x78, 0xd4];
const WHITE = [0xff, 0xff, 0xff];
const SAMPLES = 8;

const inRoundRect = (x, y, x0, y0, x1, y1, r) => {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const inRing = (x, y, cx, cy, r0, r1) => {
  const d = (x - cx) ** 2 + (y - cy) ** 2;
  return d >= r0 * r0 && d <= r1 * r1;
};

/** What covers the point: 'bg' (blue), 'lock' (white) or null (transparent). */
function shapeAt(x, y) {
  if (!inRoundRect(x, y, 0.02, 0.02, 0.98, 0.98, 0.2)) return null;
  const keyhole =
    (x - 0.5) ** 2 + (y - 0.6) ** 2 <= 0.062 ** 2 || (Math.abs(x - 0.5) <= 0.028 && y >= 0.6 && y <= 0.72);
  if (inRoundRect(x, y, 0.24, 0.44, 0.76, 0.82, 0.07)) return keyhole ? 'bg' : 'lock';
  // The shackle: the upper half of a ring, and its two legs down into the body.
  const shackle =
    (y <= 0.36 && inRing(x, y, 0.5, 0.36, 0.12, 0.19)) ||
    (y > 0.36 && y < 0.46 && Math.abs(x - 0.5) >= 0.12 && Math.abs(x - 0.5) <= 0.19);
  return shackle ? 'lock' : 'bg';
}

function draw(size) {
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let white = 0;
      let covered = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const s = shapeAt((px + (sx + 0.5) / SAMPLES) / size, (py + (sy + 0.5) / SAMPLES) / size);
          if (s) covered++;
          if (s === 'lock') white++;
        }
      }
      const i = (py * size + px) * 4;
      // Colour: the blend of blue and white over the covered samples; alpha: the coverage.
      for (let c = 0; c < 3; c++)
        rgba[i + c] = covered ? Math.round((BLUE[c] * (covered - white) + WHITE[c] * white) / covered) : 0;
      rgba[i + 3] = Math.round((255 * covered) / (SAMPLES * SAMPLES));
    }
  }
  return rgba;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** PNG: 8-bit RGBA, no interlace, filter 0 on every row, no ancillary chunks (no time, no gamma). */
function png(size) {
  const rgba = draw(size);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const icons = { 'marketplace/extension-icon.png': 128, 'icon.png': 32 };
const check = process.argv.includes('--check');
let stale = 0;
for (const [file, size] of Object.entries(icons)) {
  const bytes = png(size);
  const path = join(root, file);
  if (!check) {
    writeFileSync(path, bytes);
    console.error(`${file}: ${size}×${size}, ${bytes.length} bytes`);
    continue;
  }
  let have;
  try {
    have = readFileSync(path);
  } catch {
    have = Buffer.alloc(0);
  }
  if (!have.equals(bytes)) {
    console.error(`${file} differs from a fresh drawing: run \`node scripts/make-icons.mjs\` and commit it.`);
    stale++;
  }
}
if (stale) process.exit(1);
