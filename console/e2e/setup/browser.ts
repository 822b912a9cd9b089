import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's Chromium: Playwright's own browser download cannot be reached from every machine. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * As root in a container Chromium's sandbox cannot start, and there is no GPU; the rest keeps it
 * from reaching the network on its own (updates, sync, QUIC probes).
 */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const install =
  'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei';

/** Without a font that has Chinese glyphs, Chromium draws every Chinese character as an empty box. */
function hasChineseFont(): boolean {
  try {
    return execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).trim() !== '';
  } catch {
    return false;
  }
}

/**
 * Makes sure the browser and a Chinese font are there: installs both from Debian when missing and
 * this is root with apt, and otherwise fails with what to do (the browser tests never skip).
 */
export function ensureBrowser(): void {
  if (existsSync(chromiumPath) && hasChineseFont()) return;
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get') && !process.env.CHROMIUM_PATH;
  if (canInstall) {
    console.log('Installing Chromium and a Chinese font from Debian for the browser tests (about a minute)…');
    execFileSync('sh', ['-c', install], { stdio: 'inherit' });
  }
  const missing = [
    ...(existsSync(chromiumPath) ? [] : [`Chromium at ${chromiumPath}`]),
    ...(hasChineseFont() ? [] : ['a font with Chinese characters']),
  ];
  if (missing.length === 0) return;
  throw new Error(
    `The console's browser tests need ${missing.join(' and ')}. On Debian or Ubuntu, as root: ` +
      `\`${install}\`. Elsewhere, install Chromium and a CJK font (e.g. Noto Sans CJK) and set ` +
      'CHROMIUM_PATH to the browser.',
  );
}
