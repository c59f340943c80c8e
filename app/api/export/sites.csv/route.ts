// Downloads the sites list as CSV, filtered exactly as the list page's URL is.
import { ASSET_TYPES, PROPOSITIONS } from "@/server/domain/inventory";
import { refusalFor } from "@/server/api/declared-permission";
import { getOperatorSession } from "@/server/auth/next-auth";
import type { Permission } from "@/server/domain/permissions";
import { createServiceContext } from "@/server/services/context";
import { exportSitesCsv, type SitesExportFilters } from "@/server/services/inventory/csv-export";
import { log } from "@/server/log";

export const dynamic = "force-dynamic";
/** Declared here, refused from the permission table; exportSitesCsv checks again. Viewers may not export. */
const EXPORT_PERMISSIONS: readonly Permission[] = ["sites:export"];

function oneOf<T extends string>(values: readonly T[], value: string | null): T | undefined {
  return value !== null && (values as readonly string[]).includes(value) ? (value as T) : undefined;
}

export async function GET(request: Request): Promise<Response> {
  const operator = await getOperatorSession();
  if (!operator?.current) return Response.json({ message: "Sign in first." }, { status: 401 });
  const params = new URL(request.url).searchParams;
  const q = params.get("q")?.trim().slice(0, 200);
  const assetType = oneOf(ASSET_TYPES, params.get("type"));
  const eligibility = oneOf([...PROPOSITIONS, "any", "none"] as const, params.get("eligibility"));
  const filters: SitesExportFilters = { ...(q ? { search: q } : {}), ...(assetType ? { assetType } : {}), ...(eligibility ? { eligibility } : {}) };
  const ctx = createServiceContext(operator.current.orgId, { type: "operator", operatorId: operator.operatorId, label: operator.email, role: operator.current.role });
  const refusal = refusalFor(ctx.actor, EXPORT_PERMISSIONS);
  if (refusal !== null) return Response.json({ message: refusal }, { status: 403, headers: { "cache-control": "no-store" } });
  const chunks = exportSitesCsv(ctx, filters);
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        log.error({ err: error }, "Sites export failed");
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  const date = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="sites-${date}.csv"`,
      "cache-control": "no-store",
    },
  });
}
