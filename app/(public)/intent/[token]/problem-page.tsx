import { HouseholderProblem } from "@/components/layout/householder-problem";
import type { IntentLinkProblem } from "@/server/services/consent/intent-links";

const messages: Record<IntentLinkProblem, { title: string; body: string }> = {
  expired: {
    title: "This link has expired",
    body: "For your security, charging links only work for a limited time. Ask your energy provider to send you a new one.",
  },
  invalid: {
    title: "This link is not valid",
    body: "The link may have been copied incompletely or changed. Open it again from the message you received, or ask your energy provider for a new one.",
  },
  revoked: {
    title: "This link is no longer active",
    body: "Your energy provider has replaced or cancelled this link. Ask them for a new one if you still want to change your charging.",
  },
  offboarded: {
    title: "Your home is no longer taking part",
    body: "Your home has left the smart charging scheme, so there is nothing to set here.",
  },
  no_site: {
    title: "Your home is not set up yet",
    body: "There is nothing to set until your home has been added. Finish setting up in the app you came from, then open this page again.",
  },
  no_charger: {
    title: "No charger is registered for your home",
    body: "There is nothing to set until your charger has been added. Finish setting up in the app you came from, then open this page again.",
  },
};

export function IntentProblemPage({ problem }: { problem: IntentLinkProblem }) {
  return <HouseholderProblem {...messages[problem]} />;
}
