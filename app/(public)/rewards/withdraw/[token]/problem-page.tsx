import { HouseholderProblem } from "@/components/layout/householder-problem";
import type { WithdrawalPageProblem } from "@/server/services/rewards/withdrawals";

const messages: Record<WithdrawalPageProblem, { title: string; body: string }> = {
  expired: {
    title: "This link has expired",
    body: "For your security, rewards links only work for an hour. Open your rewards again from the app that sent you here to get a new link.",
  },
  invalid: {
    title: "This link is not valid",
    body: "The link may have been copied incompletely or changed. Open your rewards again from the app that sent you here.",
  },
  revoked: {
    title: "This link is no longer active",
    body: "Your energy provider has cancelled this link. Open your rewards again from the app that sent you here.",
  },
  offboarded: {
    title: "Your home is no longer taking part",
    body: "Your home has left the scheme, so rewards are settled by your energy provider. Contact them about any remaining balance.",
  },
};

export function WithdrawalProblemPage({ problem }: { problem: WithdrawalPageProblem }) {
  return <HouseholderProblem {...messages[problem]} />;
}
