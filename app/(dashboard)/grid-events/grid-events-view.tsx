"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { formatDateTime, formatKw, formatNumber } from "@/components/lib/format";
import { StatusPill } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CheckboxField } from "@/components/ui/checkbox-field";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { FilterBar } from "@/components/ui/filter-bar";
import { InputField } from "@/components/ui/input-field";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { SelectField } from "@/components/ui/select-field";
import { useTRPC } from "@/app/_trpc/client";
import { fieldErrorsOf, messageOf } from "@/app/_trpc/errors";
import { useRole } from "../role-context";
import { DIRECTION_LABELS, londonWallTimeToUtc, PROPOSITION_LABELS } from "./labels";
import { FormErrorNotice } from "@/app/_trpc/form-error-notice";

const PAGE_SIZE = 25;
const STATUSES = ["draft", "scheduled", "dispatching", "active", "restoring", "completed", "cancelled", "settled"] as const;
type Status = (typeof STATUSES)[number];
type Proposition = "vpp_limited_control" | "full_asset_control" | "full_asset_schedule_control";
const HALF_HOURS = Array.from({ length: 48 }, (_, i) => `${String(Math.floor(i / 2)).padStart(2, "0")}:${i % 2 === 0 ? "00" : "30"}`);

function CreateEventForm({ onCreated }: { onCreated: (id: string) => void }) {
  const trpc = useTRPC();
  const [name, setName] = useState("");
  const [direction, setDirection] = useState<"turn_down" | "turn_up">("turn_down");
  const [date, setDate] = useState("");
  const [startTime, setStartTime] = useState("17:00");
  const [durationMinutes, setDurationMinutes] = useState("60");
  const [targetKw, setTargetKw] = useState("");
  const [price, setPrice] = useState("");
  const [region, setRegion] = useState("");
  const [propositions, setPropositions] = useState<Proposition[]>(["vpp_limited_control", "full_asset_control"]);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const create = useMutation(trpc.gridEvents.create.mutationOptions({ onSuccess: (event) => onCreated(event.id) }));
  const errors = { ...fieldErrorsOf(create.error), ...localErrors };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    const startAt = londonWallTimeToUtc(date, startTime);
    if (!name.trim()) problems.name = "Give the event a name.";
    if (!startAt) problems.startAt = "Choose a date and start time.";
    else if (startAt.getTime() <= Date.now()) problems.startAt = "Must be in the future.";
    const target = Number(targetKw);
    if (!(target > 0)) problems.targetKw = "The target must be more than 0 kW.";
    const priceValue = Number(price);
    if (price === "" || !(priceValue >= 0)) problems.priceGbpPerMwh = "Enter a price of 0 or more.";
    if (propositions.length === 0) problems.propositions = "Choose at least one proposition.";
    setLocalErrors(problems);
    if (Object.keys(problems).length > 0 || !startAt) return;
    create.mutate({
      name: name.trim(),
      direction,
      startAt,
      endAt: new Date(startAt.getTime() + Number(durationMinutes) * 60_000),
      targetKw: target,
      priceGbpPerMwh: priceValue,
      region: region.trim() || null,
      propositions,
    });
  };

  return (
    <Card title="New grid event" description="Times are UK time and start on the hour or half-hour. The plan is shown for review before anything is dispatched.">
      <form onSubmit={submit} noValidate className="grid gap-4 sm:grid-cols-2">
        <InputField label="Name" required value={name} onChange={(e) => setName(e.target.value)} error={errors.name} maxLength={120} />
        <SelectField
          label="Direction"
          value={direction}
          onChange={(e) => setDirection(e.target.value === "turn_up" ? "turn_up" : "turn_down")}
          options={[
            { value: "turn_down", label: "Turn-down (less import, more export)" },
            { value: "turn_up", label: "Turn-up (more import)" },
          ]}
        />
        <InputField label="Date" type="date" required value={date} onChange={(e) => setDate(e.target.value)} error={errors.startAt} />
        <div className="grid grid-cols-2 gap-4">
          <SelectField label="Start" value={startTime} onChange={(e) => setStartTime(e.target.value)} options={HALF_HOURS.map((t) => ({ value: t, label: t }))} />
          <SelectField
            label="Duration"
            value={durationMinutes}
            onChange={(e) => setDurationMinutes(e.target.value)}
            error={errors.endAt}
            options={[30, 60, 90, 120, 180, 240].map((m) => ({ value: String(m), label: m < 60 ? `${m} min` : `${m / 60} h` }))}
          />
        </div>
        <InputField label="Target" type="number" min={0} step="0.1" required suffix="kW" value={targetKw} onChange={(e) => setTargetKw(e.target.value)} error={errors.targetKw} />
        <InputField label="Price" type="number" min={0} step="0.01" required suffix="£/MWh" value={price} onChange={(e) => setPrice(e.target.value)} error={errors.priceGbpPerMwh} />
        <InputField label="Region" hint="Postcode area (SW) or district (SW1A); empty for the whole fleet." value={region} onChange={(e) => setRegion(e.target.value)} error={errors.region} maxLength={8} />
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-zinc-900">Propositions</legend>
          {(Object.keys(PROPOSITION_LABELS) as Proposition[]).map((p) => (
            <CheckboxField
              key={p}
              label={PROPOSITION_LABELS[p]}
              checked={propositions.includes(p)}
              onChange={(e) => setPropositions((current) => (e.target.checked ? [...current, p] : current.filter((x) => x !== p)))}
            />
          ))}
          {errors.propositions ? <p className="text-sm text-red-700">{errors.propositions}</p> : null}
        </fieldset>
        <FormErrorNotice error={create.error} className="sm:col-span-2" />
        <div className="sm:col-span-2">
          <Button type="submit" loading={create.isPending}>
            Create and review plan
          </Button>
        </div>
      </form>
    </Card>
  );
}

