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
import { meterRoutes } from "./meters";

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
  ...meterRoutes,
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
  document ??= documentEnumExtensions(documentBodyLimit(
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
        { name: "Users", description: "Energy-coordination dialect" },
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
