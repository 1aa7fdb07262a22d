/**
 * Wire errors of the emulator, one factory per kind, all rendered as Notification Hubs renders
 * them: `<Error><Code>{status}</Code><Detail>{text}.TrackingId:{id},TimeStamp:{time}</Detail></Error>`.
 */
export class NhError extends Error {
  readonly status: number;
  readonly detail: string;
  readonly headers: Record<string, string>;

  constructor(status: number, detail: string, headers: Record<string, string> = {}) {
    super(detail);
    this.name = "NhError";
    this.status = status;
    this.detail = detail;
    this.headers = headers;
  }
}

export const isNhError = (e: unknown): e is NhError => e instanceof NhError;

export const nhErrors = {
  unauthorized: (detail: string) => new NhError(401, `Unauthorized: ${detail}`),
  badRequest: (detail: string) => new NhError(400, detail),
  notFound: (detail: string) => new NhError(404, detail),
  /** Strictness: something NH has (or a client may send) that the emulator does not emulate. */
  notSupported: (what: string) => new NhError(400, `${what} is not supported by the emulator.`),
  /** A real NH operation the emulator deliberately leaves out (registrations, jobs...). */
  notImplemented: (what: string) =>
    new NhError(501, `${what} is not supported by the emulator; use installations (see docs/emulator.md).`),
  payloadTooLarge: (limitBytes: number) =>
    new NhError(413, `The request body exceeds the Notification Hubs limit of ${limitBytes} bytes.`),
  throttled: (retryAfterSeconds: number) =>
    new NhError(429, "The request was throttled (fault injected by the emulator).", {
      "Retry-After": String(retryAfterSeconds),
    }),
  injectedServerError: (status: number) =>
    new NhError(status, `Server error ${status} (fault injected by the emulator).`),
} as const;

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c] ?? c);
}

export function renderErrorXml(error: NhError, trackingId: string, at: Date): string {
  const sentence = error.detail.endsWith(".") ? error.detail : `${error.detail}.`;
  const detail = `${sentence}TrackingId:${trackingId},TimeStamp:${at.toISOString()}`;
  return `<Error><Code>${error.status}</Code><Detail>${escapeXml(detail)}</Detail></Error>`;
}

export { escapeXml };
