import type { VisualContent } from "../../../legacy/types.js";

// Characters XML 1.0 cannot carry even escaped (C0 controls, lone surrogates, U+FFFE/U+FFFF).
const NOT_XML_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Element text: escapes markup; characters XML cannot carry become U+FFFD. */
export function escapeXmlText(text: string): string {
  return text.replace(NOT_XML_CHAR, "\uFFFD").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Attribute value: also quotes, and tab/CR/LF as character references so parsers keep them. */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\t/g, "&#9;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;");
}

/** Minimal ToastGeneric toast (W-TOAST): first text is the title, second the body. */
export function buildToastXml(visual: VisualContent, launch: string): string {
  const texts = [visual.title, ...(visual.body !== undefined ? [visual.body] : [])]
    .map((t) => `<text>${escapeXmlText(t)}</text>`)
    .join("");
  return `<toast launch="${escapeXmlAttribute(launch)}"><visual><binding template="ToastGeneric">${texts}</binding></visual></toast>`;
}
