import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createTrpcContext } from "@/server/api/trpc";

/** The largest input a procedure takes is the site import preview's 30 MB CSV. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;
/** Far above what a dashboard page batches; a batch cannot multiply one request into thousands of calls. */
const MAX_BATCH_SIZE = 100;

const handler = (req: Request) => {
  if (Number(req.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) {
    return Response.json({ error: { message: "The request is larger than 32 MB.", code: -32600, data: { code: "PAYLOAD_TOO_LARGE", httpStatus: 413 } } }, { status: 413 });
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    createContext: () => createTrpcContext({ headers: req.headers }),
  });
};

export { handler as GET, handler as POST };
