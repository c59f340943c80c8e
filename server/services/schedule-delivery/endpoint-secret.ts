// Where the schedule endpoint's signing secret is sealed and opened. It is bound to its
// organisation as AES-GCM additional data, so a ciphertext copied to another row does not open.
import { getConfig } from "@/server/config";
import type { EncryptionKey } from "../credentials/credential-crypto";

export interface SecretKeys {
  currentKey?: EncryptionKey;
  keyring?: readonly EncryptionKey[];
}

export function scheduleSecretContext(orgId: string): string {
  return `schedule-endpoint:${orgId}`;
}

export function currentScheduleSecretKey(keys: SecretKeys = {}): EncryptionKey {
  return keys.currentKey ?? getConfig().encryption;
}

/** Keys that may open a stored secret: the given keyring, else the current key. */
export function scheduleSecretKeyring(keys: SecretKeys = {}): readonly EncryptionKey[] {
  return keys.keyring ?? [currentScheduleSecretKey(keys)];
}
