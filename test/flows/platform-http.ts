// Serves the platform's partner REST API (/api/v1) over real HTTP on a free loopback port, for
// end-to-end flows, fuzzing and benchmarks that need a partner to call it the way it calls
// production: node:http in front of the same dispatcher the Next catch-all route uses
// (server/api/rest/dispatch.ts). Every operation's response is also checked against the document.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { validateAgainstOpenApi } from "@/server/api/openapi/validate";
import { createRestDispatcher, DOCUMENT_ROUTE, REST_BASE_PATH } from "@/server/api/rest/dispatch";
import { restHandlersByOperationId, type RestHandler } from "@/server/api/rest/handlers-by-operation";
import { publishedOpenApiDocument, publishedRoutes } from "@/server/api/rest/openapi-document";

export interface ServedRequest {
  method: string;
  path: string;
  operationId: string | null;
  status: number;
  durationMs: number;
}

export interface PlatformHttpServer {
  /** e.g. http://127.0.0.1:41234/api/v1 */
  baseUrl: string;
  served: ServedRequest[];
  /** Responses that did not match the published document. */
  contractViolations: string[];
  /** Whether an operation is published with a handler (pieces may still be in progress). */
  hasOperation(operationId: string): boolean;
  stop(): Promise<void>;
}

/** The response's media type without parameters (application/json, application/problem+json, ...). */
export const mediaTypeOf = (headers: Headers): string => headers.get("content-type")?.split(";")[0]?.trim() || "application/json";

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export async function startPlatformHttpServer(options: { handlers?: Record<string, RestHandler>; checkContract?: boolean; recordRequests?: boolean } = {}): Promise<PlatformHttpServer> {
  const handlers = options.handlers ?? restHandlersByOperationId;
  const dispatcher = createRestDispatcher(handlers);
  const document = publishedOpenApiDocument();
  const served: ServedRequest[] = [];
  const contractViolations: string[] = [];

  const server: Server = createServer((req, res) => {
    void (async () => {
      const started = performance.now();
      const method = (req.method ?? "GET").toUpperCase();
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const path = url.pathname.startsWith(`${REST_BASE_PATH}/`) ? url.pathname.slice(REST_BASE_PATH.length) : url.pathname;
      const resolution = dispatcher.resolve(method, url.pathname);
      const operationId = resolution.kind === "operation" ? resolution.route.operationId : null;
      try {
        const body = method === "GET" || method === "HEAD" ? undefined : await readBody(req);
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) {
          if (typeof value === "string") headers.set(name, value);
          else if (Array.isArray(value)) headers.set(name, value.join(", "));
        }
        const request = new Request(`http://127.0.0.1${REST_BASE_PATH}${path}${url.search}`, { method, headers, ...(body && body.length > 0 ? { body: new Uint8Array(body) } : {}) });
        const response = await dispatcher.handle(request);
        const text = await response.text();
        const responseHeaders: Record<string, string> = {};
        response.headers.forEach((value, name) => {
          if (name !== "content-length" && name !== "content-encoding") responseHeaders[name] = value;
        });
        res.writeHead(response.status, responseHeaders).end(text);
        if ((options.checkContract ?? true) && operationId !== null && operationId !== DOCUMENT_ROUTE.operationId && method !== "HEAD") {
          const parsed: unknown = text === "" ? undefined : JSON.parse(text);
          const check = validateAgainstOpenApi(document, method, resolution.kind === "operation" ? resolution.route.path : path, response.status, parsed, mediaTypeOf(response.headers));
          if (!check.valid) contractViolations.push(`${method} ${path} -> ${response.status}: ${check.errors.join("; ")}`);
        }
        if (options.recordRequests ?? true) served.push({ method, path, operationId, status: response.status, durationMs: performance.now() - started });
      } catch (error) {
        res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ detail: "internal error" }));
        contractViolations.push(`${method} ${path} threw ${error instanceof Error ? error.message : String(error)}`);
      }
    })();
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}${REST_BASE_PATH}`,
    served,
    contractViolations,
    hasOperation: (operationId) => publishedRoutes.some((route) => route.operationId === operationId) && handlers[operationId] !== undefined,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
