import type { Locator } from '@playwright/test';

/** How many pixels of a canvas are drawn on: a chart that drew nothing has none. */
export async function paintedPixels(canvas: Locator): Promise<number> {
  return canvas.evaluate((node: HTMLCanvasElement) => {
    const pixels = node.getContext('2d')?.getImageData(0, 0, node.width, node.height).data ?? [];
    let painted = 0;
    for (let alpha = 3; alpha < pixels.length; alpha += 4) if (pixels[alpha]) painted++;
    return painted;
  });
}
