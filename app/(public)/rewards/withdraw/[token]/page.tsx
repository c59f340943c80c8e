import type { Metadata } from "next";
import { openWithdrawalPage } from "@/server/services/rewards/withdrawals";
import { WithdrawalProblemPage } from "./problem-page";
import { WithdrawalPanel } from "./withdrawal-panel";

export const metadata: Metadata = { title: "Your rewards", robots: { index: false } };
export const dynamic = "force-dynamic";

function decodeTokenSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

// The hosted rewards page: the token is checked on every load and again by every action.
export default async function RewardsWithdrawalPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const decodedToken = decodeTokenSegment(token);
  if (decodedToken === null) return <WithdrawalProblemPage problem="invalid" />;
  const opened = await openWithdrawalPage(decodedToken);
  if (!opened.ok) return <WithdrawalProblemPage problem={opened.problem} />;
  const { view } = opened;
  return (
    <WithdrawalPanel
      token={decodedToken}
      view={{
        expiresAt: view.expiresAt.toISOString(),
        redirectUri: view.redirectUri,
        startOnSetup: view.startOnSetup,
        balancePence: view.balancePence,
        totalEarnedPence: view.totalEarnedPence,
        thresholdPence: view.thresholdPence,
        bankAccount: view.bankAccount ? { sortCode: view.bankAccount.sortCode, accountNumberMasked: view.bankAccount.accountNumberMasked } : null,
        twoFactor: view.twoFactor,
        withdraw: view.withdraw,
        withdrawal: view.withdrawal ? { amountPence: view.withdrawal.amountPence, createdAt: view.withdrawal.createdAt.toISOString(), accountNumberMasked: view.withdrawal.bankAccount?.accountNumberMasked ?? null } : null,
        transactions: view.transactions ? view.transactions.map((t) => ({ id: t.id, entryType: t.entryType, amountPence: t.amountPence, paymentStatus: t.paymentStatus, createdAt: t.createdAt.toISOString() })) : null,
      }}
    />
  );
}
