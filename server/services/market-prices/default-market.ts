// The market whose curve prices charging slots for the operator and Flex Lite pauses when
// an organisation has not named another. Its own module so planning can import it
// without importing the price-curve service (which re-plans, so imports planning).
export const DEFAULT_MARKET = "WHOLESALE";
