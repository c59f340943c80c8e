// The one permission table. Each permission names what it lets an actor do, the lowest
// operator role that holds it, the API scope (if any) that grants it to a partner token,
// and whether householders acting through a signed link hold it. Services check it first
// (`authorize` in server/services/authorize.ts); tRPC procedures and REST routes declare a
// permission and derive their early refusal from the same table. docs/decisions/0001-permissions.md
// explains the choices.
import { effectiveScopes, type ApiScope } from "./api-scopes";

export type OperatorRole = "admin" | "operator" | "viewer";

interface PermissionRule {
  /** What it allows, for people (docs, error messages). */
  description: string;
  /** The lowest operator role that holds it (higher roles hold it too); null: no operator does this. */
  role: OperatorRole | null;
  /** The scope that grants it to an API client's token; null: closed to tokens. */
  scope: ApiScope | null;
  /** Held by a householder acting through a signed link (their own site only; the link decides which). */
  householder: boolean;
  /**
   * Held by every valid API token whatever its scopes (scope is then null): for operations that
   * need to know who calls but grant nothing of the organisation's data (who am I, example payloads).
   */
  everyToken?: true;
}

const table = {
  // Inventory: sites, assets, meters, batteries and their live state, charging sessions, schedules.
  "sites:read": { description: "see sites, assets, batteries, charging sessions and schedules", role: "viewer", scope: "entities:read", householder: false },
  "sites:write": { description: "create, change and delete sites and assets", role: "operator", scope: "entities:write", householder: false },
  "sites:export": { description: "export every site as a file", role: "operator", scope: null, householder: false },
  // The energy-coordination dialect's users and what hangs off them.
  "users:read": { description: "see users and their vehicles, meters and resources", role: "viewer", scope: "users:read", householder: false },
  "users:write": { description: "register users and their vehicles, meters and resources", role: "operator", scope: "users:write", householder: false },
  // The operator's meter registry (MPAN, address, supplier), looked up by partners through /meter/*.
  "meter_registry:read": { description: "look meters up in the meter registry", role: "viewer", scope: "entities:read", householder: false },
  "meter_registry:write": { description: "load the meter registry from a file", role: "operator", scope: "entities:write", householder: false },
  "coordination_events:read": { description: "see energy-coordination events sent to partners", role: "viewer", scope: "users:read", householder: false },
  "coordination_reports:write": { description: "send energy-coordination reports (device limit reports)", role: "operator", scope: "users:write", householder: false },
  "coordination_webhooks:read": { description: "see energy-coordination webhooks and their notification log", role: "viewer", scope: "users:read", householder: false },
  "coordination_webhooks:manage": { description: "register, change, enable, disable and delete energy-coordination webhooks", role: "operator", scope: "users:write", householder: false },
  "coordination_simulation:run": { description: "simulate energy-coordination events and sandbox partner data", role: "operator", scope: "users:write", householder: false },
  // Consent, enrolment, offboarding and the householder links that collect consent or intents.
  "consent:read": { description: "see consents, enrolments and householder links", role: "viewer", scope: "entities:read", householder: true },
  "consent:write": { description: "record consents, enrol and offboard sites, send householder links", role: "operator", scope: "entities:write", householder: true },
  "credentials:write": { description: "hand over manufacturer-cloud credentials", role: "operator", scope: "entities:write", householder: false },
  "batteries:control": { description: "change battery modes and plan battery schedules", role: "operator", scope: "entities:write", householder: false },
  "charging:events": { description: "record plug-ins, plug-outs, intents and tariffs, and re-plan sessions", role: "operator", scope: "events:write", householder: true },
  "readings:write": { description: "send meter and asset readings", role: "operator", scope: "readings:write", householder: false },
  "grid_events:read": { description: "see grid events, their dispatch and the outgoing mail list", role: "viewer", scope: "entities:read", householder: false },
  "grid_events:write": { description: "create, change, cancel and dispatch grid events", role: "operator", scope: "entities:write", householder: false },
  "asset_models:read": { description: "see the catalogue of asset models", role: "viewer", scope: "entities:read", householder: false },
  "asset_models:write": { description: "add, correct and import asset models", role: "operator", scope: null, householder: false },
  "market_prices:read": { description: "see market price curves", role: "viewer", scope: "entities:read", householder: false },
  "market_prices:write": { description: "upload market price curves", role: "operator", scope: "entities:write", householder: false },
  // Any valid token: who it belongs to, and example payloads built from nothing of the organisation's.
  "api:identity": { description: "see who the token belongs to and example payloads", role: "viewer", scope: null, householder: false, everyToken: true },
  // Rewards. Money leaves the organisation only by an admin's decision: no token reaches payouts.
  "rewards:read": { description: "see reward balances and transactions", role: "viewer", scope: "rewards:read", householder: true },
  "rewards:withdrawal_links": { description: "create a householder's rewards link", role: "operator", scope: "rewards:read", householder: false },
  "rewards:withdraw": { description: "withdraw a site's own balance to its bank account", role: null, scope: null, householder: true },
  "rewards:write": { description: "settle grid events and add manual ledger entries", role: "operator", scope: null, householder: false },
  "payouts:approve": { description: "approve, export and record payouts", role: "admin", scope: null, householder: false },
  // The organisation itself: who may sign in, which tools may call, its settings and its log.
  "organisation:settings": { description: "change the organisation's settings", role: "admin", scope: null, householder: false },
  "members:read": { description: "see the organisation's members", role: "viewer", scope: null, householder: false },
  "members:manage": { description: "add and remove members and change their roles", role: "admin", scope: null, householder: false },
  "api_clients:manage": { description: "create, see and revoke API clients", role: "admin", scope: null, householder: false },
  "system:read": { description: "see the health of the database and the job queues", role: "viewer", scope: null, householder: false },
  "audit:read": { description: "read the audit log", role: "viewer", scope: null, householder: false },
  // The partner's own endpoints: where webhooks and charging schedules are pushed.
  "webhook_endpoints:read": { description: "see webhook endpoints and their deliveries", role: "viewer", scope: "webhooks:manage", householder: false },
  "webhook_endpoints:manage": { description: "register, disable and enable webhook endpoints", role: "admin", scope: "webhooks:manage", householder: false },
  "schedule_endpoint:read": { description: "see the schedule endpoint and its deliveries", role: "viewer", scope: "schedule_endpoint:manage", householder: false },
  "schedule_endpoint:manage": { description: "set the schedule endpoint", role: "admin", scope: "schedule_endpoint:manage", householder: false },
  "schedule_endpoint:test": { description: "send a test schedule to the schedule endpoint", role: "operator", scope: "schedule_endpoint:manage", householder: false },
  // Direct charge points (OCPP-J): the dashboard sees and manages them; the gateway process acts on their messages.
  "ocpp:read": { description: "see direct charge points, their messages and the commands sent to them", role: "viewer", scope: "entities:read", householder: false },
  "ocpp:manage": { description: "register direct charge points, set their passwords and enable or disable them", role: "operator", scope: null, householder: false },
  "ocpp:gateway": { description: "act on the messages of connected charge points (the OCPP gateway only)", role: null, scope: null, householder: false },
  // Least privilege inside a response: viewers see the page, not the householder behind it.
  "personal_data:read": { description: "see householders' emails, IP addresses and browsers", role: "operator", scope: "entities:read", householder: false },
  "consent_evidence:read": { description: "see the evidence recorded with a consent", role: "operator", scope: "entities:read", householder: false },
  "mail:read": { description: "read the bodies of mail sent to householders", role: "operator", scope: null, householder: false },
} as const satisfies Record<string, PermissionRule>;

