import { HouseholderProblem } from "@/components/layout/householder-problem";
import type { LinkProblem } from "@/server/services/consent/consent-links";

const messages: Record<LinkProblem | "unknown_proposition" | "stale_text", { title: string; body: string }> =
  {
    expired: {
      title: "This link has expired",
      body: "For your security, consent links only work for a few days. Ask your energy provider to send you a new one.",
    },
    invalid: {
      title: "This link is not valid",
      body: "The link may have been copied incompletely or changed. Open it again from the message you received, or ask your energy provider for a new one.",
    },
    revoked: {
      title: "This link is no longer active",
      body: "Your energy provider has replaced or cancelled this link. Ask them for a new one if you still want to make a change.",
    },
    offboarded: {
      title: "Your home is no longer taking part",
      body: "Your home has left the scheme, so there is nothing to agree to or withdraw from. Your earlier choices are kept on record.",
    },
    no_site: {
      title: "Your home is not set up yet",
      body: "There is nothing to agree to until your home has been added. Finish setting up in the app you came from, then open this page again.",
    },
    unknown_proposition: {
      title: "That option is not available",
      body: "This option is not offered for your home. Go back to the link to see what is.",
    },
    stale_text: {
      title: "The wording has changed",
      body: "The description you agreed to has been updated since you opened the page. Please read the new wording and choose again.",
    },
  };

export function ProblemPage({ problem, retryHref }: { problem: keyof typeof messages; retryHref?: string }) {
  return <HouseholderProblem {...messages[problem]} retryHref={retryHref} />;
}
