// The process-wide OEM gateway, built from configured base URLs and limits. Tests inject their own.
import { getConfig } from "@/server/config";
import { createOemGateway, type OemGateway } from "@/server/oem";
import { guardOemGateway } from "@/server/oem/guard";

let gateway: OemGateway | undefined;

export function getOemGateway(): OemGateway {
  if (gateway) return gateway;
  const { oemBaseUrls: urls, oemLimits: limits } = getConfig();
  const http = { timeoutMs: limits.requestTimeoutMs, maxAttempts: limits.maxAttempts };
  gateway = guardOemGateway(
    createOemGateway({
      foxess: { baseUrl: urls.foxess, ...http },
      givenergy: { baseUrl: urls.givenergy, ...http },
      sigenergy: { baseUrl: urls.sigenergy, ...http },
      solis: { baseUrl: urls.solis, ...http },
    }),
    { concurrency: limits.concurrency, waitTimeoutMs: limits.requestTimeoutMs, deviceCooldownMs: limits.deviceCooldownSeconds * 1000 },
  );
  return gateway;
}

/** Test and launcher hook. */
export function setOemGatewayForProcess(next: OemGateway | undefined): void {
  gateway = next;
}
