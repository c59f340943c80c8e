"use client";

import { useActionState, useCallback, useEffect, useState } from "react";
import type { ReactNode } from "react";
import { formatDate, formatDateTime, formatPence } from "@/components/lib/format";
import { HouseholderSubmitButton, type HouseholderSubmitButtonProps } from "@/components/layout/householder-submit-button";
import { checkCode, saveBankAccount, sendCode, withdraw, type BankFormState, type CodeState, type WithdrawState } from "./actions";

export interface WithdrawalPanelView {
  expiresAt: string;
  redirectUri: string;
  startOnSetup: boolean;
  balancePence: number;
  totalEarnedPence: number;
  thresholdPence: number;
  bankAccount: { sortCode: string; accountNumberMasked: string } | null;
  twoFactor: { required: boolean; verified: boolean; emailOnFile: boolean; emailHint: string | null };
  withdraw: { allowed: boolean; reason: string | null };
  withdrawal: { amountPence: number; createdAt: string; accountNumberMasked: string | null } | null;
  transactions: { id: string; entryType: string; amountPence: number; paymentStatus: string; createdAt: string }[] | null;
}

const ENTRY_LABELS: Record<string, string> = { event_credit: "Grid event reward", sign_up_bonus: "Sign-up bonus", correction: "Adjustment", withdrawal: "Withdrawal" };
const STATUS_LABELS: Record<string, string> = { pending_approval: "Pending", approved: "Approved", processing: "Being paid", posted: "Paid", failed: "Payment failed" };

const inputClasses =
  "mt-1 block w-full rounded-lg border-0 px-3 py-2.5 text-base text-zinc-900 ring-1 ring-inset ring-zinc-300 focus:ring-2 focus:ring-indigo-600 aria-[invalid=true]:ring-red-500";
const cardClasses = "mt-6 rounded-xl bg-white p-5 shadow-sm ring-1 ring-zinc-200";

/** The page's submit buttons say they are working while the form is sent. */
function Submit(props: Omit<HouseholderSubmitButtonProps, "pendingLabel">) {
  return <HouseholderSubmitButton {...props} pendingLabel="Please wait…" />;
}

function BackLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <a href={href} className="font-semibold text-indigo-700 underline underline-offset-2">
      {children}
    </a>
  );
}

/** The emailed code step, shown before bank setup when the link asks for two-factor checks. */
function VerificationStep({ token, emailOnFile }: { token: string; emailOnFile: boolean }) {
  const [sent, sendAction] = useActionState<CodeState, FormData>(sendCode, { status: "idle" });
  const [checked, checkAction] = useActionState<CodeState, FormData>(checkCode, { status: "idle" });
  if (!emailOnFile) {
    return (
      <p role="alert" className="rounded-lg bg-amber-50 p-3 text-amber-900">
        Before you can add a bank account we need to email you a code, but we have no email address for your home. Ask your energy provider to add one, then open your rewards again.
      </p>
    );
  }
  return (
    <div className="space-y-4">
      <p className="text-base text-zinc-700">To keep your rewards safe, we email you a 6-digit code before a bank account can be added or changed.</p>
      <form action={sendAction}>
        <input type="hidden" name="token" value={token} />
        <Submit variant={sent.status === "sent" ? "secondary" : "primary"}>{sent.status === "sent" ? "Send a new code" : "Email me a code"}</Submit>
      </form>
      <div role="status" aria-live="polite">
        {sent.status === "sent" ? <p className="rounded-lg bg-emerald-50 p-3 text-emerald-900">We sent a code to {sent.emailHint}. It works for 10 minutes.</p> : null}
        {sent.status === "error" ? <p className="rounded-lg bg-red-50 p-3 text-red-800">{sent.message}</p> : null}
      </div>
      {sent.status === "sent" || checked.status === "error" ? (
        <form action={checkAction} noValidate className="space-y-3">
          <input type="hidden" name="token" value={token} />
          <div>
            <label htmlFor="code" className="block text-base font-medium">
              Code from the email
            </label>
            <input id="code" name="code" inputMode="numeric" autoComplete="one-time-code" pattern="\d{6}" maxLength={6} required aria-invalid={checked.status === "error" ? true : undefined} aria-describedby={checked.status === "error" ? "code-error" : undefined} className={inputClasses} />
            {checked.status === "error" ? (
              <p id="code-error" className="mt-1 text-sm font-medium text-red-700">
                {checked.message}
              </p>
            ) : null}
          </div>
          <Submit>Confirm code</Submit>
        </form>
      ) : null}
    </div>
  );
}

