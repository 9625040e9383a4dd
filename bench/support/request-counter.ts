/** Counts the requests an AWS SDK v3 client sends, by operation name (a middleware on its stack). */
export interface RequestCounter {
  total(): number;
  byOperation(): Record<string, number>;
  reset(): void;
}

// biome-ignore lint/suspicious/noExplicitAny: any SDK v3 client; their middleware stacks differ only in types
type AnyClient = { middlewareStack: { add: (middleware: any, options: any) => void } };

export function countRequests(client: AnyClient): RequestCounter {
  let counts: Record<string, number> = {};
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      const name = (context.commandName ?? 'unknown').replace(/Command$/, '');
      counts[name] = (counts[name] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'benchRequestCounter' },
  );
  return {
    total: () => Object.values(counts).reduce((sum, n) => sum + n, 0),
    byOperation: () => ({ ...counts }),
    reset: () => {
      counts = {};
    },
  };
}
