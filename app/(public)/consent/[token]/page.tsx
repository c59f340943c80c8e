import type { Metadata } from "next";
import { openConsentPage, type LinkProblem } from "@/server/services/consent/consent-links";
import { submitConsentChoice } from "./actions";
import { ProblemPage } from "./problem-page";
import { HouseholderSubmitButton } from "@/components/layout/householder-submit-button";

export const metadata: Metadata = { title: "Your consent choices", robots: { index: false } };
export const dynamic = "force-dynamic";

const RETRYABLE = new Set(["unknown_proposition", "stale_text"]);
const PROBLEMS = new Set<string>(["expired", "invalid", "revoked", "offboarded", "unknown_proposition", "stale_text"]);

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "Europe/London" });

export default async function ConsentPage({ params, searchParams }: { params: Promise<{ token: string }>; searchParams: Promise<{ problem?: string }> }) {
  const { token } = await params;
  const { problem } = await searchParams;
  const decodedToken = decodeURIComponent(token);
  const opened = await openConsentPage(decodedToken);
  if (!opened.ok) return <ProblemPage problem={opened.problem} />;
  const { view } = opened;
  const shownProblem = problem !== undefined && PROBLEMS.has(problem) ? (problem as LinkProblem | "unknown_proposition" | "stale_text") : undefined;

  return (
    <>
      <h1 className="text-2xl font-semibold tracking-tight sm:text-3xl">Your home energy choices</h1>
      <p className="mt-3 text-base leading-7 text-zinc-700">
        For your home at postcode <strong>{view.postcode}</strong>. Read what each option lets your energy provider do with your battery or charger, then agree or withdraw. You can change your mind at
        any time using this link until {dateFormat.format(view.expiresAt)}.
      </p>
      {shownProblem && RETRYABLE.has(shownProblem) ? (
        <div role="alert" className="mt-4 rounded-lg border border-amber-200 bg-amber-50 p-4 text-amber-900">
          {shownProblem === "stale_text" ? "The wording has changed since you opened the page. Please read it again and choose." : "That option is not available for your home."}
        </div>
      ) : null}
      {view.propositions.length === 0 ? (
        <p className="mt-6 rounded-lg bg-zinc-50 p-4 text-zinc-700">There is nothing to agree to yet: no battery or charger is registered for your home.</p>
      ) : (
        <ul className="mt-6 space-y-4">
          {view.propositions.map((item) => {
            const headingId = `proposition-${item.proposition}`;
            return (
              <li key={item.proposition}>
                <section aria-labelledby={headingId} className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-zinc-200">
                  <div className="flex flex-wrap items-start justify-between gap-2">
                    <h2 id={headingId} className="text-lg font-semibold">
                      {item.name}
                    </h2>
                    <span className={`rounded-full px-2.5 py-0.5 text-sm font-medium ${item.agreed ? "bg-emerald-50 text-emerald-800" : "bg-zinc-100 text-zinc-700"}`}>
                      {item.agreed ? "You have agreed" : "Not agreed"}
                    </span>
                  </div>
                  <p className="mt-2 text-base leading-7 text-zinc-700">{item.text.body}</p>
                  {item.alsoNeeds.map((text) => (
                    <p key={text.version} className="mt-2 text-sm leading-6 text-zinc-600">
                      <strong>This also means:</strong> {text.body}
                    </p>
                  ))}
                  <form action={submitConsentChoice} className="mt-4 flex flex-col gap-2 sm:flex-row">
                    <input type="hidden" name="token" value={decodedToken} />
                    <input type="hidden" name="proposition" value={item.proposition} />
                    <input type="hidden" name="textVersion" value={item.text.version} />
                    {item.agreed ? (
                      <HouseholderSubmitButton name="choice" value="withdraw" variant="secondary">
                        Withdraw<span className="sr-only"> from {item.name}</span>
                      </HouseholderSubmitButton>
                    ) : (
                      <HouseholderSubmitButton name="choice" value="agree" variant="primary">
                        I agree<span className="sr-only"> to {item.name}</span>
                      </HouseholderSubmitButton>
                    )}
                  </form>
                  <p className="mt-2 text-xs text-zinc-500">Wording version {item.text.version}</p>
                </section>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
