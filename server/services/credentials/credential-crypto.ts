// AES-256-GCM sealing of OEM secrets. The key id travels with the ciphertext so a
// rotated key can still open what an older key sealed (keep old keys in the keyring).
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

export interface EncryptionKey {
  keyId: string;
  key: Buffer;
}

export interface SealedSecret {
  keyId: string;
  /** base64(iv ‖ tag ‖ ciphertext). */
  ciphertext: string;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** `context` is bound as additional authenticated data: a ciphertext moved to another row will not open. */
export function sealSecret(plaintext: string, key: EncryptionKey, context: string): SealedSecret {
  if (key.key.length !== 32) throw new Error("AES-256-GCM needs a 32-byte key.");
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key.key, iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return { keyId: key.keyId, ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64") };
}

export function openSecret(sealed: SealedSecret, keyring: readonly EncryptionKey[], context: string): string {
  const key = keyring.find((k) => k.keyId === sealed.keyId);
  // The message names the key id only: never the ciphertext or anything derived from the secret.
  if (!key) throw new Error(`No encryption key with id ${sealed.keyId} is configured.`);
  const raw = Buffer.from(sealed.ciphertext, "base64");
  const decipher = createDecipheriv("aes-256-gcm", key.key, raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    throw new Error(`The sealed secret does not open with key ${sealed.keyId}: wrong key or tampered data.`);
  }
}

/** `keyId:base64Key` pairs separated by commas; each key 32 bytes (44 base64 characters). */
export const PREVIOUS_KEYS_PATTERN = /^\s*[A-Za-z0-9._-]{1,32}:[A-Za-z0-9+/]{43}=\s*(,\s*[A-Za-z0-9._-]{1,32}:[A-Za-z0-9+/]{43}=\s*)*$/;

/** Parses CREDENTIAL_ENCRYPTION_PREVIOUS_KEYS (already checked against PREVIOUS_KEYS_PATTERN); empty gives none. */
export function parsePreviousEncryptionKeys(value: string): EncryptionKey[] {
  if (value.trim() === "") return [];
  return value.split(",").map((pair) => {
    const trimmed = pair.trim();
    const at = trimmed.indexOf(":");
    return { keyId: trimmed.slice(0, at), key: Buffer.from(trimmed.slice(at + 1), "base64") };
  });
}

/** The current key first (it seals), then retired keys that only open. */
export function buildKeyring(current: EncryptionKey, previous: readonly EncryptionKey[]): EncryptionKey[] {
  return [current, ...previous.filter((key) => key.keyId !== current.keyId)];
}

/**
 * Re-encrypts under `current` when the secret was sealed under another key; null when it
 * already is current (nothing to write).
 */
export function resealSecret(sealed: SealedSecret, keyring: readonly EncryptionKey[], current: EncryptionKey, context: string): SealedSecret | null {
  if (sealed.keyId === current.keyId) return null;
  return sealSecret(openSecret(sealed, keyring, context), current, context);
}
