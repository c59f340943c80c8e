import { enrolmentHandlers as h } from "@/server/api/rest/enrolment";

export const POST = h.addSiteDispatchConsent;