function Field({ id, label, hint, error, ...input }: { id: "accountHolderName" | "sortCode" | "accountNumber"; label: string; hint?: string; error: string | undefined; inputMode?: "numeric" | "text"; autoComplete?: string; maxLength?: number; defaultValue?: string }) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div>
      <label htmlFor={id} className="block text-base font-medium">
        {label}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="text-sm text-zinc-600">
          {hint}
        </p>
      ) : null}
      <input id={id} name={id} required aria-invalid={error ? true : undefined} aria-describedby={describedBy || undefined} className={inputClasses} {...input} />
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm font-medium text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function BankForm({ token, onCancel, replacing }: { token: string; onCancel: () => void; replacing: boolean }) {
  const [state, action] = useActionState<BankFormState, FormData>(saveBankAccount, { status: "idle" });
  const errors = state.status === "invalid" ? state.fieldErrors : {};
  const typed = state.status === "invalid" || state.status === "error" ? state.values : undefined;
  // The server has re-rendered the page with the new (masked) account: close the form.
  useEffect(() => {
    if (state.status === "saved") onCancel();
  }, [state, onCancel]);
  return (
    <form action={action} noValidate className="space-y-4" aria-describedby="bank-form-status">
      <input type="hidden" name="token" value={token} />
      <Field id="accountHolderName" label="Name on the account" autoComplete="name" maxLength={70} error={errors.accountHolderName} defaultValue={typed?.accountHolderName} />
      <Field id="sortCode" label="Sort code" hint="6 digits, like 12-34-56" inputMode="numeric" maxLength={8} error={errors.sortCode} defaultValue={typed?.sortCode} />
      <Field id="accountNumber" label="Account number" hint="8 digits" inputMode="numeric" maxLength={10} error={errors.accountNumber} defaultValue={typed?.accountNumber} />
      <div className="flex flex-col gap-3 sm:flex-row">
        <Submit>{replacing ? "Replace bank account" : "Save bank account"}</Submit>
        <button type="button" onClick={onCancel} className="inline-flex min-h-11 items-center justify-center rounded-lg px-4 py-2.5 text-base font-semibold text-zinc-700 hover:bg-zinc-100">
          Cancel
        </button>
      </div>
      <div id="bank-form-status" role="status" aria-live="polite">
        {state.status === "invalid" || state.status === "error" ? <p className="rounded-lg bg-red-50 p-3 text-red-800">{state.message}</p> : null}
      </div>
    </form>
  );
}

/**
 * The householder's rewards: balance, bank account, withdraw, history. Bank setup is a step of its
 * own (opened at once when the link asks for it and no account exists); after a save or a
 * withdrawal the server re-renders the page with the new state.
 */
