import type { Notification } from "@azure/notification-hubs";
import { createHubClient, endpointIsHttp } from "../../src/delivery/hubs/hub-client.js";
import { recordedNativeSends } from "../lib/legacy-request.js";

/**
 * Floor (b): the SDK client alone, sending the bridge's native payloads (round-robin over the three
 * platforms) to the sink as fast as CONCURRENCY lanes allow for DURATION_MS. Prints `RESULT {json}`.
 */
const connectionString = process.env.CONNECTION_STRING ?? "";
const durationMs = Number(process.env.DURATION_MS ?? 5000);
const concurrency = Number(process.env.CONCURRENCY ?? 32);
const client = createHubClient({ connectionString, hubName: "bench", allowInsecureHttp: endpointIsHttp(connectionString) });
const notifications = recordedNativeSends(new Date()).map(
  (s) => ({ send: s, n: { platform: s.format, contentType: s.contentType, headers: { ...s.headers }, body: s.body } as Notification }),
);

let sent = 0;
let failed = 0;
async function lane(deadline: number): Promise<void> {
  while (performance.now() < deadline) {
    const { send, n } = notifications[(sent + failed) % notifications.length];
    try {
      await client.sendNotification(n, { tagExpression: send.tagExpression });
      sent++;
    } catch {
      failed++;
    }
  }
}

// Warm-up (connections, JIT), then the timed run.
await Promise.all(Array.from({ length: concurrency }, () => lane(performance.now() + 500)));
sent = 0;
failed = 0;
const started = performance.now();
const cpu0 = process.cpuUsage();
await Promise.all(Array.from({ length: concurrency }, () => lane(started + durationMs)));
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuMsPerSend = (cpu.user + cpu.system) / 1000 / Math.max(1, sent);
console.log(`RESULT ${JSON.stringify({ sendsPerSec: sent / seconds, sent, failed, seconds, concurrency, cpuMsPerSend })}`);
process.exit(0);
