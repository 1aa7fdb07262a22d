import { Agent, request } from "node:http";
import { setTimeout as delay } from "node:timers/promises";

/** One GET /readyz: `200`, `503:<reason or failing checks>`, or `error:<code>` when the connection failed. */
export function probeReadiness(baseUrl: string, agent?: Agent): Promise<string> {
  return new Promise((resolve) => {
    const req = request(`${baseUrl}/readyz`, { agent });
    req.on("error", (e: NodeJS.ErrnoException) => resolve(`error:${e.code ?? e.message}`));
    req.on("response", (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString("utf8")));
      res.on("end", () => {
        if (res.statusCode === 200) return resolve("200");
        try {
          resolve(`${res.statusCode}:${(JSON.parse(text) as { reason?: string }).reason ?? "checks"}`);
        } catch {
          resolve(`${res.statusCode}:unparseable ${text.slice(0, 40)}`);
        }
      });
    });
    req.end();
  });
}

/**
 * Polls /readyz over one keep-alive connection until stopped; returns the distinct answers in the
 * order first seen (a drain shows up as `503:shutting down` while the connection is still open).
 */
export function watchReadiness(baseUrl: string): { stop(): Promise<string[]> } {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const seen: string[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const answer = await probeReadiness(baseUrl, agent);
      if (!seen.includes(answer)) seen.push(answer);
      if (answer.startsWith("error:")) return;
      await delay(5);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      agent.destroy();
      return seen;
    },
  };
}
