// The published document: the routes that have handlers, built from the same zod
// schemas the handlers validate with. Add a route list here when its handlers land.
import { buildOpenApiDocument, type OpenApiDocument } from "@/server/api/openapi/build-document";
import { documentEnumExtensions } from "@/server/api/openapi/published-enum-extensions";
import { inventoryRoutes } from "@/server/api/openapi/routes";
import { API_SCOPES } from "@/server/domain/api-scopes";
import { batteryRoutes } from "@/server/api/openapi/routes-batteries";
import { authRoutes } from "./auth";
import { implementedEnrolmentRoutes } from "./enrolment";
import { implementedChargingEventRoutes } from "./charging-events";
import { implementedReadingsPriceRoutes } from "./readings-prices";
import { implementedGridEventRoutes } from "./grid-events";
import { implementedRewardRoutes } from "./rewards";
import { exampleRoutes } from "./examples";
import { householdAccessRoutes } from "./household-access";
import { meterRoutes } from "./meters";
import { energyCoordinationRoutes } from "@/server/api/openapi/routes-energy-coordination";

export const publishedRoutes = [
  ...authRoutes,
  ...inventoryRoutes,
  ...batteryRoutes,
  ...implementedEnrolmentRoutes,
  ...implementedChargingEventRoutes,
  ...implementedReadingsPriceRoutes,
  ...implementedGridEventRoutes,
  ...implementedRewardRoutes,
  ...exampleRoutes,
  ...householdAccessRoutes,
  ...meterRoutes,
  ...energyCoordinationRoutes,
];

let document: OpenApiDocument | undefined;

// The REST adapter refuses some bodies before validation (rest-handler's readRequestBody): a
// body declared gzip that is not (400), too large (413), of another media type (415). Say so
// wherever a body is taken; where an operation documents its own 400, either shape may come.
const BODY_REFUSALS = {
  "400": "The body is declared gzip but is not valid gzip",
  "413": "The request body is too large",
  "415": "The body is not of a media type this operation takes (see its requestBody)",
} as const;
const ERROR_WITH_DETAIL = { $ref: "#/components/schemas/ErrorWithDetail" };

type DocumentedResponse = { description?: string; content?: Record<string, { schema?: unknown }> };

function documentBodyRefusals(built: OpenApiDocument): OpenApiDocument {
  for (const pathItem of Object.values(built.paths)) {
    for (const operation of Object.values(pathItem)) {
      const responses = operation.responses as Record<string, DocumentedResponse> | undefined;
      if (operation.requestBody === undefined || responses === undefined) continue;
      for (const [status, description] of Object.entries(BODY_REFUSALS)) {
        const existing = responses[status]?.content?.["application/json"];
        if (responses[status] === undefined) responses[status] = { description, content: { "application/json": { schema: ERROR_WITH_DETAIL } } };
        else if (existing?.schema !== undefined && JSON.stringify(existing.schema) !== JSON.stringify(ERROR_WITH_DETAIL)) existing.schema = { anyOf: [existing.schema, ERROR_WITH_DETAIL] };
      }
    }
  }
  return built;
}

export function publishedOpenApiDocument(): OpenApiDocument {
  document ??= documentEnumExtensions(documentBodyRefusals(
    buildOpenApiDocument(publishedRoutes, {
      title: "Flexfleet partner API",
      description:
        "Sites, assets and eligibility in the entities dialect; users and their devices in the energy-coordination dialect.",
      scopes: API_SCOPES,
      tags: [
        { name: "Auth", description: "Exchange API client credentials for a bearer token (1 hour by default); end-user tokens for household pages" },
        { name: "Sites" },
        { name: "Assets" },
        { name: "Validation" },
        { name: "Users", description: "Energy-coordination dialect: users and their resources" },
        { name: "Locations", description: "Energy-coordination dialect: a user's premises; meter point ids are MPANs" },
        { name: "Resources", description: "Energy-coordination dialect: devices by the partner's id" },
        { name: "Programme", description: "Energy-coordination dialect: eligibility, enrolment and compensation" },
        { name: "Events", description: "Energy-coordination dialect: price curves, power limits and eligibility changes the platform produces" },
        { name: "Reports", description: "Energy-coordination dialect: usage, usage plans and answers to power limits" },
        { name: "Webhooks", description: "Energy-coordination dialect: notifications signed with X-Payload-Signature, and their log" },
        { name: "Simulation", description: "Energy-coordination dialect: the sandbox, where the organisation has it switched on" },
        { name: "Batteries", description: "Battery-control dialect: live state and operation-mode Actions" },
        {
          name: "Consent",
          description: "Boundary-meter and dispatch consents, and householder consent links",
        },
        { name: "Enrolment", description: "Enrol, unenrol, onboard and offboard sites" },
        { name: "Meters", description: "Meter lookups in the operator's meter registry" },
        { name: "Examples", description: "Example payloads, built by the code that sends the real ones" },
      ],
    }),
  ));
  return document;
}

export function openApiHandler(): Response {
  return new Response(JSON.stringify(publishedOpenApiDocument()), {
    status: 200,
    headers: { "content-type": "application/json", "cache-control": "public, max-age=300" },
  });
}
