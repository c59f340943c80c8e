"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRef, useState, type ChangeEvent } from "react";
import { formatNumber } from "@/components/lib/format";
import { Badge } from "@/components/ui/badge";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { FormField } from "@/components/ui/form-field";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { StatTile } from "@/components/ui/stat-tile";
import { useTRPC } from "@/app/_trpc/client";
import { messageOf } from "@/app/_trpc/errors";
import { useRole } from "../../role-context";
import { assetTypeLabel } from "../labels";

const TEMPLATE =
  "mpan,postcode,street_address,email,is_half_hourly_settled,gave_boundary_meter_consent_at,asset_external_id,asset_type,asset_model,installation_date,serial_number,oem,oem_device_id,power_kw,capacity_kwh\n" +
  "1200023305967,SW1A 1AA,10 Downing Street,householder@example.com,true,2026-01-15T10:00:00Z,bat-001,battery,,2025-06-01,,givenergy,,5,9.5\n";

type Phase =
  | { kind: "idle" }
  | { kind: "importing"; done: number; total: number }
  | { kind: "done"; result: { sitesCreated: number; sitesUpdated: number; assetsCreated: number; assetsUpdated: number } }
  | { kind: "cancelled" }
  | { kind: "failed"; message: string; issues: { path: (string | number)[]; message: string }[] };

type StreamEvent =
  | { type: "progress"; done: number; total: number }
  | { type: "done"; result: { sitesCreated: number; sitesUpdated: number; assetsCreated: number; assetsUpdated: number } }
  | { type: "error"; message: string; issues: { path: (string | number)[]; message: string }[] };

interface IssueRow {
  line: number;
  column?: string;
  message: string;
}

/** Streams the commit; the transaction commits only when the whole file is in, so aborting leaves nothing behind. */
async function runImport(csv: string, fileName: string, signal: AbortSignal, onEvent: (event: StreamEvent) => void): Promise<void> {
  const response = await fetch("/api/import/sites", { method: "POST", body: csv, signal, headers: { "content-type": "text/csv", "x-file-name": fileName } });
  if (!response.ok || !response.body) {
    const body = (await response.json().catch(() => null)) as { message?: string } | null;
    onEvent({ type: "error", message: body?.message ?? `The import was refused (HTTP ${response.status}).`, issues: [] });
    return;
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let newline = buffer.indexOf("\n");
    while (newline >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line) onEvent(JSON.parse(line) as StreamEvent);
      newline = buffer.indexOf("\n");
    }
  }
}

