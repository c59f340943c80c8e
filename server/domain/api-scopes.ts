/** OAuth2 scopes an API client can be granted, with what each allows. */
export const API_SCOPES = {
  "entities:read": "Read sites, assets, eligibility and schedules",
  "entities:write": "Create, change and delete sites and assets; record consents and enrolments",
  "events:write": "Send asset events: plug-in, plug-out, intents, tariffs",
  "readings:write": "Send meter and asset readings",
  "rewards:read": "Read reward balances and transactions",
  "users:read": "Read users and their vehicles, meters and resources",
  "users:write": "Register users and their vehicles, meters and resources",
} as const;
export type ApiScope = keyof typeof API_SCOPES;
