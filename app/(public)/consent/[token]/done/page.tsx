import type { Metadata } from "next";
import { openConsentPage } from "@/server/services/consent/consent-links";
import { ProblemPage } from "../problem-page";

export const metadata: Metadata = { title: "Choice recorded", robots: { index: false } };
export const dynamic = "force-dynamic";

/** What happens next, by what the agreement did to the enrolment (see submitHouseholderChoice). */
const AFTER_AGREEING: Record<string, string> = {
  enrolled: "Your home is now taking part.",
  already_enrolled: "Your home was already taking part and carries on.",
  held_for_review: "Your energy provider will check the details and then include your home.",
  not_eligible: "Your home will take part as soon as your equipment is set up; you do not need to do anything more.",
};

export default async function ConsentDonePage({ params, searchParams }: { params: Promise<{ token: string }>; searchParams: Promise<{ proposition?: string; choice?: string; enrolment?: string }> }) {
  const { token } = await params;
  const { proposition, choice, enrolment } = await searchParams;
  const decodedToken = decodeURIComponent(token);
  const opened = await openConsentPage(decodedToken);
  if (!opened.ok) return <ProblemPage problem={opened.problem} />;
  const item = opened.view.propositions.find((candidate) => candidate.proposition === proposition);
  const name = item?.name ?? "your choice";
  const agreed = choice === "agree";
  return (
    <section aria-labelledby="done-title" className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-zinc-200">
      <h1 id="done-title" className="text-2xl font-semibold tracking-tight" tabIndex={-1}>
        {agreed ? "Thank you: you have agreed" : "You have withdrawn"}
      </h1>
      <p role="status" className="mt-3 text-base leading-7 text-zinc-700">
        {agreed
          ? `We have recorded that you agreed to ${name}. ${AFTER_AGREEING[enrolment ?? ""] ?? "Your energy provider can now include your home."}`
          : `We have recorded that you withdrew from ${name}. Nothing more will be done with your equipment under it.`}
      </p>
      <p className="mt-4">
        <a className="font-semibold text-indigo-700 underline underline-offset-2" href={`/consent/${encodeURIComponent(decodedToken)}`}>
          Back to your choices
        </a>
      </p>
    </section>
  );
}
