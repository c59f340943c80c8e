"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { formatNumber } from "@/components/lib/format";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CsvFileInput, CsvProblemList, type CsvFile } from "@/components/ui/csv-upload";
import { DataTable } from "@/components/ui/data-table";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { useTRPC } from "@/app/_trpc/client";
import { messageOf } from "@/app/_trpc/errors";
import { useRole } from "../../role-context";

const PREVIEW_ROWS = 8;
const MARKET_NAMES: Record<string, string> = { cm: "Capacity Market", dno: "DNO flexibility", wholesale: "Wholesale" };

interface PreviewRow {
  line: number;
  mpan: string;
  address: string;
  halfHourlySettled: boolean;
  supplierName: string | null;
  eligibleMarkets: string[];
}

export function MeterRegistryView() {
  const trpc = useTRPC();
  const canWrite = useRole().can("meter_registry:write");
  const [csv, setCsv] = useState("");
  const [fileName, setFileName] = useState("");
  const preview = useMutation(trpc.meterRegistry.preview.mutationOptions());
  const load = useMutation(trpc.meterRegistry.load.mutationOptions());

  function onFile(file: CsvFile | null) {
    load.reset();
    if (!file) return;
    setCsv(file.text);
    setFileName(file.name);
    preview.mutate({ csv: file.text });
  }

  function onLoad() {
    load.mutate({ csv }, { onSuccess: () => { setCsv(""); setFileName(""); preview.reset(); } });
  }

  const checked = preview.data;
  return (
    <div className="grid gap-6">
      <PageHeader title="Meter registry" description="The meters partners can look up by MPAN or address before they onboard a household, with their settlement and supplier." />
      <Card
        title="Load a registry file"
        description="A CSV with the header mpan,address,postcode,half_hourly_settled,supplier_mpid,supplier_name,eligible_markets. Addresses end with the postcode; half_hourly_settled is true or false; eligible markets are cm, dno or wholesale, separated by semicolons. A meter already in the registry is updated."
      >
        {!canWrite ? (
          <Notice tone="info" title="Read-only">Ask an operator or admin to load a registry file.</Notice>
        ) : (
          <div className="grid gap-4">
            <CsvFileInput id="meter-registry-file" onFile={onFile} />
            {preview.isPending ? <p className="text-sm text-zinc-600">Checking {fileName}…</p> : null}
            {preview.error ? <Notice tone="danger" title="The file could not be checked">{messageOf(preview.error)}</Notice> : null}
            {checked && checked.errors.length > 0 ? (
              <Notice tone="danger" title={`${fileName} has ${checked.errors.length} problem${checked.errors.length === 1 ? "" : "s"}: correct the file and choose it again`}>
                <CsvProblemList problems={checked.errors} />
              </Notice>
            ) : null}
            {checked && checked.errors.length === 0 ? (
              <div className="grid gap-3">
                <p className="text-sm text-zinc-700">
                  {fileName}: {formatNumber(checked.newCount)} new meter{checked.newCount === 1 ? "" : "s"} and {formatNumber(checked.updateCount)} already in the registry.
                </p>
                <DataTable
                  bare
                  caption="First meters of the file"
                  columns={[
                    { key: "mpan", header: "MPAN", render: (row: PreviewRow) => row.mpan },
                    { key: "address", header: "Address", render: (row: PreviewRow) => row.address },
                    { key: "hh", header: "Half-hourly settled", render: (row: PreviewRow) => (row.halfHourlySettled ? "Yes" : "No") },
                    { key: "supplier", header: "Supplier", render: (row: PreviewRow) => row.supplierName ?? "—" },
                    { key: "markets", header: "Markets", render: (row: PreviewRow) => row.eligibleMarkets.map((market) => MARKET_NAMES[market] ?? market).join(", ") || "—" },
                  ]}
                  rows={checked.sample.slice(0, PREVIEW_ROWS)}
                  getRowKey={(row) => row.mpan}
                />
                <div>
                  <Button variant="primary" loading={load.isPending} onClick={onLoad}>
                    Load {formatNumber(checked.rowCount)} meter{checked.rowCount === 1 ? "" : "s"}
                  </Button>
                </div>
              </div>
            ) : null}
            {load.error ? <Notice tone="danger" title="Nothing was loaded">{messageOf(load.error)}</Notice> : null}
            {load.data ? (
              <Notice tone="success" title="Registry loaded">
                {formatNumber(load.data.created)} meter{load.data.created === 1 ? "" : "s"} added and {formatNumber(load.data.updated)} updated.
              </Notice>
            ) : null}
          </div>
        )}
      </Card>
    </div>
  );
}
