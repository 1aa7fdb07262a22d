import { parentPort, workerData } from "node:worker_threads";
import { createHubDestination } from "../hub-destination.js";
import { toDeliveryError } from "../hub-sender.js";
import { toWireError, type SenderReply, type SenderRequest, type SenderThreadData } from "./protocol.js";

/**
 * A sender thread: its own event loop and @azure/notification-hubs client, so the SDK's
 * per-send cost (request pipeline, signing, HTTP) runs beside the main loop instead of on it.
 * It only sends; every decision (retries, outcomes, storage) stays with the caller.
 */
const data = workerData as SenderThreadData;
const now = () => new Date();
// One in-loop destination per thread: its own SDK client, SAS token cache and connections.
const { sender } = await createHubDestination({ ...data, now });
const port = parentPort!;

port.on("message", (m: SenderRequest) => {
  const work = m.kind === "send" ? sender.send(m.send, { tagExpression: m.tagExpression }) : sender.checkReady().then(() => undefined);
  work.then(
    (receipt) => port.postMessage({ id: m.id, ok: true, receipt: receipt ?? undefined } satisfies SenderReply),
    (e: unknown) => port.postMessage({ id: m.id, ok: false, error: toWireError(toDeliveryError(e, now())) } satisfies SenderReply),
  );
});
