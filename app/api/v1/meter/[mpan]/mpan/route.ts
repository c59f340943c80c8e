// Next allows one slug name per level, so /meter/{meter_ref}/mpan lives under [mpan]; the handler
// reads its parameter by position from the published path.
import { meterHandlers as h } from "@/server/api/rest/meters";

export const GET = h.meterByRefDeprecated;
