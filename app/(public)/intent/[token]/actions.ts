"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { submitHouseholderIntent } from "@/server/services/consent/intent-links";

/** What the householder typed, sent back with a refusal: React resets a form after its action, and nothing typed may be lost. */
export interface IntentFormValues {
  energyRequiredKwh: string;
  readyByLocalTime: string;
}
export type IntentFormState =
  | { status: "idle" }
  | { status: "invalid"; fieldErrors: Partial<Record<"energyRequiredKwh" | "readyByLocalTime", string>>; message: string; values: IntentFormValues }
  | { status: "unavailable"; message: string; values: IntentFormValues }
  | { status: "saved"; intentVersion: number; previousPlanVersion: number | null; savedAt: number };

/** The householder's form: validates, stores the intent through the charging service (which re-plans), and reports field errors. */
export async function saveIntent(_previous: IntentFormState, formData: FormData): Promise<IntentFormState> {
  const token = String(formData.get("token") ?? "");
  const text = (name: keyof IntentFormValues) => {
    const value = formData.get(name);
    return typeof value === "string" ? value : "";
  };
  const values: IntentFormValues = { energyRequiredKwh: text("energyRequiredKwh"), readyByLocalTime: text("readyByLocalTime") };
  const result = await submitHouseholderIntent(token, { energyRequiredKwh: formData.get("energyRequiredKwh"), readyByLocalTime: formData.get("readyByLocalTime") });
  // Re-render the page in the same round trip so the new plan shows without waiting for a poll.
  if (result.ok) revalidatePath(`/intent/${encodeURIComponent(token)}`);
  if (result.ok) return { status: "saved", intentVersion: result.intentVersion, previousPlanVersion: result.previousPlanVersion, savedAt: Date.now() };
  if (result.problem === "invalid_input") {
    const fieldErrors: Partial<Record<"energyRequiredKwh" | "readyByLocalTime", string>> = {};
    let other = "";
    for (const issue of result.issues) {
      const field = issue.path[0];
      if ((field === "energyRequiredKwh" || field === "readyByLocalTime") && fieldErrors[field] === undefined) fieldErrors[field] = issue.message;
      else other = other || issue.message;
    }
    return { status: "invalid", fieldErrors, message: other || "Please correct the highlighted fields.", values };
  }
  if (result.problem === "unavailable") return { status: "unavailable", message: "We could not save your choice just now. Please try again in a moment.", values };
  // The link stopped working (expired, revoked, offboarded): the page explains which.
  redirect(`/intent/${encodeURIComponent(token)}`);
}
