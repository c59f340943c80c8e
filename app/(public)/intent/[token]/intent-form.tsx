"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef, useState } from "react";
import { saveIntent, type IntentFormState } from "./actions";

const POLL_INTERVAL_MS = 1500;
const POLL_ATTEMPTS = 8;

const inputClasses =
  "block w-full rounded-lg border-0 px-3 py-2.5 text-base text-zinc-900 ring-1 ring-inset ring-zinc-300 focus:ring-2 focus:ring-indigo-600 aria-[invalid=true]:ring-red-500";

/**
 * The householder's kWh and ready-by form. After a save the page re-renders from the server a few
 * times until the re-planned version shows up (planning may finish just after the save returns).
 */
export function IntentForm({ token, defaults, currentPlanVersion, pluggedIn }: { token: string; defaults: { energyRequiredKwh: string; readyByLocalTime: string }; currentPlanVersion: number | null; pluggedIn: boolean }) {
  const router = useRouter();
  const [state, formAction, pending] = useActionState<IntentFormState, FormData>(saveIntent, { status: "idle" });
  const [polling, setPolling] = useState(false);
  const attempts = useRef(0);
  const planUpdated = state.status === "saved" && currentPlanVersion !== null && (state.previousPlanVersion === null || currentPlanVersion > state.previousPlanVersion);

  useEffect(() => {
    if (state.status !== "saved" || !pluggedIn || planUpdated) {
      setPolling(false);
      return;
    }
    attempts.current = 0;
    setPolling(true);
    const timer = window.setInterval(() => {
      attempts.current += 1;
      router.refresh();
      if (attempts.current >= POLL_ATTEMPTS) {
        window.clearInterval(timer);
        setPolling(false);
      }
    }, POLL_INTERVAL_MS);
    return () => window.clearInterval(timer);
  }, [state, pluggedIn, planUpdated, router]);

  const errors = state.status === "invalid" ? state.fieldErrors : {};
  // After a refusal the fields show what was typed, not the stored intent.
  const shown = state.status === "invalid" || state.status === "unavailable" ? state.values : defaults;
  return (
    <form action={formAction} noValidate className="space-y-4" aria-describedby="intent-form-status">
      <input type="hidden" name="token" value={token} />
      <div>
        <label htmlFor="energyRequiredKwh" className="block text-base font-medium">
          Energy to add (kWh)
        </label>
        <p id="energy-hint" className="text-sm text-zinc-600">
          About 4 miles per kWh for most cars.
        </p>
        <input
          id="energyRequiredKwh"
          name="energyRequiredKwh"
          type="number"
          inputMode="decimal"
          step="0.1"
          min="0.1"
          max="200"
          required
          defaultValue={shown.energyRequiredKwh}
          aria-invalid={errors.energyRequiredKwh ? true : undefined}
          aria-describedby={errors.energyRequiredKwh ? "energy-hint energy-error" : "energy-hint"}
          className={`mt-1 ${inputClasses}`}
        />
        {errors.energyRequiredKwh ? (
          <p id="energy-error" className="mt-1 text-sm font-medium text-red-700">
            {errors.energyRequiredKwh}
          </p>
        ) : null}
      </div>
      <div>
        <label htmlFor="readyByLocalTime" className="block text-base font-medium">
          Ready by
        </label>
        <input
          id="readyByLocalTime"
          name="readyByLocalTime"
          type="time"
          required
          defaultValue={shown.readyByLocalTime}
          aria-invalid={errors.readyByLocalTime ? true : undefined}
          aria-describedby={errors.readyByLocalTime ? "ready-error" : undefined}
          className={`mt-1 ${inputClasses}`}
        />
        {errors.readyByLocalTime ? (
          <p id="ready-error" className="mt-1 text-sm font-medium text-red-700">
            {errors.readyByLocalTime}
          </p>
        ) : null}
      </div>
      <button
        type="submit"
        disabled={pending}
        aria-disabled={pending}
        className="inline-flex min-h-11 w-full items-center justify-center rounded-lg bg-indigo-600 px-4 py-2.5 text-base font-semibold text-white hover:bg-indigo-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60 sm:w-auto"
      >
        {pending ? "Saving…" : "Save"}
      </button>
      <div id="intent-form-status" role="status" aria-live="polite" className="text-base">
        {state.status === "invalid" ? <p className="rounded-lg bg-red-50 p-3 text-red-800">{state.message}</p> : null}
        {state.status === "unavailable" ? <p className="rounded-lg bg-amber-50 p-3 text-amber-900">{state.message}</p> : null}
        {state.status === "saved" ? (
          <p className="rounded-lg bg-emerald-50 p-3 text-emerald-900">
            {!pluggedIn ? "Saved. We will plan your charging when the car is plugged in." : planUpdated ? "Saved. Your charging plan below has been updated." : polling ? "Saved. Updating your charging plan…" : "Saved. Your new plan will appear here shortly; reload the page to see it."}
          </p>
        ) : null}
      </div>
    </form>
  );
}
