import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { publishedOpenApiDocument } from "@/server/api/rest/openapi-document";

export const metadata: Metadata = { title: "API reference" };

interface Operation {
  method: string;
  path: string;
  summary: string;
  description?: string;
  scopes: string[];
  parameters: { name: string; in: string; required: boolean; description?: string }[];
  requestSchema?: string;
  responses: { status: string; description: string }[];
}

function refName(schema: unknown): string | undefined {
  const ref = (schema as { $ref?: string } | undefined)?.$ref;
  return ref ? ref.split("/").pop() : undefined;
}

/** A readable rendering of /api/v1/openapi.json, generated from the same zod schemas as the handlers. */
export default function ApiDocsPage() {
  const doc = publishedOpenApiDocument();
  const byTag = new Map<string, Operation[]>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      const op = raw as {
        summary?: string;
        description?: string;
        tags?: string[];
        security?: Record<string, string[]>[];
        parameters?: { name: string; in: string; required?: boolean; description?: string }[];
        requestBody?: { content?: Record<string, { schema?: unknown }> };
        responses?: Record<string, { description?: string }>;
      };
      const tag = op.tags?.[0] ?? "Other";
      const body = Object.values(op.requestBody?.content ?? {})[0]?.schema;
      const list = byTag.get(tag) ?? [];
      list.push({
        method: method.toUpperCase(),
        path: `/api/v1${path}`,
        summary: op.summary ?? "",
        description: op.description,
        scopes: [...new Set((op.security ?? []).flatMap((s) => Object.values(s).flat()))],
        parameters: (op.parameters ?? []).map((p) => ({ name: p.name, in: p.in, required: p.required ?? false, description: p.description })),
        requestSchema: refName(body),
        responses: Object.entries(op.responses ?? {}).map(([status, r]) => ({ status, description: r.description ?? "" })),
      });
      byTag.set(tag, list);
    }
  }
  return (
    <>
      <PageHeader
        title="API reference"
        description={
          <>
            The partner REST API under <code>/api/v1</code>. Authenticate with an API client (Settings → API clients) at{" "}
            <code>POST /api/v1/auth/token</code> and send <code>Authorization: Bearer …</code>. The machine-readable document is at{" "}
            <a className="text-indigo-600 underline" href="/api/v1/openapi.json">
              /api/v1/openapi.json
            </a>{" "}
            (OpenAPI {doc.openapi}, version {doc.info.version}).
          </>
        }
      />
      <div className="space-y-6">
        {[...byTag.entries()].map(([tag, ops]) => (
          <Card key={tag} title={tag}>
            <ul className="divide-y divide-zinc-100">
              {ops.map((op) => (
                <li key={`${op.method} ${op.path}`} className="py-3">
                  <div className="flex flex-wrap items-center gap-2">
                    <Badge tone={op.method === "GET" ? "info" : op.method === "DELETE" ? "danger" : "success"}>{op.method}</Badge>
                    <code className="text-sm font-medium break-all">{op.path}</code>
                    {op.scopes.map((s) => (
                      <Badge key={s}>{s}</Badge>
                    ))}
                  </div>
                  <p className="mt-1 text-sm text-zinc-700">{op.summary}</p>
                  {op.description ? <p className="mt-1 text-sm text-zinc-500">{op.description}</p> : null}
                  <div className="mt-2 grid gap-1 text-xs text-zinc-600 sm:grid-cols-2">
                    {op.parameters.length > 0 ? (
                      <div>
                        Parameters:{" "}
                        {op.parameters.map((p) => (
                          <code key={`${p.in}-${p.name}`} className="mr-2" title={p.description}>
                            {p.name} ({p.in}
                            {p.required ? ", required" : ""})
                          </code>
                        ))}
                      </div>
                    ) : null}
                    {op.requestSchema ? (
                      <div>
                        Body: <code>{op.requestSchema}</code>
                      </div>
                    ) : null}
                    <div className="sm:col-span-2">
                      Responses:{" "}
                      {op.responses.map((r) => (
                        <span key={r.status} className="mr-3" title={r.description}>
                          <code>{r.status}</code> {r.description}
                        </span>
                      ))}
                    </div>
                  </div>
                </li>
              ))}
            </ul>
          </Card>
        ))}
      </div>
    </>
  );
}
