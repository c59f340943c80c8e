// Commits a CSV import of sites. The response is a stream of NDJSON lines (progress,
// then the result or the error) so the dashboard can show a progress bar for a large
// file. The import runs in one transaction: if the operator cancels (the browser aborts
// the request), the transaction rolls back and nothing is imported.
import { refusalFor } from "@/server/api/declared-permission";
import { getOperatorSession } from "@/server/auth/next-auth";
import type { Permission } from "@/server/domain/permissions";
import { createServiceContext } from "@/server/services/context";
import { isServiceError } from "@/server/services/errors";
import { commitSitesImport } from "@/server/services/inventory/csv-import/import-sites";
import { log } from "@/server/log";

export const dynamic = "force-dynamic";
/** Declared here, refused from the permission table; commitSitesImport checks again. */
const IMPORT_PERMISSIONS: readonly Permission[] = ["sites:write"];

const MAX_BYTES = 30 * 1024 * 1024;

export type ImportStreamEvent =
  | { type: "progress"; done: number; total: number }
  | { type: "done"; result: { sitesCreated: number; sitesUpdated: number; assetsCreated: number; assetsUpdated: number } }
  | { type: "error"; message: string; issues: { path: (string | number)[]; message: string }[] };

function refuse(status: number, message: string): Response {
  return Response.json({ message }, { status, headers: { "cache-control": "no-store" } });
}

export async function POST(request: Request): Promise<Response> {
  const operator = await getOperatorSession();
  if (!operator?.current) return refuse(401, "Sign in first.");
  const ctx = createServiceContext(operator.current.orgId, { type: "operator", operatorId: operator.operatorId, label: operator.email, role: operator.current.role });
  const refusal = refusalFor(ctx.actor, IMPORT_PERMISSIONS);
  if (refusal !== null) return refuse(403, refusal);
  // Cookies are SameSite=Lax, but a same-origin check costs nothing: forms elsewhere cannot post here.
  const origin = request.headers.get("origin");
  if (origin !== null && origin !== new URL(request.url).origin && origin !== process.env.NEXTAUTH_URL) return refuse(403, "Cross-site request refused.");
  if (!(request.headers.get("content-type") ?? "").startsWith("text/csv")) return refuse(415, "Send the file as text/csv.");
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_BYTES) return refuse(413, "The file is too large: split it into files under 30 MB.");
  const csv = await request.text();
  if (csv.length > MAX_BYTES) return refuse(413, "The file is too large: split it into files under 30 MB.");
  // PostgreSQL cannot store a NUL character; a file holding one is usually a spreadsheet saved in its own format.
  if (csv.includes("\u0000")) return refuse(422, "The file is not plain CSV text: save it from your spreadsheet as CSV (UTF-8) and try again.");

  const fileName = request.headers.get("x-file-name") ?? undefined;
  const cancel = new AbortController();
  request.signal.addEventListener("abort", () => cancel.abort());
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: ImportStreamEvent) => {
        if (!cancel.signal.aborted) controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
      };
      let lastSent = 0;
      try {
        const result = await commitSitesImport(ctx, { csv, fileName }, {
          signal: cancel.signal,
          onProgress: ({ done, total }) => {
            // About a hundred updates whatever the file size.
            if (done === total || done - lastSent >= Math.max(1, Math.floor(total / 100))) {
              lastSent = done;
              send({ type: "progress", done, total });
            }
          },
        });
        send({ type: "done", result });
      } catch (error) {
        if (isServiceError(error)) send({ type: "error", message: error.message, issues: error.issues });
        else {
          log.error({ err: error }, "CSV import failed");
          send({ type: "error", message: "Something went wrong on our side; nothing was imported.", issues: [] });
        }
      } finally {
        if (!cancel.signal.aborted) controller.close();
      }
    },
    cancel() {
      cancel.abort();
    },
  });
  return new Response(stream, { headers: { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store" } });
}
