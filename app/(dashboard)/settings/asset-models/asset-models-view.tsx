"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { formatNumber } from "@/components/lib/format";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CheckboxField } from "@/components/ui/checkbox-field";
import { CsvFileInput, CsvProblemList, type CsvFile } from "@/components/ui/csv-upload";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { InputField } from "@/components/ui/input-field";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { SelectField } from "@/components/ui/select-field";
import { useTRPC } from "@/app/_trpc/client";
import { fieldErrorsOf, messageOf } from "@/app/_trpc/errors";
import { FormErrorNotice } from "@/app/_trpc/form-error-notice";
import type { AssetModel } from "@/server/services/catalogue/asset-models";
import { useRole } from "../../role-context";
import { assetTypeLabel, assetTypeOptions, propositionLabel } from "../../sites/labels";

/** What each proposition does, after its name (sites/labels.ts names it). */
const PROPOSITION_WHAT: Record<string, string> = {
  limited_pause: "one pause inserted when a car plugs in",
  full_asset_schedule_control: "planned charging schedules",
  vpp_limited_control: "batteries act during grid events",
  full_asset_control: "daily battery schedules",
};

type Draft = {
  name: string;
  oem: string;
  assetType: string;
  ratedPowerKw: string;
  cop11Qualified: boolean;
  smartChargeRegulationCompliant: boolean;
  excluded: boolean;
};

const emptyDraft = (name = ""): Draft => ({ name, oem: "", assetType: "charger", ratedPowerKw: "", cop11Qualified: false, smartChargeRegulationCompliant: true, excluded: false });

function draftOf(model: AssetModel): Draft {
  return {
    name: model.name,
    oem: model.oem ?? "",
    assetType: model.assetType ?? "",
    ratedPowerKw: model.ratedPowerKw === null ? "" : String(model.ratedPowerKw),
    cop11Qualified: model.cop11Qualified,
    smartChargeRegulationCompliant: model.smartChargeRegulationCompliant,
    excluded: model.enrolEligibilityOverride === false,
  };
}

function PropositionSettingsCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canChange = useRole().can("organisation:settings");
  const settings = useQuery(trpc.catalogue.propositionSettings.queryOptions());
  const update = useMutation(
    trpc.catalogue.updatePropositionSetting.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.catalogue.propositionSettings.queryKey() }),
    }),
  );
  return (
    <Card
      title="Half-hourly settlement"
      description="Whether a proposition only accepts sites whose meter is settled half-hourly. Off unless you turn it on: partners have no way to send settlement data, so you set it on each site's page."
    >
      {settings.error ? (
        <ErrorState title="Proposition settings could not be loaded" message={messageOf(settings.error)} onRetry={() => void settings.refetch()} />
      ) : (
        <div className="grid gap-3">
          {(settings.data ?? []).map((setting) => {
            const name = propositionLabel(setting.proposition);
            const what = PROPOSITION_WHAT[setting.proposition];
            return (
              <CheckboxField
                key={setting.proposition}
                label={`${name} requires a half-hourly settled site`}
                hint={`${what ? `${name}: ${what}. ` : ""}Changing this re-checks every site's eligibility.`}
                checked={setting.requiresHalfHourlySettlement}
                disabled={!canChange || update.isPending}
                onChange={(event) => update.mutate({ proposition: setting.proposition, requiresHalfHourlySettlement: event.currentTarget.checked })}
              />
            );
          })}
          {!canChange ? <p className="text-sm text-zinc-600">Only admins can change these rules.</p> : null}
          <FormErrorNotice error={update.error} />
        </div>
      )}
    </Card>
  );
}

