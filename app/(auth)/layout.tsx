import type { ReactNode } from "react";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <p className="mb-8 text-center text-lg font-semibold tracking-tight text-indigo-700">Flexfleet</p>
        <div className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-zinc-200 sm:p-8">{children}</div>
      </div>
    </main>
  );
}