export function GridEventsView() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const canWrite = useRole().can("grid_events:write");
  const [status, setStatus] = useState("");
  const [offset, setOffset] = useState(0);
  const [creating, setCreating] = useState(false);
  const statusFilter = (STATUSES as readonly string[]).includes(status) ? [status as Status] : undefined;
  const list = useQuery({ ...trpc.gridEvents.list.queryOptions({ status: statusFilter, offset, limit: PAGE_SIZE }), refetchInterval: 15_000 });
  return (
    <>
      <PageHeader
        title="Grid events"
        description="Turn-down and turn-up windows: their target, the dispatch plan, the live response and what each asset did."
        actions={canWrite && !creating ? <Button onClick={() => setCreating(true)}>New grid event</Button> : undefined}
      />
      {creating ? (
        <div className="mb-6">
          <CreateEventForm
            onCreated={(id) => {
              void queryClient.invalidateQueries({ queryKey: trpc.gridEvents.list.queryKey() });
              router.push(`/grid-events/${id}`);
            }}
          />
        </div>
      ) : null}
      <FilterBar activeFilterCount={status ? 1 : 0} onClear={() => setStatus("")}>
        <SelectField
          label="Status"
          hideLabel
          placeholder="All statuses"
          value={status}
          onChange={(e) => {
            setStatus(e.target.value);
            setOffset(0);
          }}
          options={STATUSES.map((s) => ({ value: s, label: s[0]?.toUpperCase() + s.slice(1) }))}
        />
      </FilterBar>
      {list.error ? (
        <ErrorState title="Grid events could not be loaded" message={messageOf(list.error)} onRetry={() => void list.refetch()} />
      ) : (
        <DataTable
          caption="Grid events"
          loading={list.isLoading}
          rows={list.data?.items ?? []}
          getRowKey={(e) => e.id}
          rowHref={(e) => `/grid-events/${e.id}`}
          rowLinkLabel={(e) => `Grid event ${e.name}`}
          empty={<EmptyState title="No grid events" description={canWrite ? "Create one with New grid event; you review its dispatch plan before it is committed." : "Events created by operators appear here."} />}
          columns={[
            { key: "name", header: "Event", render: (e) => e.name },
            { key: "status", header: "Status", render: (e) => <StatusPill status={e.status} /> },
            { key: "direction", header: "Direction", hideBelow: "sm", render: (e) => DIRECTION_LABELS[e.direction] ?? e.direction },
            { key: "start", header: "Window", render: (e) => `${formatDateTime(e.startAt)} – ${formatDateTime(e.endAt)}` },
            { key: "target", header: "Target", align: "right", render: (e) => formatKw(e.targetKw) },
            { key: "planned", header: "Planned", align: "right", hideBelow: "md", render: (e) => (e.participantCount > 0 ? `${formatKw(e.plannedKw)} · ${e.participantCount} assets` : "—") },
            { key: "region", header: "Region", hideBelow: "md", render: (e) => e.region ?? "Fleet" },
            { key: "price", header: "Price", align: "right", hideBelow: "lg", render: (e) => `£${formatNumber(e.priceGbpPerMwh, 2)}/MWh` },
          ]}
          footer={list.data && list.data.total > PAGE_SIZE ? <Pagination total={list.data.total} offset={offset} limit={PAGE_SIZE} onPageChange={setOffset} noun="events" /> : undefined}
        />
      )}
    </>
  );
}
