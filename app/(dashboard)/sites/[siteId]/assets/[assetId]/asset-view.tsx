"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { formatDateTime } from "@/components/lib/format";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DescriptionList } from "@/components/ui/description-list";
import { ErrorState } from "@/components/ui/error-state";
import { InputField } from "@/components/ui/input-field";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { LoadingState } from "@/components/ui/skeleton";
import { assetPropertiesSchemaByType, type AssetType } from "@/server/domain/inventory";
import { useTRPC } from "@/app/_trpc/client";
import { fieldErrorsOf, messageOf } from "@/app/_trpc/errors";
import { useRole } from "../../../../role-context";
import { assetTypeLabel } from "../../../labels";

function describeKey(type: AssetType, key: string): string {
  const shape: Record<string, { description?: string | undefined }> = assetPropertiesSchemaByType[type].shape;
  return shape[key]?.description ?? key;
}

function formatValue(value: unknown): string {
  if (Array.isArray(value)) return value.join(", ");
  if (value === null || value === undefined) return "—";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

export function AssetView({ siteId, assetId }: { siteId: string; assetId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = useRole();
  const canWrite = can("sites:write");
  const [editing, setEditing] = useState(false);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const asset = useQuery(trpc.siteDetails.asset.queryOptions({ assetId }));
  const unknownModels = useQuery(trpc.catalogue.unknownAssetModels.queryOptions());
  const update = useMutation(
    trpc.siteDetails.updateAsset.mutationOptions({
      onSuccess: () => {
        setEditing(false);
        void queryClient.invalidateQueries({ queryKey: trpc.siteDetails.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.sites.pathKey() });
      },
    }),
  );
  const back = <Link href={`/sites/${siteId}`}>← Site</Link>;
  if (asset.isLoading) return <LoadingState label="Loading asset" />;
  if (asset.error || !asset.data) {
    // An address whose id is not even well formed (BAD_REQUEST) names no asset either.
    const missing = asset.error?.data?.code === "NOT_FOUND" || asset.error?.data?.code === "BAD_REQUEST";
    return (
      <>
        <PageHeader eyebrow={back} title="Asset" />
        <ErrorState title={missing ? "Asset not found" : "The asset could not be loaded"} message={missing ? "It may have been deleted." : messageOf(asset.error)} />
      </>
    );
  }
  const a = asset.data;
  const type = a.type;
  const modelName = a.assetModel?.trim() ?? "";
  const modelUnknown = modelName !== "" && (unknownModels.data ?? []).some((entry) => entry.name.toLowerCase() === modelName.toLowerCase());
  const known = Object.keys(assetPropertiesSchemaByType[type].shape);
  const serverErrors = fieldErrorsOf(update.error);
  const errors = { ...serverErrors, ...clientErrors };

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const text = (name: string) => String(data.get(name) ?? "").trim();
    const found: Record<string, string> = {};
    const properties: Record<string, unknown> = { ...a.properties };
    for (const key of known) {
      const raw = text(`property.${key}`);
      if (raw === "") {
        delete properties[key];
        continue;
      }
      const values = raw.split(/[;,]/).map((part) => Number(part.trim()));
      if (values.some((n) => !Number.isFinite(n))) found[`properties.${key}`] = "Enter a number.";
      else properties[key] = key === "heating_elements_kw" ? values : values[0];
    }
    const installationDate = text("installationDate");
    setClientErrors(found);
    if (Object.keys(found).length > 0) return;
    update.mutate({
      assetId,
      properties,
      ...(text("assetModel") ? { assetModel: text("assetModel") } : {}),
      ...(installationDate ? { installationDate } : {}),
      ...(text("serialNumber") ? { serialNumber: text("serialNumber") } : {}),
      ...(text("oem") ? { oem: text("oem") } : {}),
      ...(text("oemDeviceId") ? { oemDeviceId: text("oemDeviceId") } : {}),
    });
  }

  return (
    <>
      <PageHeader
        eyebrow={back}
        title={<span className="font-mono">{a.externalId}</span>}
        description={assetTypeLabel(type)}
        actions={
          canWrite && !editing ? (
            <Button variant="secondary" onClick={() => setEditing(true)}>
              Edit asset
            </Button>
          ) : undefined
        }
      />
      {modelUnknown ? (
        <Notice
          tone="warning"
          title={`The model “${modelName}” is not in the asset-model catalogue`}
          className="mb-6"
          action={can("asset_models:write") ? <Link href={`/settings/asset-models?add=${encodeURIComponent(modelName)}`}>Add it to the catalogue</Link> : undefined}
        >
          Until it is added, this asset can only qualify through the boundary meter, and its CoP11 metering and manufacturer are not known.
        </Notice>
      ) : null}
      {editing ? (
        <Card title="Edit asset" description="Blank properties are removed; other blank fields are left as they are.">
          <form onSubmit={onSubmit} noValidate className="grid gap-4 sm:grid-cols-2">
            {known.map((key) => (
              <InputField
                key={key}
                label={describeKey(type, key)}
                name={`property.${key}`}
                hint={key}
                inputMode="decimal"
                defaultValue={a.properties[key] === undefined ? undefined : formatValue(a.properties[key])}
                error={errors[`properties.${key}`]}
              />
            ))}
            <InputField label="Model" name="assetModel" defaultValue={a.assetModel ?? undefined} error={errors.assetModel} />
            <InputField label="Installation date" name="installationDate" type="date" defaultValue={a.installationDate ?? undefined} error={errors.installationDate} />
            <InputField label="Serial number" name="serialNumber" defaultValue={a.serialNumber ?? undefined} error={errors.serialNumber} />
            <InputField label="OEM" name="oem" hint="e.g. givenergy, foxess" defaultValue={a.oem ?? undefined} error={errors.oem} />
            <InputField label="OEM device id" name="oemDeviceId" defaultValue={a.oemDeviceId ?? undefined} error={errors.oemDeviceId} />
            {update.error && Object.keys(serverErrors).length === 0 ? (
              <Notice tone="danger" className="sm:col-span-2">
                {messageOf(update.error)}
              </Notice>
            ) : null}
            <div className="flex gap-2 sm:col-span-2">
              <Button type="submit" variant="primary" loading={update.isPending}>
                Save changes
              </Button>
              <Button
                variant="secondary"
                onClick={() => {
                  setEditing(false);
                  setClientErrors({});
                  update.reset();
                }}
              >
                Cancel
              </Button>
            </div>
          </form>
        </Card>
      ) : (
        <div className="grid gap-6 lg:grid-cols-2">
          <Card title="Properties">
            {Object.keys(a.properties).length === 0 ? (
              <p className="text-sm text-zinc-500">No properties recorded.</p>
            ) : (
              <DescriptionList items={Object.entries(a.properties).map(([key, value]) => ({ term: `${describeKey(type, key)} (${key})`, description: formatValue(value), mono: true }))} />
            )}
          </Card>
          <Card title="Details">
            <DescriptionList
              items={[
                { term: "External id", description: a.externalId, mono: true },
                { term: "Type", description: assetTypeLabel(type) },
                { term: "Model", description: a.assetModel },
                { term: "Installation date", description: a.installationDate },
                { term: "Serial number", description: a.serialNumber, mono: true },
                { term: "OEM", description: a.oem },
                { term: "OEM device id", description: a.oemDeviceId, mono: true },
                { term: "Added", description: formatDateTime(a.createdAt) },
                { term: "Updated", description: formatDateTime(a.updatedAt) },
              ]}
            />
          </Card>
        </div>
      )}
    </>
  );
}
