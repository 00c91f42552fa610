/** Minimal PNG inspection for the tests: signature, IHDR size, and "is anything drawn". */
import { Resvg } from '@resvg/resvg-js';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function pngSize(png: Buffer): { width: number; height: number } {
  if (!png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG (bad signature)');
  if (png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('PNG without IHDR first');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Share of pixels that are not (near) white when the SVG is rasterised. */
export function inkFraction(svg: string, width = 400): number {
  const img = new Resvg(svg, { background: 'white', fitTo: { mode: 'width', value: width } }).render();
  const px = img.pixels;
  let ink = 0;
  for (let i = 0; i < px.length; i += 4) if (px[i] < 235 || px[i + 1] < 235 || px[i + 2] < 235) ink++;
  return ink / (px.length / 4);
}

/** Distinct non-grey colours (quantised), to tell a coloured chart from a blank frame. */
export function colourCount(svg: string, width = 400): number {
  const img = new Resvg(svg, { background: 'white', fitTo: { mode: 'width', value: width } }).render();
  const px = img.pixels;
  const seen = new Set<number>();
  for (let i = 0; i < px.length; i += 4) {
    const [r, g, b] = [px[i], px[i + 1], px[i + 2]];
    if (Math.max(r, g, b) - Math.min(r, g, b) > 40) seen.add(((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4));
  }
  return seen.size;
}
