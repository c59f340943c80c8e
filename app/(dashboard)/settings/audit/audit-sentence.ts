// An audit entry as a sentence for people: what was done to what, with a link to the thing's page.
// The service records actions as keys ("grid_event.settled") with details as data; this is the one
// place that turns them into words, so the page shows no keys, ids or JSON.
import { formatDateTime, formatNumber, formatPence } from "@/components/lib/format";
import { humaniseStatus } from "@/components/ui/badge";
import { modeLabel, oemLabel } from "../../batteries/labels";
import { assetTypeLabel, propositionLabel } from "../../sites/labels";

export interface AuditTargetView {
  label: string;
  siteId: string | null;
}

export interface AuditEntryView {
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  target: AuditTargetView | null;
}

/** A piece of a sentence: plain words, or words that link to a page. */
export type Segment = string | { text: string; href: string };

const str = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);
const num = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);
const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);
const plural = (count: number, one: string, many = `${one}s`) => `${formatNumber(count, 0)} ${count === 1 ? one : many}`;

/** "mpan, postcode" → "MPAN and postcode": field names as words. */
function fieldWords(fields: string[]): string {
  const words = fields.map((f) => (f === "mpan" ? "MPAN" : f.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/_/g, " ").toLowerCase()));
  if (words.length <= 1) return words[0] ?? "details";
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

/** The entry's target as linked words ("site MPAN 1900000000011"), or plain words when it has no page. */
export function targetSegment(entry: AuditEntryView, noun: string): Segment {
  const { targetType, targetId, target } = entry;
  if (!targetId) return `a ${noun}`;
  if (!target) return `a ${noun} that no longer exists`;
  const text = `${noun} ${target.label}`;
  if (targetType === "site") return { text, href: `/sites/${targetId}` };
  if (targetType === "asset" && target.siteId) return { text, href: `/sites/${target.siteId}/assets/${targetId}` };
  if (targetType === "grid_event") return { text: `grid event “${target.label}”`, href: `/grid-events/${targetId}` };
  return text;
}

const link = (text: string, href: string): Segment => ({ text, href });
const settings = (text: string, path: string): Segment => link(text, `/settings/${path}`);

/**
 * The words after the actor's name: ["settled ", {text: "grid event “Tea time”", href}, ", crediting £4.34"].
 * Unknown actions still read as words (their key humanised), never as JSON.
 */
