import { sequentialClient, startBenchServer } from "./lib/api-server";
import { quantile } from "@/lib/stats";
import http from "node:http";
async function main() {
  const s = await startBenchServer();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (p: string, h: Record<string,string> = {}) => new Promise<number>((res) => { const t0 = performance.now(); http.get({ host: "127.0.0.1", port: new URL(s.url).port, path: p, agent, headers: h }, (r) => { r.resume(); r.on("end", () => res(performance.now() - t0)); }); });
  // a bare node http server for the HTTP floor
  const bare = http.createServer((q, r) => { r.setHeader("content-type", "application/json"); r.end('{"status":"ok"}'); }).listen(0);
  await new Promise((r) => setTimeout(r, 100));
  const bport = (bare.address() as { port: number }).port;
  const getBare = () => new Promise<number>((res) => { const t0 = performance.now(); http.get({ host: "127.0.0.1", port: bport, path: "/", agent: new http.Agent({ keepAlive: true }) }, (r) => { r.resume(); r.on("end", () => res(performance.now() - t0)); }); });
  const bareAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const getBare2 = () => new Promise<number>((res) => { const t0 = performance.now(); http.get({ host: "127.0.0.1", port: bport, path: "/", agent: bareAgent }, (r) => { r.resume(); r.on("end", () => res(performance.now() - t0)); }); });
  void getBare;
  for (const [name, fn] of [["bare node http", getBare2], ["GET /api/health", () => get("/api/health")], ["GET /api/v1/models (key)", () => get("/api/v1/models", { authorization: `Bearer ${s.key}` })]] as const) {
    for (let i = 0; i < 100; i++) await fn();
    const l: number[] = [];
    for (let i = 0; i < 600; i++) l.push(await fn());
    console.log(name, "p50", quantile(l, 0.5).toFixed(3), "p90", quantile(l, 0.9).toFixed(3));
  }
  bare.close(); agent.destroy(); bareAgent.destroy();
  await s.stop();
  void sequentialClient;
}
void main();
