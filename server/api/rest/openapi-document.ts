// The published document: the routes that have handlers, built from the same zod
// schemas the handlers validate with. Add a route list here when its handlers land.
import { buildOpenApiDocument, type OpenApiDocument } from "@/server/api/openapi/build-document";
import { inventoryRoutes } from "@/server/api/openapi/routes";
import { API_SCOPES } from "@/server/domain/api-scopes";
import { batteryRoutes } from "@/server/api/openapi/routes-batteries";
import { authRoutes } from "./auth";
import { implementedEnrolmentRoutes } from "./enrolment";
import { implementedChargingEventRoutes } from "./charging-events";
import { implementedReadingsPriceRoutes } from "./readings-prices";
import { implementedGridEventRoutes } from "./grid-events";
import { implementedRewardRoutes } from "./rewards";
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
  ...energyCoordinationRoutes,
];

let document: OpenApiDocument | undefined;

// The REST adapter refuses oversized bodies before validation: say so wherever a body is taken.
function documentBodyLimit(built: OpenApiDocument): OpenApiDocument {
  for (const pathItem of Object.values(built.paths)) {
    for (const operation of Object.values(pathItem)) {
      const responses = operation.responses as Record<string, unknown> | undefined;
      if (operation.requestBody === undefined || responses === undefined || responses["413"] !== undefined)
        continue;
      responses["413"] = {
        description: "The request body is too large",
        content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorWithDetail" } } },
      };
    }
  }
  return built;
}

export function publishedOpenApiDocument(): OpenApiDocument {
  document ??= documentBodyLimit(
    buildOpenApiDocument(publishedRoutes, {
      title: "Flexfleet partner API",
      description:
        "Sites, assets and eligibility in the entities dialect; users and their devices in the energy-coordination dialect.",
      scopes: API_SCOPES,
      tags: [
        { name: "Auth", description: "Exchange API client credentials for a 30-minute bearer token" },
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
      ],
    }),
  );
  return document;
}

export function openApiHandler(): Response {
  return new Response(JSON.stringify(publishedOpenApiDocument()), {
    status: 200,
    headers: { "content-type": "application/json", "cache-control": "public, max-age=300" },
  });
}