export type Permission = keyof typeof table;
export const PERMISSIONS: Readonly<Record<Permission, PermissionRule>> = table;
export const PERMISSION_NAMES = Object.keys(table) as Permission[];

/** Who is asking, as far as the table cares. System jobs hold every permission. */
export type PermissionHolder =
  | { type: "operator"; role: OperatorRole }
  | { type: "api_client"; scopes: readonly string[] }
  | { type: "householder" }
  | { type: "system" };

const roleRank: Record<OperatorRole, number> = { viewer: 0, operator: 1, admin: 2 };

export function isGranted(holder: PermissionHolder, permission: Permission): boolean {
  const rule = PERMISSIONS[permission];
  switch (holder.type) {
    case "operator":
      return rule.role !== null && roleRank[holder.role] >= roleRank[rule.role];
    case "api_client":
      if (rule.everyToken === true) return true;
      return rule.scope !== null && effectiveScopes(holder.scopes).has(rule.scope);
    case "householder":
      return rule.householder;
    case "system":
      return true;
  }
}

/** The scopes a token must hold for `permission`: what the OpenAPI document publishes per operation. */
export function scopesFor(permission: Permission): ApiScope[] {
  const scope = PERMISSIONS[permission].scope;
  return scope === null ? [] : [scope];
}

/** Why `holder` is refused `permission`, in words for the person or engineer who asked. */
export function refusalMessage(holder: PermissionHolder, permission: Permission): string {
  const rule = PERMISSIONS[permission];
  switch (holder.type) {
    case "operator":
      if (rule.role === null) return `Only the householder can ${rule.description}, through their own link.`;
      return rule.role === "admin"
        ? `Only admins can ${rule.description}. Ask an admin of your organisation.`
        : `Viewers cannot ${rule.description}. Ask an admin for the operator role.`;
    case "api_client":
      return rule.scope === null
        ? `API clients cannot ${rule.description}; an operator does this in the dashboard.`
        : `This token lacks the scope ${rule.scope}, needed to ${rule.description}. Ask the operator to grant it to the client, then request a new token.`;
    case "householder":
      return `A householder link cannot ${rule.description}.`;
    case "system":
      return `The system cannot ${rule.description}.`;
  }
}
