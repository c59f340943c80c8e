// Webhook endpoint secrets are sealed at rest like OEM credentials (AES-256-GCM, key id
// kept with the ciphertext). Rows written before sealing hold the plain secret; they keep
// working and are sealed by the re-seal job.
import { getConfig } from "@/server/config";
import { buildKeyring, openSecret, sealSecret, type EncryptionKey, type SealedSecret } from "../credentials/credential-crypto";

const SEALED_PREFIX = "sealed:v1:";

const sealContext = (endpointId: string) => `webhook-endpoint:${endpointId}`;

export function currentEncryptionKey(): EncryptionKey {
  return getConfig().encryption;
}

export function configuredKeyring(): EncryptionKey[] {
  const config = getConfig();
  return buildKeyring(config.encryption, config.previousEncryptionKeys);
}

export function sealWebhookSecret(endpointId: string, secret: string, key: EncryptionKey = currentEncryptionKey()): string {
  return SEALED_PREFIX + JSON.stringify(sealSecret(secret, key, sealContext(endpointId)));
}

function parseStored(stored: string): SealedSecret | null {
  if (!stored.startsWith(SEALED_PREFIX)) return null;
  const parsed: unknown = JSON.parse(stored.slice(SEALED_PREFIX.length));
  if (typeof parsed !== "object" || parsed === null || !("keyId" in parsed) || !("ciphertext" in parsed)) throw new Error("A sealed webhook secret is malformed.");
  const { keyId, ciphertext } = parsed;
  if (typeof keyId !== "string" || typeof ciphertext !== "string") throw new Error("A sealed webhook secret is malformed.");
  return { keyId, ciphertext };
}

/** The plain secret to sign with; a legacy plain value is returned as it is. */
export function openWebhookSecret(endpointId: string, stored: string, keyring: readonly EncryptionKey[] = configuredKeyring()): string {
  const sealed = parseStored(stored);
  return sealed ? openSecret(sealed, keyring, sealContext(endpointId)) : stored;
}

/** The stored value re-sealed under `current`, or null when it already is. Plain legacy values get sealed. */
export function resealWebhookSecret(endpointId: string, stored: string, keyring: readonly EncryptionKey[], current: EncryptionKey): string | null {
  const sealed = parseStored(stored);
  if (sealed && sealed.keyId === current.keyId) return null;
  return sealWebhookSecret(endpointId, openWebhookSecret(endpointId, stored, keyring), current);
}

/** For reports: the key id a stored secret was sealed under ("plain" for legacy rows, "malformed" when unreadable). */
export function sealedKeyIdOf(stored: string): string {
  try {
    return parseStored(stored)?.keyId ?? "plain";
  } catch {
    return "malformed";
  }
}
