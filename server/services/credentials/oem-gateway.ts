// The process-wide OEM gateway, built from configured base URLs. Tests inject their own.
import { getConfig } from "@/server/config";
import { createOemGateway, type OemGateway } from "@/server/oem";

let gateway: OemGateway | undefined;

export function getOemGateway(): OemGateway {
  if (gateway) return gateway;
  const urls = getConfig().oemBaseUrls;
  gateway = createOemGateway({
    foxess: { baseUrl: urls.foxess },
    givenergy: { baseUrl: urls.givenergy },
    sigenergy: { baseUrl: urls.sigenergy },
    solis: { baseUrl: urls.solis },
  });
  return gateway;
}

/** Test and launcher hook. */
export function setOemGatewayForProcess(next: OemGateway | undefined): void {
  gateway = next;
}
