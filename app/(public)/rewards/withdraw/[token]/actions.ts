"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { clientAddress } from "@/server/auth/client-address";
import { retryAfterWords } from "@/server/services/auth-throttle/auth-throttle";
import { confirmBankVerificationCode, requestBankVerificationCode, saveWithdrawalBankAccount, withdrawRewardBalance, withdrawalPagePath } from "@/server/services/rewards/withdrawals";

// Thin: each action passes the token from the form to a service, which verifies it again, and
// turns the answer into words for the page. The link problems (expired, revoked, ...) re-render the
// page, which then shows the problem card.

export type BankField = "accountHolderName" | "sortCode" | "accountNumber";

export type CodeState = { status: "idle" } | { status: "sent"; emailHint: string } | { status: "verified" } | { status: "error"; message: string };
/** What the householder typed, sent back with a refusal: React resets a form after its action, and nothing typed may be lost. */
export type BankFormValues = Record<BankField, string>;
export type BankFormState =
  | { status: "idle" }
  | { status: "invalid"; fieldErrors: Partial<Record<BankField, string>>; message: string; values: BankFormValues }
  | { status: "error"; message: string; values: BankFormValues }
  | { status: "saved" };
export type WithdrawState = { status: "idle" } | { status: "refused"; message: string } | { status: "done" };

const LINK_PROBLEM = "This link no longer works. Ask for a new one from the app that sent you here.";

function tokenFrom(formData: FormData): string {
  const value = formData.get("token");
  return typeof value === "string" ? value : "";
}

function refresh(token: string): void {
  revalidatePath(withdrawalPagePath(encodeURIComponent(token)));
}

export async function sendCode(_previous: CodeState, formData: FormData): Promise<CodeState> {
  const token = tokenFrom(formData);
  const result = await requestBankVerificationCode(token);
  if (result.ok) {
    if (result.alreadyVerified) {
      refresh(token);
      return { status: "verified" };
    }
    return { status: "sent", emailHint: result.emailHint };
  }
  switch (result.problem) {
    case "no_email":
      return { status: "error", message: "We have no email address for your home, so we cannot send a code. Ask your energy provider to add one." };
    case "too_soon":
      return { status: "error", message: "We have just sent you a code. Wait a minute before asking for another." };
    case "too_many_codes":
      return { status: "error", message: "Too many codes were sent for this link. Ask for a new link to try again." };
    case "unavailable":
      return { status: "error", message: "We could not send the email just now. Please try again in a moment." };
    case "not_required":
      refresh(token);
      return { status: "verified" };
    default:
      refresh(token);
      return { status: "error", message: LINK_PROBLEM };
  }
}

export async function checkCode(_previous: CodeState, formData: FormData): Promise<CodeState> {
  const token = tokenFrom(formData);
  const result = await confirmBankVerificationCode(token, formData.get("code"), new Date(), { clientAddress: clientAddress(await headers()) });
  if (result.ok) {
    refresh(token);
    return { status: "verified" };
  }
  switch (result.problem) {
    case "wrong_code":
      return { status: "error", message: `That code is not right. You have ${result.attemptsLeft} ${result.attemptsLeft === 1 ? "try" : "tries"} left.` };
    case "too_many_attempts":
      return { status: "error", message: "Too many wrong codes. Ask for a new code." };
    case "rate_limited":
      return { status: "error", message: `Too many attempts. Wait ${retryAfterWords(result.retryAfterSeconds)} and try again.` };
    case "no_code":
      return { status: "error", message: "Your code has expired or was never sent. Ask for a new code." };
    case "not_required":
      refresh(token);
      return { status: "verified" };
    default:
      refresh(token);
      return { status: "error", message: LINK_PROBLEM };
  }
}

export async function saveBankAccount(_previous: BankFormState, formData: FormData): Promise<BankFormState> {
  const token = tokenFrom(formData);
  const text = (name: BankField) => {
    const value = formData.get(name);
    return typeof value === "string" ? value : "";
  };
  const values: BankFormValues = { accountHolderName: text("accountHolderName"), sortCode: text("sortCode"), accountNumber: text("accountNumber") };
  const result = await saveWithdrawalBankAccount(token, values);
  if (result.ok) {
    refresh(token);
    return { status: "saved" };
  }
  if (result.problem === "invalid_input") {
    const fieldErrors: Partial<Record<BankField, string>> = {};
    for (const issue of result.issues) {
      const field = issue.path[0];
      if ((field === "accountHolderName" || field === "sortCode" || field === "accountNumber") && fieldErrors[field] === undefined) fieldErrors[field] = issue.message;
    }
    return { status: "invalid", fieldErrors, message: "Please correct the highlighted fields.", values };
  }
  if (result.problem === "verification_required") return { status: "error", message: "Confirm the code we emailed you first.", values };
  refresh(token);
  return { status: "error", message: LINK_PROBLEM, values };
}

export async function withdraw(_previous: WithdrawState, formData: FormData): Promise<WithdrawState> {
  const token = tokenFrom(formData);
  const result = await withdrawRewardBalance(token);
  refresh(token);
  if (result.ok) return { status: "done" };
  if (result.problem === "not_allowed") return { status: "refused", message: result.message };
  return { status: "refused", message: LINK_PROBLEM };
}
