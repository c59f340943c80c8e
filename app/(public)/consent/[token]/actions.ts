"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { clientAddress } from "@/server/auth/client-address";
import { submitHouseholderChoice } from "@/server/services/consent/consent-links";

/** The householder's agree/withdraw button: records the choice with its evidence, then shows a confirmation. */
export async function submitConsentChoice(formData: FormData): Promise<void> {
  const token = String(formData.get("token") ?? "");
  const proposition = String(formData.get("proposition") ?? "");
  const choice = formData.get("choice") === "withdraw" ? "withdraw" : "agree";
  const textVersion = String(formData.get("textVersion") ?? "");
  const all = await headers();
  const result = await submitHouseholderChoice(token, { proposition, choice, textVersion }, { ipAddress: clientAddress(all), userAgent: all.get("user-agent") });
  const base = `/consent/${encodeURIComponent(token)}`;
  if (!result.ok) redirect(`${base}?problem=${result.problem}`);
  const enrolment = result.enrolment ? `&enrolment=${result.enrolment}` : "";
  redirect(`${base}/done?proposition=${encodeURIComponent(proposition)}&choice=${choice}${enrolment}`);
}