export function describeAuditEntry(entry: AuditEntryView): Segment[] {
  const d = entry.details;
  const site = () => targetSegment(entry, "site");
  const asset = () => targetSegment(entry, "asset");
  const event = () => targetSegment(entry, "grid event");
  const money = (key: string) => formatPence(num(d[key]));
  const [area, verb] = [entry.action.slice(0, entry.action.lastIndexOf(".")), entry.action.slice(entry.action.lastIndexOf(".") + 1)];

  switch (entry.action) {
    case "site.created":
      return ["created ", site()];
    case "site.updated":
      return ["changed the ", fieldWords(list(d.fields)), " of ", site()];
    case "site.deleted":
      return ["deleted a site", str(d.mpan) ? ` (MPAN ${str(d.mpan)})` : ""];
    case "site.initialised":
      return ["set up ", site(), " through the partner API"];
    case "site.offboarded":
      return ["offboarded ", site(), str(d.reason) ? `: “${str(d.reason)}”` : ""];
    case "sites.imported":
      return [`imported ${plural(num(d.rows) ?? 0, "row")} of sites`, str(d.fileName) ? ` from ${str(d.fileName)}` : "", " (", link("sites", "/sites"), ")"];
    case "asset.created":
      return [`added ${assetTypeLabel(str(d.type) ?? "asset").toLowerCase()} `, asset()];
    case "asset.updated":
      return ["changed the ", fieldWords(Object.keys((d.fields as Record<string, unknown> | undefined) ?? {})), " of ", asset()];
    case "asset.deleted":
      return [`removed ${assetTypeLabel(str(d.type) ?? "asset").toLowerCase()} ${str(d.externalId) ?? ""}`.trimEnd(), ...(str(d.siteId) ? [" from ", link("its site", `/sites/${str(d.siteId)}`)] : [])];
    case "battery.operation_mode.requested":
      return ["asked ", asset(), ` to switch to ${modeLabel(str(d.operationMode))}`];
    case "oem_credential.submitted":
      return [`saved a ${oemLabel(str(d.oem))} credential ending ${str(d.lastFour) ?? "…"} for `, site()];
    case "oem_credential.refreshed":
      return [`renewed the ${oemLabel(str(d.oem))} credential of `, site(), str(d.expiresAt) ? ` until ${formatDateTime(str(d.expiresAt) ?? "")}` : ""];
    case "oem_credential.refresh_failed":
      return [`could not renew the ${oemLabel(str(d.oem))} credential of `, site(), "; ask the household for a new one"];
    case "consent.recorded": {
      const changes = Array.isArray(d.changes) ? (d.changes as Record<string, unknown>[]) : [];
      const words = changes.map((c) => `${str(c.action) === "withdrawn" ? "withdrawal of" : "consent to"} ${consentKindWords(str(c.kind))}`);
      return ["recorded ", words.length ? words.join(", ") : "a consent change", " for ", site()];
    }
    case "consent_link.created":
      return ["created a consent link for ", site(), str(d.expiresAt) ? `, valid until ${formatDateTime(str(d.expiresAt) ?? "")}` : ""];
    case "intent_link.created":
      return ["created a charging-preferences link for ", asset()];
    case "intent_link.revoked":
      return ["revoked a charging-preferences link of ", site()];
    case "intent_link.used":
      return ["set a charging need", num(d.energyRequiredKwh) !== null ? ` of ${formatNumber(num(d.energyRequiredKwh))} kWh` : "", str(d.readyByLocalTime) ? ` by ${str(d.readyByLocalTime)}` : "", " for ", asset()];
    case "grid_event.created":
      return ["created ", event(), num(d.targetKw) !== null ? ` for ${formatNumber(num(d.targetKw), 1)} kW` : "", str(d.startAt) ? ` from ${formatDateTime(str(d.startAt) ?? "")}` : ""];
    case "grid_event.updated":
      return ["changed ", fieldWords(Object.keys((d.changes as Record<string, unknown> | undefined) ?? {})), " of ", event(), d.planDiscarded ? "; its plan must be committed again" : ""];
    case "grid_event.cancelled":
      return ["cancelled ", event(), str(d.reason) ? `: “${str(d.reason)}”` : ""];
    case "grid_event.plan_committed":
      return ["committed the plan of ", event()];
    case "grid_event.dispatching":
      return ["started dispatching ", event()];
    case "grid_event.completed":
      return ["completed ", event()];
    case "grid_event.cancel_restored":
      return ["restored the batteries of cancelled ", event()];
    case "grid_event.restore_failed":
      return ["could not restore ", asset(), " after a grid event", ...(str(d.eventId) ? [" (", link("open the event", `/grid-events/${str(d.eventId)}`), ")"] : [])];
    case "grid_event.settled":
      return [d.rerun ? "settled again " : "settled ", event(), `, crediting ${money("creditedPence")} to ${plural(num(d.credited) ?? 0, "site")}`];
    case "rewards.withdrawal_link.created":
      return ["created a rewards link for ", site()];
    case "rewards.withdrawal.requested":
      return [`received a withdrawal request for ${money("amountPence")} from `, site()];
    case "rewards.bank_account.added":
      return ["recorded bank details for ", site()];
    case "rewards.bank_account.replaced":
      return ["replaced the bank details of ", site()];
    case "rewards.settings.updated":
      return ["changed the ", link("reward settings", "/rewards")];
    case "rewards.payouts.approved":
      return [`approved ${plural(num(d.entries) ?? 0, "payout")} worth ${money("amountPence")} (`, link("rewards", "/rewards"), ")"];
    case "rewards.payouts.exported":
      return [`exported a payment run of ${plural(num(d.entries) ?? 0, "payout")} worth ${money("totalPence")} (`, link("rewards", "/rewards"), ")"];
    case "member.added":
      return ["added ", str(d.email) ?? "a member", ` as ${humaniseStatus(str(d.role) ?? "member").toLowerCase()} (`, settings("members", "members"), ")"];
    case "member.role_changed":
      return ["made ", str(d.email) ?? "a member", ` ${humaniseStatus(str(d.to) ?? "member").toLowerCase()} instead of ${humaniseStatus(str(d.from) ?? "member").toLowerCase()} (`, settings("members", "members"), ")"];
    case "member.removed":
      return ["removed ", str(d.email) ?? "a member", " from the organisation (", settings("members", "members"), ")"];
    case "api_client.created":
      return ["created the API client ", settings(`“${str(d.name) ?? "unnamed"}”`, "api-clients")];
    case "api_client.revoked":
      return ["revoked the API client ", settings(`“${str(d.name) ?? "unnamed"}”`, "api-clients")];
    case "webhook_endpoint.created":
    case "webhook.created":
      return ["added a ", settings("webhook endpoint", "webhooks"), str(d.host) ? ` at ${str(d.host)}` : ""];
    case "webhook_endpoint.enabled":
    case "webhook_endpoint.disabled":
      return [`${verb} a `, settings("webhook endpoint", "webhooks")];
    case "webhook.updated":
      return ["changed a ", settings("webhook endpoint", "webhooks")];
    case "webhook.deleted":
      return ["deleted a ", settings("webhook endpoint", "webhooks")];
    case "schedule_endpoint.created":
    case "schedule_endpoint.updated":
      return [`${verb === "created" ? "set" : "changed"} the `, settings("schedule endpoint", "schedule-endpoint")];
    case "schedule_endpoint.test_sent":
      return ["sent a test schedule to the ", settings("schedule endpoint", "schedule-endpoint"), num(d.httpStatus) !== null ? ` (answered ${num(d.httpStatus)})` : " (no answer)"];
    case "proposition.settings_changed":
      return [`changed the settings of ${propositionLabel(entry.targetId ?? "")} (`, settings("asset models", "asset-models"), ")"];
    case "market_prices.curve_stored":
      return ["stored ", settings("market prices", "market-prices")];
    case "meter_registry.loaded":
      return ["loaded the ", settings("meter registry", "meter-registry")];
    case "asset_model.imported":
      return ["imported ", settings("asset models", "asset-models")];
    case "battery_schedules.planned":
      return [`planned optimised battery schedules${str(d.localDate) ? ` for ${str(d.localDate)}` : ""}: ${plural(num(d.planned) ?? 0, "battery", "batteries")} planned`];
    case "organisation.partner_url_policy_changed":
      return [d.allowPrivatePartnerUrls ? "allowed" : "stopped allowing", " partner URLs on private networks"];
    default:
      // A key without words yet reads as words: "customer.created" → "customer: created".
      return [`${humaniseStatus(verb || entry.action).toLowerCase()} ${area.replace(/[._]/g, " ")}`.trim()];
  }
}

function consentKindWords(kind: string | null): string {
  if (kind === "boundary_meter") return "boundary-meter data";
  return kind ? propositionLabel(kind) : "a proposition";
}
