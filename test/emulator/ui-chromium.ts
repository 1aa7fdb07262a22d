import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Debian's chromium package; installed by scripts/ensure-chromium.sh, never downloaded by Playwright. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const MISSING_CHROMIUM_MESSAGE =
  `Chromium not found at ${CHROMIUM_PATH}: run scripts/ensure-chromium.sh (installs Debian's chromium package).`;

export function isChromiumInstalled(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/**
 * Whether the browser suite runs: always in CI (where a missing browser must fail, not skip),
 * locally only when Chromium is there, saying so when it is not.
 */
export function shouldRunBrowserTests(env: NodeJS.ProcessEnv): boolean {
  if (isChromiumInstalled() || env.CI) return true;
  console.warn(`[ui-browser] skipped locally. ${MISSING_CHROMIUM_MESSAGE}`);
  return false;
}

export async function launchChromium(): Promise<Browser> {
  if (!isChromiumInstalled()) throw new Error(MISSING_CHROMIUM_MESSAGE);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
