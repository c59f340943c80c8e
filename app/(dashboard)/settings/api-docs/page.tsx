import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { publishedOpenApiDocument } from "@/server/api/rest/openapi-document";
import { readApiReference, type ApiOperation, type Field, type OpenApiLike, type Payload } from "./api-reference";

export const metadata: Metadata = { title: "API reference" };

const METHOD_TONE = { GET: "info", POST: "success", PUT: "warning", PATCH: "warning", DELETE: "danger" } as const;

function MethodBadge({ method }: { method: string }) {
  return <Badge tone={METHOD_TONE[method as keyof typeof METHOD_TONE] ?? "neutral"} className="w-16 justify-center font-mono">{method}</Badge>;
}

function FieldList({ fields }: { fields: Field[] }) {
  return (
    <ul className="divide-y divide-zinc-100 rounded-md border border-zinc-200 text-sm">
      {fields.map((field) => (
        <li key={field.name} className="px-3 py-2">
          <div className="flex flex-wrap items-baseline gap-x-2">
            <code className="font-medium text-zinc-900">{field.name}</code>
            <span className="text-xs text-zinc-500">{field.type}</span>
            {field.required ? <span className="text-xs font-medium text-amber-700">required</span> : null}
          </div>
          {field.description ? <p className="mt-0.5 text-zinc-600">{field.description}</p> : null}
          {field.values ? (
            <p className="mt-0.5 text-xs text-zinc-500">
              One of{" "}
              {field.values.map((value, i) => (
                <span key={value}>
                  {i > 0 ? ", " : ""}
                  <code>{value}</code>
                </span>
              ))}
            </p>
          ) : null}
          {field.fields ? (
            <details className="mt-1">
              <summary className="cursor-pointer text-xs text-indigo-600">Fields of {field.name}</summary>
              <div className="mt-2">
                <FieldList fields={field.fields} />
              </div>
            </details>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function PayloadView({ payload, title }: { payload: Payload; title: string }) {
  return (
    <div className="grid gap-3 lg:grid-cols-2">
      <div>
        <h4 className="mb-1 text-xs font-semibold tracking-wide text-zinc-500 uppercase">
          {title}: {payload.schemaName ?? payload.type} <span className="font-normal normal-case">({payload.contentType})</span>
        </h4>
        {payload.fields.length > 0 ? <FieldList fields={payload.fields} /> : <p className="text-sm text-zinc-600">{payload.type}</p>}
      </div>
      <div>
        <h4 className="mb-1 text-xs font-semibold tracking-wide text-zinc-500 uppercase">Example</h4>
        <pre className="max-h-96 overflow-auto rounded-md bg-zinc-900 p-3 text-xs text-zinc-50">{JSON.stringify(payload.example, null, 2)}</pre>
      </div>
    </div>
  );
}

function OperationView({ op }: { op: ApiOperation }) {
  const [success, ...others] = [...op.responses.filter((r) => r.status.startsWith("2")), ...op.responses.filter((r) => !r.status.startsWith("2"))];
  return (
    <article id={op.anchor} className="scroll-mt-6 rounded-lg border border-zinc-200 bg-white p-4 shadow-sm">
      <div className="flex flex-wrap items-center gap-2">
        <MethodBadge method={op.method} />
        <code className="text-sm font-medium break-all text-zinc-900">{op.path}</code>
      </div>
      <h3 className="mt-2 font-medium text-zinc-900">{op.summary}</h3>
      {op.description ? <p className="mt-1 text-sm text-zinc-600">{op.description}</p> : null}
      <p className="mt-1 text-xs text-zinc-500">
        {op.scopes.length > 0 ? (
          <>
            Needs a token with{" "}
            {op.scopes.map((s, i) => (
              <span key={s}>
                {i > 0 ? " or " : ""}
                <code>{s}</code>
              </span>
            ))}
            .
          </>
        ) : (
          "No token needed."
        )}
      </p>
      <div className="mt-4 space-y-4">
        {op.parameters.length > 0 ? (
          <div>
            <h4 className="mb-1 text-xs font-semibold tracking-wide text-zinc-500 uppercase">Parameters</h4>
            <FieldList fields={op.parameters.map((p) => ({ name: p.name, type: `${p.type}, in ${p.in}`, required: p.required, ...(p.description ? { description: p.description } : {}) }))} />
          </div>
        ) : null}
        {op.request ? <PayloadView payload={op.request} title="Request body" /> : null}
        {success ? (
          success.payload ? (
            <PayloadView payload={success.payload} title={`Response ${success.status}`} />
          ) : (
            <p className="text-sm text-zinc-600">
              Response <code>{success.status}</code>: {success.description}
            </p>
          )
        ) : null}
        {others.length > 0 ? (
          <details>
            <summary className="cursor-pointer text-sm text-zinc-700">Other responses ({others.map((r) => r.status).join(", ")})</summary>
            <ul className="mt-2 space-y-1 text-sm text-zinc-600">
              {others.map((r) => (
                <li key={r.status}>
                  <code className="font-medium">{r.status}</code> {r.description}
                  {r.payload ? <span className="text-zinc-500"> · {r.payload.schemaName ?? r.payload.type}</span> : null}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </div>
    </article>
  );
}

/** A readable rendering of /api/v1/openapi.json, generated from the same zod schemas as the handlers. */
export default function ApiDocsPage() {
  const doc = publishedOpenApiDocument();
  const tags = readApiReference(doc as unknown as OpenApiLike);
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
            (OpenAPI {doc.openapi}, version {doc.info.version}). Examples are built from the schemas.
          </>
        }
      />
      <div className="lg:grid lg:grid-cols-[14rem_minmax(0,1fr)] lg:gap-8">
        <nav aria-label="API sections" className="mb-6 lg:sticky lg:top-6 lg:mb-0 lg:max-h-[calc(100vh-3rem)] lg:self-start lg:overflow-y-auto">
          <ul className="space-y-3 text-sm">
            {tags.map((tag) => (
              <li key={tag.anchor}>
                <a href={`#${tag.anchor}`} className="font-medium text-zinc-900 hover:text-indigo-600">
                  {tag.name}
                </a>
                <ul className="mt-1 hidden space-y-0.5 border-l border-zinc-200 pl-3 lg:block">
                  {tag.operations.map((op) => (
                    <li key={op.anchor}>
                      <a href={`#${op.anchor}`} className="block truncate text-xs text-zinc-600 hover:text-indigo-600" title={`${op.method} ${op.path}`}>
                        <span className="inline-block w-12 font-mono text-zinc-500">{op.method}</span>
                        {op.summary}
                      </a>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </nav>
        <div className="space-y-10">
          {tags.map((tag) => (
            <section key={tag.anchor} id={tag.anchor} aria-labelledby={`${tag.anchor}-title`} className="scroll-mt-6">
              <h2 id={`${tag.anchor}-title`} className="text-lg font-semibold text-zinc-900">
                {tag.name}
              </h2>
              {tag.description ? <p className="mt-1 text-sm text-zinc-600">{tag.description}</p> : null}
              <div className="mt-4 space-y-4">
                {tag.operations.map((op) => (
                  <OperationView key={op.anchor} op={op} />
                ))}
              </div>
            </section>
          ))}
        </div>
      </div>
    </>
  );
}
