import { existsSync, readFileSync, writeFileSync } from "node:fs";

export const START = "<!-- bench:results:start -->";
export const END = "<!-- bench:results:end -->";

/** Replaces the text between the markers (hand-written text around them is kept). */
export function replaceResults(doc: string, section: string): string {
  const from = doc.indexOf(START);
  const to = doc.indexOf(END);
  if (from < 0 || to < from) return `${doc.trimEnd()}\n\n${START}\n${section}\n${END}\n`;
  return `${doc.slice(0, from + START.length)}\n${section}\n${doc.slice(to)}`;
}

export function writeResults(path: string, section: string): void {
  const doc = existsSync(path) ? readFileSync(path, "utf8") : "# Benchmarks\n";
  writeFileSync(path, replaceResults(doc, section));
}
