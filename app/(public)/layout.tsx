import type { ReactNode } from "react";

// The householder's pages: no account, no dashboard chrome, readable on a phone.
export default function HouseholderLayout({ children }: { children: ReactNode }) {
  return (
    <main id="main" className="mx-auto min-h-screen w-full max-w-xl px-4 py-8 text-zinc-900 sm:py-12">
      <p className="mb-6 text-base font-semibold tracking-tight text-indigo-700">Flexfleet</p>
      {children}
    </main>
  );
}
