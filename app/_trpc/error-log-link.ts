// In development, a failed tRPC call is logged in the browser console by procedure name and
// message only. tRPC's own loggerLink prints the whole operation, inputs included, which put
// passwords and OEM keys into consoles (and, through Next's console forwarding, server output).
import type { TRPCLink } from "@trpc/client";
import type { AnyRouter } from "@trpc/server";
import { observable } from "@trpc/server/observable";

export function errorLogLink<TRouter extends AnyRouter>(options: { enabled: boolean; log?: (line: string) => void }): TRPCLink<TRouter> {
  const write = options.log ?? ((line: string) => console.warn(line));
  return () =>
    ({ op, next }) =>
      observable((observer) =>
        next(op).subscribe({
          next: (value) => observer.next(value),
          error: (error) => {
            if (options.enabled) write(`[trpc] ${op.type} ${op.path} failed: ${error.message}`);
            observer.error(error);
          },
          complete: () => observer.complete(),
        }),
      );
}
