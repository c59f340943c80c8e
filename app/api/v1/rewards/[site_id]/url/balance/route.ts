import { rewardHandlers as h } from "@/server/api/rest/rewards";

export const GET = h.getBalanceWithdrawalUrl;
