// Deterministic randomness: the same seed always yields the same fleet, noise and faults.

/** FNV-1a over the parts, mixed, mapped to [0, 1). */
export function hashToUnit(...parts: Array<string | number>): number {
  let hash = 0x811c9dc5;
  for (const part of parts) {
    const text = `${part}|`;
    for (let i = 0; i < text.length; i += 1) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 4294967296;
}

/** mulberry32: a small, fast seeded generator. */
export function createRng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Smooth noise in [0, 1): linear interpolation between hashed values at bucket edges. */
export function valueNoise(key: string | number, position: number): number {
  const bucket = Math.floor(position);
  const fraction = position - bucket;
  const a = hashToUnit(key, bucket);
  const b = hashToUnit(key, bucket + 1);
  const smooth = fraction * fraction * (3 - 2 * fraction);
  return a + (b - a) * smooth;
}

/** Deterministic hex string of the given length, for serials and secrets. */
export function hashToHex(length: number, ...parts: Array<string | number>): string {
  let out = "";
  let counter = 0;
  while (out.length < length) {
    out += Math.floor(hashToUnit(...parts, counter) * 0x100000000)
      .toString(16)
      .padStart(8, "0");
    counter += 1;
  }
  return out.slice(0, length);
}
