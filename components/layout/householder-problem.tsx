// What a householder sees when their signed link cannot be used (expired, revoked, …):
// plain words and what to do next, on the consent and charging-intent pages alike.
export function HouseholderProblem({
  title,
  body,
  retryHref,
  retryLabel = "Back to your choices",
}: {
  title: string;
  body: string;
  retryHref?: string;
  retryLabel?: string;
}) {
  return (
    <section
      aria-labelledby="problem-title"
      className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-zinc-200"
    >
      <h1 id="problem-title" className="text-2xl font-semibold tracking-tight">
        {title}
      </h1>
      <p className="mt-3 text-base leading-7 text-zinc-700">{body}</p>
      {retryHref ? (
        <p className="mt-4">
          <a className="font-semibold text-indigo-700 underline underline-offset-2" href={retryHref}>
            {retryLabel}
          </a>
        </p>
      ) : null}
    </section>
  );
}