function ModelForm({ draft, editing, onDone }: { draft: Draft; editing: boolean; onDone: () => void }) {
  const trpc = useTRPC();
  const [values, setValues] = useState<Draft>(draft);
  const save = useMutation(trpc.catalogue.saveAssetModel.mutationOptions());
  const errors = fieldErrorsOf(save.error);
  const set = (patch: Partial<Draft>) => setValues((current) => ({ ...current, ...patch }));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const power = values.ratedPowerKw.trim();
    save.mutate(
      {
        name: values.name,
        oem: values.oem,
        assetType: values.assetType === "" ? null : (values.assetType as AssetModel["assetType"]),
        ratedPowerKw: power === "" ? null : Number(power),
        cop11Qualified: values.cop11Qualified,
        smartChargeRegulationCompliant: values.smartChargeRegulationCompliant,
        enrolEligibilityOverride: values.excluded ? false : null,
      },
      { onSuccess: onDone },
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      <div className="grid gap-4 sm:grid-cols-2">
        <InputField
          label="Model name"
          value={values.name}
          onChange={(event) => set({ name: event.currentTarget.value })}
          readOnly={editing}
          required
          hint="Exactly as partners send it in asset_model; case does not matter."
          error={errors.name}
        />
        <InputField label="Manufacturer" value={values.oem} onChange={(event) => set({ oem: event.currentTarget.value })} hint="For batteries: foxess, givenergy, sigenergy or solis when it uses that cloud." error={errors.oem} />
        <SelectField
          label="Type"
          value={values.assetType}
          onChange={(event) => set({ assetType: event.currentTarget.value })}
          placeholder="Any type"
          options={assetTypeOptions}
          error={errors.assetType}
        />
        <InputField label="Rated power (kW)" inputMode="decimal" value={values.ratedPowerKw} onChange={(event) => set({ ratedPowerKw: event.currentTarget.value })} error={errors.ratedPowerKw} />
      </div>
      <CheckboxField
        label="CoP11 qualified metering"
        hint="The asset's own meter can settle what it delivered, so a charger qualifies without the boundary-meter route."
        checked={values.cop11Qualified}
        onChange={(event) => set({ cop11Qualified: event.currentTarget.checked })}
      />
      <CheckboxField
        label="Meets the Smart Charge Points Regulations"
        checked={values.smartChargeRegulationCompliant}
        onChange={(event) => set({ smartChargeRegulationCompliant: event.currentTarget.checked })}
      />
      <CheckboxField
        label="Exclude from enrolment"
        hint="Sites with this model cannot be enrolled, whatever else they meet."
        checked={values.excluded}
        onChange={(event) => set({ excluded: event.currentTarget.checked })}
      />
      <div className="flex gap-3">
        <Button type="submit" variant="primary" loading={save.isPending}>
          {editing ? "Save changes" : "Add model"}
        </Button>
        <Button type="button" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
      <FormErrorNotice error={save.error} />
    </form>
  );
}

function ImportCard({ onImported }: { onImported: () => void }) {
  const trpc = useTRPC();
  const importCsv = useMutation(trpc.catalogue.importAssetModels.mutationOptions());
  const result = importCsv.data;

  function onFile(file: CsvFile | null) {
    if (!file) return;
    importCsv.mutate({ csv: file.text }, { onSuccess: (answer) => (answer.ok ? onImported() : undefined) });
  }

  return (
    <Card
      title="Import from CSV"
      description="A header row, then one model per row. Columns: name (required), oem, asset_type, cop11_qualified, smart_charge_regulation_compliant (yes or no), rated_power_kw. A row for a model you already have changes it. Nothing is stored if any row has a problem."
    >
      <CsvFileInput id="asset-models-csv" onFile={onFile} disabled={importCsv.isPending} clearAfterRead />
      <FormErrorNotice error={importCsv.error} className="mt-4" />
      {result?.ok === true ? (
        <Notice tone="success" className="mt-4">
          Imported: {result.added} added, {result.changed} changed. {result.sitesReevaluated} sites had their eligibility re-checked.
        </Notice>
      ) : null}
      {result?.ok === false ? (
        <Notice tone="danger" title="Nothing was imported. Correct these rows and choose the file again:" className="mt-4">
          <CsvProblemList problems={result.issues} limit={50} />
        </Notice>
      ) : null}
    </Card>
  );
}