export function ImportView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useRole().can("sites:write");
  const [file, setFile] = useState<{ name: string; csv: string } | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const abort = useRef<AbortController | null>(null);
  const preview = useMutation(trpc.siteImport.preview.mutationOptions());
  const inputRef = useRef<HTMLInputElement>(null);

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const chosen = event.target.files?.[0];
    setPhase({ kind: "idle" });
    preview.reset();
    if (!chosen) {
      setFile(null);
      return;
    }
    const csv = await chosen.text();
    setFile({ name: chosen.name, csv });
    preview.mutate({ csv });
  }

  async function startImport() {
    if (!file) return;
    const controller = new AbortController();
    abort.current = controller;
    setPhase({ kind: "importing", done: 0, total: preview.data?.siteCount ?? 0 });
    try {
      await runImport(file.csv, file.name, controller.signal, (event) => {
        if (event.type === "progress") setPhase({ kind: "importing", done: event.done, total: event.total });
        else if (event.type === "done") {
          setPhase({ kind: "done", result: event.result });
          void queryClient.invalidateQueries({ queryKey: trpc.sites.pathKey() });
        } else setPhase({ kind: "failed", message: event.message, issues: event.issues });
      });
    } catch (error) {
      if (controller.signal.aborted) setPhase({ kind: "cancelled" });
      else setPhase({ kind: "failed", message: error instanceof Error ? error.message : "The import failed.", issues: [] });
    } finally {
      abort.current = null;
    }
  }

  function reset() {
    setFile(null);
    setPhase({ kind: "idle" });
    preview.reset();
    if (inputRef.current) inputRef.current.value = "";
  }

  const p = preview.data;
  const importing = phase.kind === "importing";
  const percent = phase.kind === "importing" && phase.total > 0 ? Math.round((phase.done / phase.total) * 100) : 0;

  return (
    <>
      <PageHeader
        eyebrow={<Link href="/sites">← Sites</Link>}
        title="Import sites"
        description="One row per site, or several rows with the same MPAN for a site with several assets. Existing sites (matched on MPAN) and assets (matched on external id) are updated. The whole file is imported or none of it."
        actions={
          <a className="text-sm text-indigo-600 underline" href={`data:text/csv;charset=utf-8,${encodeURIComponent(TEMPLATE)}`} download="sites-template.csv">
            Download a template
          </a>
        }
      />
      {!canWrite ? (
        <Notice tone="info">Viewers cannot import sites. Ask an operator or an admin.</Notice>
      ) : (
        <>
          <Card title="1. Choose a CSV file" description="Nothing is written until you confirm the import.">
            <FormField htmlFor="sites-csv" label="CSV file" hint="Columns: mpan, postcode (required), street_address, email, is_half_hourly_settled, gave_boundary_meter_consent_at, asset_external_id, asset_type, asset_model, installation_date, serial_number, oem, oem_device_id and property columns such as power_kw, capacity_kwh.">
              <input
                ref={inputRef}
                id="sites-csv"
                type="file"
                accept=".csv,text/csv"
                disabled={importing}
                onChange={(e) => void onFile(e)}
                className="block text-sm text-zinc-700 file:mr-3 file:rounded-md file:border file:border-zinc-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium"
              />
            </FormField>
            {preview.isPending ? <p className="mt-3 text-sm text-zinc-600">Checking {file?.name}…</p> : null}
            {preview.error ? (
              <Notice tone="danger" className="mt-4">
                {messageOf(preview.error)}
              </Notice>
            ) : null}
          </Card>

          {p && file ? (
            <Card title="2. Check the preview" className="mt-6" description={`${file.name}: ${formatNumber(p.rowCount, 0)} rows`}>
              <div className="grid gap-3 sm:grid-cols-4">
                <StatTile label="New sites" value={formatNumber(p.sitesToCreate, 0)} />
                <StatTile label="Sites updated" value={formatNumber(p.sitesToUpdate, 0)} />
                <StatTile label="New assets" value={formatNumber(p.assetsToCreate, 0)} />
                <StatTile label="Assets updated" value={formatNumber(p.assetsToUpdate, 0)} />
              </div>
              {p.ignoredColumns.length > 0 ? (
                <Notice tone="info" className="mt-4">
                  These columns are not import columns and are ignored: {p.ignoredColumns.join(", ")}.
                </Notice>
              ) : null}
              {p.errorCount > 0 ? (
                <div className="mt-4">
                  <Notice tone="danger" title={`${formatNumber(p.errorCount, 0)} ${p.errorCount === 1 ? "row needs" : "problems need"} fixing`}>
                    Nothing can be imported until the file has no errors. Fix these lines and choose the file again.
                    {p.errorCount > p.errors.length ? ` The first ${p.errors.length} are listed.` : ""}
                  </Notice>
                  <IssueTable caption="Errors" rows={p.errors} />
                </div>
              ) : null}
              {p.warningCount > 0 ? (
                <div className="mt-4">
                  <Notice tone="warning" title={`${formatNumber(p.warningCount, 0)} warning${p.warningCount === 1 ? "" : "s"}`}>
                    These rows are imported as they are.
                  </Notice>
                  <IssueTable caption="Warnings" rows={p.warnings} />
                </div>
              ) : null}
              {p.errorCount === 0 && p.sample.length > 0 ? (
                <div className="mt-4">
                  <h3 className="mb-2 text-sm font-medium text-zinc-900">First sites in the file</h3>
                  <DataTable
                    caption="First sites in the file"
                    rows={p.sample}
                    getRowKey={(r) => r.mpan}
                    columns={[
                      { key: "line", header: "Line", render: (r) => r.line },
                      { key: "mpan", header: "MPAN", className: "font-mono", render: (r) => r.mpan },
                      { key: "address", header: "Address", render: (r) => [r.streetAddress, r.postcode].filter(Boolean).join(", ") },
                      { key: "assets", header: "Assets", hideBelow: "sm", render: (r) => r.assets.map((a) => `${a.externalId} (${assetTypeLabel(a.type)})`).join(", ") || "—" },
                      { key: "exists", header: "", render: (r) => (r.exists ? <Badge tone="info">Update</Badge> : <Badge tone="success">New</Badge>) },
                    ]}
                  />
                </div>
              ) : null}
            </Card>
          ) : null}

          {p && file && p.errorCount === 0 && p.siteCount > 0 ? (
            <Card title="3. Import" className="mt-6">
              {phase.kind === "idle" ? (
                <div className="flex flex-wrap gap-2">
                  <Button variant="primary" onClick={() => void startImport()}>
                    Import {formatNumber(p.siteCount, 0)} site{p.siteCount === 1 ? "" : "s"}
                  </Button>
                  <Button variant="secondary" onClick={reset}>
                    Choose another file
                  </Button>
                </div>
              ) : null}
              {phase.kind === "importing" ? (
                <div>
                  <div
                    role="progressbar"
                    aria-label="Import progress"
                    aria-valuemin={0}
                    aria-valuemax={phase.total}
                    aria-valuenow={phase.done}
                    className="h-2 w-full overflow-hidden rounded-full bg-zinc-200"
                  >
                    <div className="h-full bg-indigo-600 transition-[width]" style={{ width: `${percent}%` }} />
                  </div>
                  <p className="mt-2 text-sm text-zinc-600" aria-live="polite">
                    {formatNumber(phase.done, 0)} of {formatNumber(phase.total, 0)} sites ({percent}%). Nothing is saved until the last one is in.
                  </p>
                  <Button className="mt-3" variant="secondary" onClick={() => abort.current?.abort()}>
                    Cancel import
                  </Button>
                </div>
              ) : null}
              {phase.kind === "done" ? (
                <Notice tone="success" title="Import complete" action={<ButtonLink href="/sites" variant="secondary" size="sm">View sites</ButtonLink>}>
                  {phase.result.sitesCreated} sites added, {phase.result.sitesUpdated} updated; {phase.result.assetsCreated} assets added, {phase.result.assetsUpdated} updated.
                </Notice>
              ) : null}
              {phase.kind === "cancelled" ? (
                <Notice tone="info" title="Import cancelled" action={<Button size="sm" variant="secondary" onClick={() => setPhase({ kind: "idle" })}>Start again</Button>}>
                  Nothing was imported.
                </Notice>
              ) : null}
              {phase.kind === "failed" ? (
                <Notice tone="danger" title="Nothing was imported" action={<Button size="sm" variant="secondary" onClick={() => setPhase({ kind: "idle" })}>Try again</Button>}>
                  {phase.message}
                  {phase.issues.length > 0 ? (
                    <ul className="mt-2 list-disc pl-5">
                      {phase.issues.slice(0, 20).map((issue, i) => (
                        <li key={i}>
                          {issue.path.join(", ")}: {issue.message}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </Notice>
              ) : null}
            </Card>
          ) : null}
        </>
      )}
    </>
  );
}

function IssueTable({ caption, rows }: { caption: string; rows: IssueRow[] }) {
  return (
    <DataTable<IssueRow>
      className="mt-2"
      caption={caption}
      rows={rows}
      getRowKey={(r, i) => `${r.line}-${r.column ?? ""}-${i}`}
      columns={[
        { key: "line", header: "Line", className: "w-16", render: (r) => r.line },
        { key: "column", header: "Column", className: "font-mono", render: (r) => r.column ?? "—" },
        { key: "message", header: "Problem", render: (r) => r.message },
      ]}
    />
  );
}
