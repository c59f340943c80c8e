// The OEM's redirect back after the householder signed in there: a page for a person, not JSON.
// It reads the query (state, code or error), lets the service finish the connection, and says
// in plain words what happened and what to do next. Nothing from the query is echoed back.
import { completeOemAuthorization, type OemAuthorizationProblem } from "@/server/services/credentials/oem-authorization";
import { log } from "@/server/log";

interface PageText {
  title: string;
  body: string;
}

function problemText(problem: OemAuthorizationProblem, oemName: string): PageText {
  switch (problem) {
    case "denied":
      return { title: "Your account was not connected", body: `You chose not to give access at ${oemName}. Nothing was changed. If that was a mistake, start again from the app you came from.` };
    case "expired":
      return { title: "This sign-in took too long", body: "For your security, connecting must be finished within a few minutes. Start again from the app you came from." };
    case "already_used":
      return { title: "This sign-in was already used", body: "Each sign-in link works once. If your account does not show as connected, start again from the app you came from." };
    case "invalid_state":
      return { title: "We could not match this sign-in", body: "The link back from the manufacturer was incomplete or changed. Start again from the app you came from." };
    case "unknown_provider":
      return { title: "This manufacturer cannot be connected here", body: "Connecting by signing in is not available for this manufacturer. Ask your energy provider how to connect your battery." };
    case "rejected":
      return { title: "Your account was not connected", body: `${oemName} did not accept the sign-in. Start again from the app you came from; if it happens again, contact your energy provider.` };
    case "unavailable":
      return { title: "We could not reach the manufacturer", body: `${oemName} did not answer in time, so your account is not connected yet. Try again in a few minutes from the app you came from.` };
    case "site_gone":
      return { title: "Your home is no longer taking part", body: "Your home has left the scheme, so there is nothing to connect. Contact your energy provider if you want to rejoin." };
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(status: number, text: PageText): Response {
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="robots" content="noindex"><title>${escapeHtml(text.title)}</title></head>` +
    `<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.6">` +
    `<h1>${escapeHtml(text.title)}</h1><p>${escapeHtml(text.body)}</p></body></html>`;
  return new Response(html, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "referrer-policy": "no-referrer" } });
}

export async function handleOemOauthCallback(request: Request, provider: string): Promise<Response> {
  const query = new URL(request.url).searchParams;
  try {
    const outcome = await completeOemAuthorization({ provider, state: query.get("state"), code: query.get("code"), error: query.get("error") });
    if (outcome.ok) return page(200, { title: "Your account is connected", body: `Your ${outcome.oemName} account is now connected. You can close this page and go back to the app you came from.` });
    const status = outcome.problem === "unavailable" ? 503 : outcome.problem === "unknown_provider" ? 404 : 400;
    return page(status, problemText(outcome.problem, outcome.oemName ?? "The manufacturer"));
  } catch (error) {
    log.error({ err: error, provider }, "OEM sign-in callback failed");
    return page(500, { title: "Something went wrong on our side", body: "Your account may not be connected. Try again in a few minutes from the app you came from." });
  }
}
