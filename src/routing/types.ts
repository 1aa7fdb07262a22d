/** A Notification Hubs destination: its own hub, NH client, SAS cache, readiness and metrics label. */
export interface HubsDestination {
  type: "hubs";
  /** The resolved connection string (the secret itself). */
  connectionString: string;
  /** Where it came from, for display: `env:NAME`, or `literal` when written in the file. */
  connectionStringSource: string;
  hubName: string;
  /** Tag expression template of this hub's sends; the bridge's TARGET_TAG_TEMPLATE when absent. */
  tagTemplate?: string;
}

/** Forwarding to Microsoft Graph with the GRAPH_* settings (the legacy endpoint, for fallback). */
export interface GraphDestination {
  type: "graph";
}

/** Accepted, stored, answered 201, shown in the status and preview, never sent. */
export interface DryRunDestination {
  type: "dry-run";
}

export type Destination = HubsDestination | GraphDestination | DryRunDestination;
export type DestinationType = Destination["type"];

export interface RouteMatch {
  /** Lower-cased; compared case-insensitively with the notification's targetHostName. */
  targetHostName?: string;
  /** Lower-cased; compared with the calling app's id (app or delegated tokens). */
  appId?: string;
}

export interface Route {
  /** The file's `name`, or one derived from the match (see routeNameOf). Seeds the canary hash. */
  name: string;
  match: RouteMatch;
  destination: string;
  canary?: { destination: string; percent: number };
  shadow?: string;
}

/** A validated routing file with its secrets resolved. Plain data: it crosses to the outbox thread. */
export interface RoutingTable {
  destinations: Record<string, Destination>;
  routes: Route[];
  default: string;
}

/** Where one notification goes, decided at accept time and recorded with it. */
export interface RouteDecision {
  /** The matching route's name, or "default". */
  route: string;
  /** The destination that delivers it (the canary's when the user falls in the canary slice). */
  destination: string;
  /** A hubs destination that also receives it, through the outbox, without affecting the caller. */
  shadow?: string;
  /** Present on a route with a canary: the user's bucket (0-99) and whether it is in the slice. */
  canary?: { bucket: number; percent: number; chosen: boolean };
}