export function WithdrawalPanel({ token, view }: { token: string; view: WithdrawalPanelView }) {
  const [setupOpen, setSetupOpen] = useState(view.startOnSetup);
  const [withdrawState, withdrawAction] = useActionState<WithdrawState, FormData>(withdraw, { status: "idle" });
  const closeSetup = useCallback(() => setSetupOpen(false), []);

  if (view.withdrawal) {
    return (
      <section aria-labelledby="done-title" className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-zinc-200">
        <h1 id="done-title" className="text-2xl font-semibold tracking-tight">
          Withdrawal requested
        </h1>
        <p className="mt-3 text-base leading-7 text-zinc-700" data-testid="withdrawal-confirmation">
          We will pay {formatPence(-view.withdrawal.amountPence)} into your account{view.withdrawal.accountNumberMasked ? ` ending ${view.withdrawal.accountNumberMasked.slice(-4)}` : ""}. Payments are checked and usually arrive within a few working days.
        </p>
        <p className="mt-4">
          <BackLink href={view.redirectUri}>Back to the app</BackLink>
        </p>
      </section>
    );
  }

  return (
    <>
      <h1 className="text-2xl font-semibold tracking-tight sm:text-3xl">Your rewards</h1>
      <p className="mt-3 text-base leading-7 text-zinc-700">
        What your home has earned by helping balance the grid. This page works until {formatDateTime(view.expiresAt)}.
      </p>

      <dl className="mt-6 grid grid-cols-3 gap-3 text-center">
        <div className="rounded-lg bg-emerald-50 p-3">
          <dt className="text-sm text-emerald-800">Balance</dt>
          <dd className="text-lg font-semibold text-emerald-900" data-testid="rewards-balance">
            {formatPence(view.balancePence)}
          </dd>
        </div>
        <div className="rounded-lg bg-white p-3 ring-1 ring-zinc-200">
          <dt className="text-sm text-zinc-600">Earned in total</dt>
          <dd className="text-lg font-semibold">{formatPence(view.totalEarnedPence)}</dd>
        </div>
        <div className="rounded-lg bg-white p-3 ring-1 ring-zinc-200">
          <dt className="text-sm text-zinc-600">Minimum to withdraw</dt>
          <dd className="text-lg font-semibold">{formatPence(view.thresholdPence)}</dd>
        </div>
      </dl>

      <section aria-labelledby="bank-title" className={cardClasses}>
        <h2 id="bank-title" className="text-lg font-semibold">
          Bank account
        </h2>
        {setupOpen ? (
          <div className="mt-3">
            {view.twoFactor.required && !view.twoFactor.verified ? <VerificationStep token={token} emailOnFile={view.twoFactor.emailOnFile} /> : <BankForm token={token} replacing={view.bankAccount !== null} onCancel={closeSetup} />}
          </div>
        ) : view.bankAccount ? (
          <div className="mt-2 flex flex-wrap items-center justify-between gap-3">
            <p className="text-base text-zinc-700" data-testid="bank-account-masked">
              Sort code {view.bankAccount.sortCode}, account {view.bankAccount.accountNumberMasked}
            </p>
            <button type="button" onClick={() => setSetupOpen(true)} className="font-semibold text-indigo-700 underline underline-offset-2">
              Change
            </button>
          </div>
        ) : (
          <div className="mt-2 space-y-3">
            <p className="text-base text-zinc-700">Add the bank account you want your rewards paid into.</p>
            <button type="button" onClick={() => setSetupOpen(true)} className="inline-flex min-h-11 w-full items-center justify-center rounded-lg bg-indigo-600 px-4 py-2.5 text-base font-semibold text-white hover:bg-indigo-700 sm:w-auto">
              Add bank account
            </button>
          </div>
        )}
      </section>

      <section aria-labelledby="withdraw-title" className={cardClasses}>
        <h2 id="withdraw-title" className="text-lg font-semibold">
          Withdraw
        </h2>
        <p className="mt-2 text-base text-zinc-700">{view.withdraw.allowed ? `Withdraw your whole balance of ${formatPence(view.balancePence)} to your bank account.` : view.withdraw.reason}</p>
        <form action={withdrawAction} className="mt-3">
          <input type="hidden" name="token" value={token} />
          <Submit disabled={!view.withdraw.allowed}>Withdraw {formatPence(view.balancePence)}</Submit>
        </form>
        <div role="status" aria-live="polite" className="mt-3">
          {withdrawState.status === "refused" ? <p className="rounded-lg bg-red-50 p-3 text-red-800">{withdrawState.message}</p> : null}
        </div>
      </section>

      {view.transactions ? (
        <section aria-labelledby="history-title" className={cardClasses}>
          <h2 id="history-title" className="text-lg font-semibold">
            History
          </h2>
          {view.transactions.length === 0 ? (
            <p className="mt-2 text-base text-zinc-600">Nothing yet: rewards appear here after each grid event your home takes part in.</p>
          ) : (
            <table className="mt-3 w-full text-left text-base">
              <caption className="sr-only">Your rewards and withdrawals, newest first</caption>
              <thead className="text-sm text-zinc-600">
                <tr>
                  <th scope="col" className="py-1 font-medium">
                    Date
                  </th>
                  <th scope="col" className="py-1 font-medium">
                    What
                  </th>
                  <th scope="col" className="py-1 text-right font-medium">
                    Amount
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {view.transactions.map((t) => (
                  <tr key={t.id}>
                    <td className="py-2 pr-2 whitespace-nowrap">{formatDate(t.createdAt)}</td>
                    <td className="py-2 pr-2">
                      {ENTRY_LABELS[t.entryType] ?? t.entryType}
                      <span className="block text-sm text-zinc-500">{STATUS_LABELS[t.paymentStatus] ?? t.paymentStatus}</span>
                    </td>
                    <td className="py-2 text-right tabular-nums">{formatPence(t.amountPence)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ) : null}

      <p className="mt-6">
        <BackLink href={view.redirectUri}>Back to the app</BackLink>
      </p>
    </>
  );
}
