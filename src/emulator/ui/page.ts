import { createHash } from "node:crypto";
import { VIEWER_SCRIPT } from "./client-script.js";
import { VIEWER_STYLES } from "./page-styles.js";

export interface ViewerPage {
  html: string;
  /** Allows exactly the inline script and stylesheet below: injected markup could not run anything. */
  contentSecurityPolicy: string;
}

function hashSource(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

const BELL_ICON =
  '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">' +
  '<path d="M18 8a6 6 0 1 0-12 0c0 7-3 9-3 9h18s-3-2-3-9"/><path d="M13.7 21a2 2 0 0 1-3.4 0"/></svg>';

/** The static shell; all data arrives through `installations` and `deliveries?view=1`, fetched relatively. */
export function buildViewerPage(): ViewerPage {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Notification Hubs emulator · devices</title>
<style>${VIEWER_STYLES}</style>
</head>
<body>
<header class="top">
  <div class="brand">${BELL_ICON}<h1>Notification Hubs emulator</h1><span>what devices received</span></div>
  <div class="controls">
    <label>Hub <select id="hub-filter" data-testid="hub-filter"><option value="">All hubs</option></select></label>
    <label><input type="checkbox" id="auto-refresh" data-testid="auto-refresh" checked> Live (every 2 s)</label>
    <button type="button" id="refresh" data-testid="refresh">Refresh</button>
    <span id="status" class="status" data-testid="status" aria-live="polite">Loading…</span>
  </div>
</header>
<main id="app" data-testid="app"></main>
<script>${VIEWER_SCRIPT}</script>
</body>
</html>
`;
  const contentSecurityPolicy = [
    "default-src 'none'",
    `script-src ${hashSource(VIEWER_SCRIPT)}`,
    `style-src ${hashSource(VIEWER_STYLES)}`,
    "connect-src 'self'",
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
  return { html, contentSecurityPolicy };
}
