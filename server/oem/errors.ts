// Errors every adapter throws. Messages name the OEM and what happened, never a key, secret or token.
import type { Oem } from "./types";

export abstract class OemError extends Error {
  abstract readonly code: string;
  constructor(
    readonly oem: Oem,
    message: string,
  ) {
    super(`${oem}: ${message}`);
    this.name = new.target.name;
  }
}

/** The cloud refused the credential: wrong, expired or withdrawn. Retrying will not help; the user must act. */
export class OemCredentialRejectedError extends OemError {
  readonly code = "OEM_CREDENTIAL_REJECTED";
  constructor(
    oem: Oem,
    readonly reason: "invalid" | "expired" | "signature",
    detail: string,
  ) {
    super(oem, `credential rejected (${reason}): ${detail}`);
  }
}

/** The cloud could not be reached or kept failing (timeouts, 5xx) after retries. Try again later. */
export class OemUnavailableError extends OemError {
  readonly code = "OEM_UNAVAILABLE";
  constructor(
    oem: Oem,
    detail: string,
    readonly status?: number,
  ) {
    super(oem, `unavailable: ${detail}`);
  }
}

/** The cloud kept answering "too many requests" after retries. */
export class OemRateLimitedError extends OemError {
  readonly code = "OEM_RATE_LIMITED";
  constructor(
    oem: Oem,
    readonly retryAfterMs?: number,
  ) {
    super(oem, `rate limited${retryAfterMs !== undefined ? `, retry after ${retryAfterMs} ms` : ""}`);
  }
}

/** The device is unknown to the cloud or not reachable with this credential. */
export class OemDeviceNotFoundError extends OemError {
  readonly code = "OEM_DEVICE_NOT_FOUND";
  constructor(
    oem: Oem,
    readonly deviceId: string,
  ) {
    super(oem, `device ${deviceId} not found for this credential`);
  }
}

/** The cloud answered in a shape we do not understand, or refused a request we built. A bug or an API change. */
export class OemProtocolError extends OemError {
  readonly code = "OEM_PROTOCOL_ERROR";
}

/** The requested schedule or mode cannot be expressed on this OEM. */
export class OemUnsupportedError extends OemError {
  readonly code = "OEM_UNSUPPORTED";
}
