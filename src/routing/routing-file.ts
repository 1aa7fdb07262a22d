import { z } from "zod";
import { connectionStringProblem } from "../delivery/hubs/connection-string.js";
import { checkTagTemplate } from "../delivery/hubs/targeting.js";
import { DEFAULT_ROUTE } from "./resolve-route.js";
import type { Destination, Route, RouteMatch, RoutingTable } from "./types.js";

/**
 * The routing file (ROUTING_FILE, docs/routing.md): parsed with zod, then checked as a whole
 * (references, secrets). Every problem names its place in the file, e.g. `routes[2].canary.percent`.
 */
export class RoutingFileError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid routing file:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "RoutingFileError";
  }
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const name = z.string().regex(NAME, "use 1-64 letters, digits, '.', '_' or '-'");
const hubName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,259}$/, "use letters, digits, '.', '_' or '-'");
const lower = z.string().trim().min(1, "must not be empty").transform((s) => s.toLowerCase());

const destinationSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("hubs"),
    connectionString: z.string().min(1, "must not be empty: env:NAME reads it from the environment"),
    hubName,
    tagTemplate: z.string().min(1).optional(),
  }),
  z.strictObject({ type: z.literal("graph") }),
  z.strictObject({ type: z.literal("dry-run") }),
], { message: "needs \"type\": \"hubs\", \"graph\" or \"dry-run\"" });

const routeSchema = z.strictObject({
  name: name.optional(),
  match: z.strictObject({ targetHostName: lower.optional(), appId: lower.optional() })
    .refine((m) => m.targetHostName !== undefined || m.appId !== undefined, "name targetHostName, appId or both (\"default\" takes everything else)"),
  destination: name,
  canary: z.strictObject({ destination: name, percent: z.number().int("must be a whole number").min(0).max(100) }).optional(),
  shadow: name.optional(),
});

const fileSchema = z.strictObject({
  destinations: z.record(name, destinationSchema).refine((d) => Object.keys(d).length > 0, "define at least one destination"),
  routes: z.array(routeSchema).default([]),
  default: name,
});

type RawFile = z.infer<typeof fileSchema>;

/** `routes[2].canary.percent` from zod's ["routes", 2, "canary", "percent"]. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), "") || "(file)";
}

/** The route's name: its own, or one made of its match (stable while the match is). */
export function routeNameOf(match: RouteMatch, given?: string): string {
  if (given) return given;
  return [match.appId && `app:${match.appId}`, match.targetHostName && `host:${match.targetHostName}`].filter(Boolean).join("+");
}

export interface ParseOptions {
  /** Where `env:NAME` secrets are read (the process environment, passed in by config.ts). */
  env: Record<string, string | undefined>;
  allowInsecureHttp: boolean;
}

export interface ParsedRouting {
  table: RoutingTable;
  /** Things allowed but worth a log line (a literal secret in the file). */
  warnings: string[];
}

function resolveDestination(key: string, d: RawFile["destinations"][string], o: ParseOptions, out: { problems: string[]; warnings: string[] }): Destination {
  if (d.type !== "hubs") return d;
  const at = `destinations.${key}`;
  let connectionString = d.connectionString;
  let source = "literal";
  const ref = /^env:(.+)$/.exec(d.connectionString)?.[1];
  if (ref !== undefined) {
    source = `env:${ref}`;
    connectionString = o.env[ref] ?? "";
    if (!connectionString) out.problems.push(`${at}.connectionString: the environment variable ${ref} is not set`);
  } else {
    out.warnings.push(`${at}.connectionString: a secret written in the routing file; prefer "env:NAME" and keep the key out of the file`);
  }
  const problem = connectionString ? connectionStringProblem(connectionString, { allowInsecureHttp: o.allowInsecureHttp }) : undefined;
  if (problem) out.problems.push(`${at}.connectionString: ${problem}`);
  if (d.tagTemplate !== undefined) {
    try {
      checkTagTemplate(d.tagTemplate);
    } catch (e) {
      out.problems.push(`${at}.tagTemplate: ${(e as Error).message}`);
    }
  }
  return { type: "hubs", connectionString, connectionStringSource: source, hubName: d.hubName, ...(d.tagTemplate ? { tagTemplate: d.tagTemplate } : {}) };
}

function checkReferences(file: RawFile, routes: Route[], problems: string[]): void {
  const known = Object.keys(file.destinations);
  const ref = (at: string, dest: string) => {
    if (!(dest in file.destinations)) problems.push(`${at}: unknown destination '${dest}' (defined: ${known.join(", ")})`);
  };
  ref("default", file.default);
  const names = new Map<string, number>();
  routes.forEach((r, i) => {
    const at = `routes[${i}]`;
    ref(`${at}.destination`, r.destination);
    if (r.canary) {
      ref(`${at}.canary.destination`, r.canary.destination);
      if (r.canary.destination === r.destination) problems.push(`${at}.canary.destination: the canary must differ from the route's destination`);
    }
    if (r.shadow !== undefined) {
      ref(`${at}.shadow`, r.shadow);
      const type = file.destinations[r.shadow]?.type;
      if (type !== undefined && type !== "hubs") problems.push(`${at}.shadow: '${r.shadow}' is of type ${type}; a shadow must be a hubs destination`);
      if (r.shadow === r.destination) problems.push(`${at}.shadow: the shadow must differ from the route's destination`);
    }
    if (r.name === DEFAULT_ROUTE) problems.push(`${at}.name: '${DEFAULT_ROUTE}' names the file's default; choose another name`);
    const earlier = names.get(r.name);
    if (earlier !== undefined) problems.push(`${at}: same name '${r.name}' as routes[${earlier}]; give one of them a distinct "name"`);
    else names.set(r.name, i);
  });
}

/** Parses and checks the routing file's text; throws RoutingFileError listing every problem. */
export function parseRoutingFile(text: string, o: ParseOptions): ParsedRouting {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new RoutingFileError([`(file): not valid JSON (${(e as Error).message})`]);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) throw new RoutingFileError(parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`));
  const file = parsed.data;
  const out = { problems: [] as string[], warnings: [] as string[] };
  const destinations = Object.fromEntries(Object.entries(file.destinations).map(([k, d]) => [k, resolveDestination(k, d, o, out)]));
  const routes: Route[] = file.routes.map((r) => ({
    name: routeNameOf(r.match, r.name),
    match: { ...(r.match.targetHostName ? { targetHostName: r.match.targetHostName } : {}), ...(r.match.appId ? { appId: r.match.appId } : {}) },
    destination: r.destination,
    ...(r.canary ? { canary: r.canary } : {}),
    ...(r.shadow ? { shadow: r.shadow } : {}),
  }));
  checkReferences(file, routes, out.problems);
  if (out.problems.length) throw new RoutingFileError(out.problems);
  return { table: { destinations, routes, default: file.default }, warnings: out.warnings };
}
