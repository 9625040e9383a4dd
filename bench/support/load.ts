import { Agent, request } from 'node:http';

export interface LoadResult {
  requests: number;
  failures: number;
  p50: number;
  p99: number;
  seconds: number;
}

/** Sends `total` GETs at a fixed concurrency over keep-alive connections; latencies in milliseconds. */
export async function load(
  url: string,
  options: { total: number; concurrency: number; headers?: Record<string, string> },
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latencies: number[] = [];
  let failures = 0;
  let sent = 0;
  const started = performance.now();
  const worker = async () => {
    while (sent < options.total) {
      sent += 1;
      const t0 = performance.now();
      const status = await get(url, agent, options.headers ?? {});
      latencies.push(performance.now() - t0);
      if (status !== 200) failures += 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    failures,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    seconds,
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

export function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

function get(url: string, agent: Agent, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    request(url, { agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    })
      .on('error', () => resolve(0))
      .end();
  });
}

export function fmt(ms: number): string {
  return ms < 10 ? ms.toFixed(2) : ms.toFixed(1);
}
