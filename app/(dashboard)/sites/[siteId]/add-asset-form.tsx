"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { InputField } from "@/components/ui/input-field";
import { Notice } from "@/components/ui/notice";
import { SelectField } from "@/components/ui/select-field";
import { useTRPC } from "@/app/_trpc/client";
import { fieldErrorsOf, messageOf } from "@/app/_trpc/errors";
import { OEM_LABELS } from "../../batteries/labels";
import { assetTypeOptions } from "../labels";

type AssetType = "battery" | "charger" | "electric_vehicle" | "heat_pump" | "hot_water_tank" | "solar_pv";
type Oem = "foxess" | "givenergy" | "sigenergy" | "solis";
const isAssetType = (v: string): v is AssetType => assetTypeOptions.some((o) => o.value === v);
const isOem = (v: string): v is Oem => v in OEM_LABELS;
const oemOptions = Object.entries(OEM_LABELS).map(([value, label]) => ({ value, label }));
/** Battery clouds the platform reads and controls; other asset types have no OEM to choose. */
const HAS_OEM_CLOUD: readonly string[] = ["battery"];

/** A number field's value, or undefined when empty (the server says what is wrong with the rest). */
const numberOrUndefined = (value: string) => (value.trim() === "" ? undefined : Number(value));

/**
 * The site page's "Add asset": type, a model from the catalogue (which fills in OEM, type and
 * rated power), OEM, device id, power and capacity. The partner API creates assets the same way.
 */
export function AddAssetForm({ siteId, onAdded, onCancel }: { siteId: string; onAdded: (asset: { externalId: string; type: string; oem: string | null }) => void; onCancel: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const models = useQuery(trpc.catalogue.assetModels.queryOptions());
  const [type, setType] = useState<AssetType>("battery");
  const [model, setModel] = useState("");
  const [oem, setOem] = useState("");
  const [deviceId, setDeviceId] = useState("");
  const [powerKw, setPowerKw] = useState("");
  const [capacityKwh, setCapacityKwh] = useState("");
  const [externalId, setExternalId] = useState("");
  const add = useMutation(
    trpc.siteDetails.addAsset.mutationOptions({
      onSuccess: (asset) => {
        void queryClient.invalidateQueries({ queryKey: trpc.sites.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.batteries.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.consent.pathKey() });
        onAdded({ externalId: asset.externalId, type: asset.type, oem: asset.oem });
      },
    }),
  );
  const errors = fieldErrorsOf(add.error);
  const modelsOfType = (models.data ?? []).filter((m) => m.assetType === null || m.assetType === type);
  const withOem = HAS_OEM_CLOUD.includes(type);

  const chooseModel = (name: string) => {
    setModel(name);
    const chosen = models.data?.find((m) => m.name === name);
    if (!chosen) return;
    if (chosen.assetType && isAssetType(chosen.assetType)) setType(chosen.assetType);
    if (chosen.oem && isOem(chosen.oem)) setOem(chosen.oem);
    if (chosen.ratedPowerKw !== null && powerKw.trim() === "") setPowerKw(String(chosen.ratedPowerKw));
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const power = numberOrUndefined(powerKw);
    const capacity = numberOrUndefined(capacityKwh);
    add.mutate({
      siteId,
      type,
      ...(externalId.trim() ? { externalId: externalId.trim() } : {}),
      ...(model ? { assetModel: model } : {}),
      ...(withOem && isOem(oem) ? { oem } : {}),
      ...(deviceId.trim() ? { oemDeviceId: deviceId.trim() } : {}),
      ...(power !== undefined ? { powerKw: power } : {}),
      ...(capacity !== undefined ? { capacityKwh: capacity } : {}),
    });
  };

  return (
    <form onSubmit={onSubmit} className="grid gap-4 p-4 sm:grid-cols-2" aria-label="Add asset">
      <SelectField label="Type" options={assetTypeOptions} value={type} required error={errors.type} onChange={(e) => isAssetType(e.target.value) && setType(e.target.value)} />
      <SelectField
        label="Model"
        placeholder={models.isLoading ? "Loading the catalogue…" : "Not in the catalogue"}
        hint="From Settings, Asset models. Fills in the manufacturer and rated power."
        options={modelsOfType.map((m) => ({ value: m.name, label: m.oem ? `${m.name} (${OEM_LABELS[m.oem] ?? m.oem})` : m.name }))}
        value={model}
        error={errors.assetModel}
        onChange={(e) => chooseModel(e.target.value)}
      />
      {withOem ? (
        <SelectField label="Manufacturer (OEM)" placeholder="Choose the manufacturer" options={oemOptions} value={oem} error={errors.oem} onChange={(e) => setOem(e.target.value)} />
      ) : null}
      <InputField label="Device id" hint={withOem ? "The inverter's serial or id in the manufacturer's cloud." : "The device's serial number, if known."} autoComplete="off" value={deviceId} error={errors.oemDeviceId} onChange={(e) => setDeviceId(e.target.value)} />
      <InputField label="Rated power" type="number" inputMode="decimal" step="any" min="0" suffix="kW" value={powerKw} error={errors.powerKw} onChange={(e) => setPowerKw(e.target.value)} />
      <InputField label="Capacity" type="number" inputMode="decimal" step="any" min="0" suffix="kWh" hint={type === "battery" ? "Needed for Fully Optimised." : undefined} value={capacityKwh} error={errors.capacityKwh} onChange={(e) => setCapacityKwh(e.target.value)} />
      <InputField
        label="Asset id (optional)"
        hint="The partner's id for the asset. Left empty, one is made from the manufacturer and device id."
        autoComplete="off"
        value={externalId}
        error={errors.externalId}
        onChange={(e) => setExternalId(e.target.value)}
      />
      {add.error && Object.keys(errors).length === 0 ? (
        <Notice tone="danger" title="The asset was not added" className="sm:col-span-2">
          {messageOf(add.error)}
        </Notice>
      ) : null}
      <div className="flex gap-2 sm:col-span-2">
        <Button type="submit" loading={add.isPending}>
          Add asset
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
