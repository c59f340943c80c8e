/** OAuth2 scopes an API client can be granted, with what each allows. */
export const API_SCOPES = {
  "entities:read": "Read sites, assets, eligibility and schedules",
  "entities:write": "Create, change and delete sites and assets; record consents and enrolments",
  "events:write": "Send asset events: plug-in, plug-out, intents, tariffs",
  "readings:write": "Send meter and asset readings",
  "rewards:read": "Read reward balances and transactions",
  "users:read": "Read users and their vehicles, meters and resources",
  "users:write": "Register users and their vehicles, meters and resources",
  "webhooks:manage": "Register, see, disable and enable the organisation's webhook endpoints",
  "schedule_endpoint:manage": "Set and test the endpoint that receives charging schedules, and see its deliveries",
} as const;
export type ApiScope = keyof typeof API_SCOPES;

/** A write scope includes reading what it writes: a partner that creates a site may read it back. */
export const IMPLIED_SCOPES: Readonly<Partial<Record<ApiScope, readonly ApiScope[]>>> = {
  "entities:write": ["entities:read"],
  "users:write": ["users:read"],
};

/** The scopes a token effectively holds: its own and those they imply. */
export function effectiveScopes(scopes: readonly string[]): Set<string> {
  const effective = new Set(scopes);
  for (const scope of scopes) for (const implied of IMPLIED_SCOPES[scope as ApiScope] ?? []) effective.add(implied);
  return effective;
}
