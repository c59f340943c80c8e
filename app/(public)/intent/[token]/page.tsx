import type { Metadata } from "next";
import { TimeSeriesChart } from "@/components/charts/time-series-chart";
import { formatDateTime, formatPence } from "@/components/lib/format";
import { openIntentPage } from "@/server/services/consent/intent-links";
import { IntentForm } from "./intent-form";
import { IntentProblemPage } from "./problem-page";

export const metadata: Metadata = { title: "Your charging", robots: { index: false } };
export const dynamic = "force-dynamic";

const kwh = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 1 });

function decodeTokenSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

export default async function IntentPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const decodedToken = decodeTokenSegment(token);
  // A mangled percent-escape in a pasted link is an invalid link, not a server error.
  if (decodedToken === null) return <IntentProblemPage problem="invalid" />;
  const opened = await openIntentPage(decodedToken);
  if (!opened.ok) return <IntentProblemPage problem={opened.problem} />;
  const { view } = opened;
  const plan = view.plan;
  const points = plan
    ? [...plan.slots.map((slot) => ({ time: slot.start, values: { kw: slot.kw } })), ...(plan.slots.at(-1) ? [{ time: plan.windowEnd, values: { kw: 0 } }] : [])]
    : [];

  return (
    <>
      <h1 className="text-2xl font-semibold tracking-tight sm:text-3xl">Your car charging</h1>
      <p className="mt-3 text-base leading-7 text-zinc-700">
        For your charger <strong className="font-mono">{view.chargerName}</strong>. Tell us how much energy your car needs and when it should be ready; we charge it at the cheapest times before then. This link works until {formatDateTime(view.expiresAt)}.
      </p>

      <section aria-labelledby="now-title" className="mt-6 rounded-xl bg-white p-5 shadow-sm ring-1 ring-zinc-200">
        <h2 id="now-title" className="text-lg font-semibold">
          Right now
        </h2>
        <p className="mt-2 text-base text-zinc-700">
          {view.session ? `Plugged in since ${formatDateTime(view.session.pluggedInAt)}.` : "Your car is not plugged in."}{" "}
          {view.intent ? `You asked for ${kwh.format(view.intent.energyRequiredKwh)} kWh by ${view.intent.readyByLocalTime}.` : "You have not set how much energy you need yet."}
        </p>
        {plan ? (
          <>
            <dl className="mt-4 grid grid-cols-3 gap-3 text-center">
              <div className="rounded-lg bg-zinc-50 p-3">
                <dt className="text-sm text-zinc-600">Planned</dt>
                <dd className="text-lg font-semibold" data-testid="intent-planned-kwh">
                  {kwh.format(plan.energyKwh)} kWh
                </dd>
              </div>
              <div className="rounded-lg bg-zinc-50 p-3">
                <dt className="text-sm text-zinc-600">Expected cost</dt>
                <dd className="text-lg font-semibold">{formatPence(plan.costPence)}</dd>
              </div>
              <div className="rounded-lg bg-emerald-50 p-3">
                <dt className="text-sm text-emerald-800">You save</dt>
                <dd className="text-lg font-semibold text-emerald-900">{formatPence(plan.savingPence)}</dd>
              </div>
            </dl>
            {!plan.met ? (
              <p role="alert" className="mt-3 rounded-lg bg-amber-50 p-3 text-amber-900">
                There is not enough time to add all of it: we are charging as fast as we can and expect to be {kwh.format(plan.shortfallKwh)} kWh short.
              </p>
            ) : null}
            <div className="mt-4">
              <TimeSeriesChart
                title="Planned charging power per half hour"
                showTitle
                summary={`Plan ${plan.version}: ${kwh.format(plan.energyKwh)} kWh by ${formatDateTime(plan.windowEnd)}.`}
                series={[{ key: "kw", label: "Charging power", unit: "kW", kind: "step", color: "var(--chart-1)", fractionDigits: 1 }]}
                points={points}
                height={220}
                emptyTitle="No charging planned"
              />
            </div>
            <p className="mt-2 text-sm text-zinc-500">
              Plan {plan.version}, made {formatDateTime(plan.createdAt)}. Charging at once would cost {formatPence(plan.baselineCostPence)}.
            </p>
          </>
        ) : view.session ? (
          <p className="mt-3 text-base text-zinc-600">Your charging plan is being worked out.</p>
        ) : null}
      </section>

      <section aria-labelledby="form-title" className="mt-6 rounded-xl bg-white p-5 shadow-sm ring-1 ring-zinc-200">
        <h2 id="form-title" className="mb-4 text-lg font-semibold">
          Change what you need
        </h2>
        <IntentForm
          token={decodedToken}
          defaults={{ energyRequiredKwh: view.intent ? String(view.intent.energyRequiredKwh) : "", readyByLocalTime: view.intent?.readyByLocalTime ?? "07:00" }}
          currentPlanVersion={plan?.version ?? null}
          pluggedIn={view.session !== null}
        />
      </section>
    </>
  );
}
