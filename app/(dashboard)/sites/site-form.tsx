"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { InputField } from "@/components/ui/input-field";
import { Notice } from "@/components/ui/notice";
import { SelectField } from "@/components/ui/select-field";
import { normaliseMpan, normalisePostcode } from "@/server/domain/inventory";

export interface SiteFormValues {
  mpan: string;
  postcode: string;
  streetAddress?: string;
  email?: string;
  isHalfHourlySettled?: boolean;
  gaveBoundaryMeterConsentAt?: Date;
}

export interface SiteFormInitial {
  mpan: string;
  postcode: string;
  streetAddress: string | null;
  email: string | null;
  isHalfHourlySettled: boolean | null;
  gaveBoundaryMeterConsentAt: Date | null;
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks what can be checked in the browser; the server checks everything again. */
export function validateSiteForm(values: { mpan: string; postcode: string; email: string }): Record<string, string> {
  const errors: Record<string, string> = {};
  const mpan = normaliseMpan(values.mpan);
  if (!mpan.ok) errors.mpan = mpan.message;
  const postcode = normalisePostcode(values.postcode);
  if (!postcode.ok) errors.postcode = postcode.message;
  if (values.email !== "" && !emailPattern.test(values.email)) errors.email = "Enter a valid email address.";
  return errors;
}

/** The site fields, for adding a site and for editing one. */
export function SiteForm({
  initial,
  submitLabel,
  busy,
  serverErrors,
  serverMessage,
  onSubmit,
  onCancel,
}: {
  initial?: SiteFormInitial;
  submitLabel: string;
  busy: boolean;
  serverErrors: Record<string, string>;
  serverMessage?: string | undefined;
  onSubmit: (values: SiteFormValues) => void;
  onCancel?: () => void;
}) {
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [mpanWarning, setMpanWarning] = useState<string | null>(null);
  const errors = { ...serverErrors, ...clientErrors };

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const text = (name: string) => String(data.get(name) ?? "").trim();
    const values = { mpan: text("mpan"), postcode: text("postcode"), email: text("email") };
    const found = validateSiteForm(values);
    setClientErrors(found);
    if (Object.keys(found).length > 0) return;
    const mpan = normaliseMpan(values.mpan);
    setMpanWarning(mpan.ok && !mpan.checkDigitValid ? "This MPAN fails its check digit: the site is saved but not eligible until it is corrected." : null);
    const hh = text("isHalfHourlySettled");
    const consent = text("gaveBoundaryMeterConsentAt");
    onSubmit({
      mpan: values.mpan,
      postcode: values.postcode,
      ...(text("streetAddress") ? { streetAddress: text("streetAddress") } : {}),
      ...(values.email ? { email: values.email } : {}),
      ...(hh === "yes" ? { isHalfHourlySettled: true } : hh === "no" ? { isHalfHourlySettled: false } : {}),
      ...(consent ? { gaveBoundaryMeterConsentAt: new Date(`${consent}T00:00:00Z`) } : {}),
    });
  }

  return (
    <form method="post" onSubmit={handleSubmit} noValidate className="grid gap-4 sm:grid-cols-2">
      <InputField label="MPAN" name="mpan" required defaultValue={initial?.mpan} inputMode="numeric" hint="The 13-digit core; spaces are fine." error={errors.mpan} className="font-mono" />
      <InputField label="Postcode" name="postcode" required defaultValue={initial?.postcode} error={errors.postcode} />
      <InputField label="Street address" name="streetAddress" defaultValue={initial?.streetAddress ?? undefined} error={errors.streetAddress} containerClassName="sm:col-span-2" />
      <InputField label="Customer email" name="email" type="email" defaultValue={initial?.email ?? undefined} error={errors.email} />
      <SelectField
        label="Half-hourly settled"
        name="isHalfHourlySettled"
        defaultValue={initial?.isHalfHourlySettled === true ? "yes" : initial?.isHalfHourlySettled === false ? "no" : ""}
        placeholder="Not known"
        options={[
          { value: "yes", label: "Yes" },
          { value: "no", label: "No" },
        ]}
        error={errors.isHalfHourlySettled}
      />
      <InputField
        label="Boundary meter consent given on"
        name="gaveBoundaryMeterConsentAt"
        type="date"
        defaultValue={initial?.gaveBoundaryMeterConsentAt ? new Date(initial.gaveBoundaryMeterConsentAt).toISOString().slice(0, 10) : undefined}
        error={errors.gaveBoundaryMeterConsentAt}
      />
      {serverMessage && Object.keys(serverErrors).length === 0 ? (
        <Notice tone="danger" className="sm:col-span-2">
          {serverMessage}
        </Notice>
      ) : null}
      {mpanWarning && !busy ? (
        <Notice tone="warning" className="sm:col-span-2">
          {mpanWarning}
        </Notice>
      ) : null}
      <div className="flex gap-2 sm:col-span-2">
        <Button type="submit" variant="primary" loading={busy}>
          {submitLabel}
        </Button>
        {onCancel ? (
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
      </div>
    </form>
  );
}