export function AssetModelsView({ addName }: { addName?: string | undefined }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useRole().can("asset_models:write");
  const models = useQuery(trpc.catalogue.assetModels.queryOptions());
  const unknown = useQuery(trpc.catalogue.unknownAssetModels.queryOptions());
  const [form, setForm] = useState<{ draft: Draft; editing: boolean; key: string } | null>(addName && canWrite ? { draft: emptyDraft(addName), editing: false, key: `add-${addName}` } : null);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.catalogue.assetModels.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.catalogue.unknownAssetModels.queryKey() });
  };
  const openAdd = (name = "") => setForm({ draft: emptyDraft(name), editing: false, key: `add-${name}-${Date.now()}` });

  return (
    <>
      <PageHeader
        title="Asset models"
        description="The chargers and batteries partners name in asset_model. Eligibility reads the model's CoP11 qualification and its manufacturer from here; the common UK models are shipped, and what you add or change applies to your organisation only."
        actions={canWrite ? <Button variant="primary" onClick={() => openAdd()}>Add a model</Button> : undefined}
      />
      <div className="grid gap-6">
        {(unknown.data ?? []).length > 0 ? (
          <Notice tone="warning" title="Partners sent models that are not in the catalogue">
            <p>Assets with these models can only qualify through the boundary meter. Add each model to decide how it counts.</p>
            <ul className="mt-2 grid gap-1">
              {(unknown.data ?? []).map((entry) => (
                <li key={entry.name} className="flex flex-wrap items-center gap-2">
                  <span className="font-mono">{entry.name}</span>
                  <span>
                    ({entry.assetCount} {entry.assetCount === 1 ? "asset" : "assets"} at {entry.siteCount} {entry.siteCount === 1 ? "site" : "sites"})
                  </span>
                  {canWrite ? (
                    <Button size="sm" onClick={() => openAdd(entry.name)}>
                      Add to catalogue
                    </Button>
                  ) : null}
                </li>
              ))}
            </ul>
          </Notice>
        ) : null}
        {form ? (
          <Card title={form.editing ? `Change ${form.draft.name}` : "Add a model"}>
            <ModelForm
              key={form.key}
              draft={form.draft}
              editing={form.editing}
              onDone={() => {
                setForm(null);
                refresh();
              }}
            />
          </Card>
        ) : null}
        {models.error ? (
          <ErrorState title="Asset models could not be loaded" message={messageOf(models.error)} onRetry={() => void models.refetch()} />
        ) : (
          <DataTable<AssetModel>
            caption="Asset models"
            loading={models.isLoading}
            rows={models.data ?? []}
            getRowKey={(model) => model.id}
            empty={<EmptyState compact title="No asset models" description="Add the models your partners send, or import them from a CSV file." />}
            columns={[
              { key: "name", header: "Model", render: (model) => <span className="font-mono">{model.name}</span> },
              { key: "oem", header: "Manufacturer", hideBelow: "md", render: (model) => model.oem ?? "Not recorded" },
              { key: "type", header: "Type", hideBelow: "md", render: (model) => (model.assetType ? assetTypeLabel(model.assetType) : "Any") },
              { key: "power", header: "Rated power", align: "right", hideBelow: "lg", render: (model) => (model.ratedPowerKw === null ? "Not recorded" : `${formatNumber(model.ratedPowerKw)} kW`) },
              {
                key: "qualification",
                header: "Qualification",
                render: (model) => (
                  <span className="flex flex-wrap gap-1">
                    {model.cop11Qualified ? <Badge tone="success">CoP11</Badge> : null}
                    {model.smartChargeRegulationCompliant ? <Badge tone="info">Smart charge regulations</Badge> : null}
                    {model.enrolEligibilityOverride === false ? <Badge tone="danger">Excluded from enrolment</Badge> : null}
                  </span>
                ),
              },
              { key: "source", header: "Source", hideBelow: "sm", render: (model) => (model.source === "shipped" ? <Badge>Shipped</Badge> : <Badge tone="info">Yours</Badge>) },
              {
                key: "edit",
                header: <span className="sr-only">Change</span>,
                align: "right",
                render: (model) =>
                  canWrite ? (
                    <Button size="sm" variant="ghost" onClick={() => setForm({ draft: draftOf(model), editing: true, key: `edit-${model.id}` })}>
                      Change
                    </Button>
                  ) : null,
              },
            ]}
          />
        )}
        {canWrite ? <ImportCard onImported={refresh} /> : null}
        <PropositionSettingsCard />
      </div>
    </>
  );
}
