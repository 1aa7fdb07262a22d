#!/usr/bin/env node
/* global console, process */
// Says whether the headless Chromium the viewer's browser tests use is usable: present, and
// launchable by playwright-core with the same flags as the tests. Exit code 0 = usable, 1 = not.
import { existsSync } from "node:fs";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const FIX = "run scripts/ensure-chromium.sh (installs Debian's chromium package)";

async function checkChromium() {
  if (!existsSync(CHROMIUM)) return { usable: false, detail: `${CHROMIUM} not found: ${FIX}` };
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 30_000 });
  try {
    const page = await browser.newPage();
    await page.setContent("<p id=ok>ok</p>");
    const text = await page.textContent("#ok");
    return { usable: text === "ok", detail: `Chromium ${browser.version()} at ${CHROMIUM}` };
  } finally {
    await browser.close();
  }
}

try {
  const { usable, detail } = await checkChromium();
  console.log(`chromium: ${usable ? "usable" : "NOT usable"} (${detail})`);
  process.exitCode = usable ? 0 : 1;
} catch (error) {
  console.log(`chromium: NOT usable (launch failed: ${error instanceof Error ? error.message.split("\n")[0] : error}); ${FIX}`);
  process.exitCode = 1;
}
