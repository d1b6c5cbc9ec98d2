/** The part of autocannon 9's API the load test uses (the package ships no types). */
declare module "autocannon" {
  import type { EventEmitter } from "node:events";

  interface Histogram {
    min: number;
    max: number;
    average: number;
    stddev: number;
    p50: number;
    p90: number;
    p97_5: number;
    p99: number;
  }
  export interface Result {
    requests: Histogram & { total: number };
    latency: Histogram;
    throughput: Histogram & { total: number };
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    statusCodeStats: Record<string, { count: number }>;
    start: Date;
    finish: Date;
  }
  export interface Options {
    url: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    connections?: number;
    duration?: number;
    timeout?: number;
    title?: string;
  }
  export interface Instance extends EventEmitter {
    on(event: "response", fn: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): this;
    on(event: "done", fn: (r: Result) => void): this;
    on(event: string, fn: (...args: unknown[]) => void): this;
    stop(): void;
  }
  function autocannon(opts: Options, cb?: (err: Error | null, r: Result) => void): Instance;
  export default autocannon;
}
