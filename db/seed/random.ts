/**
 * A small seeded PRNG for the seed generator. mulberry32: 32-bit state, fast,
 * good enough for test data, and fully deterministic for a given seed.
 */

export interface Rng {
  /** Float in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** One element, by weight (weights need not sum to 1). */
  weighted<T>(entries: readonly (readonly [T, number])[]): T;
  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[];
  /** k distinct elements in random order (k is clamped to the length). */
  sample<T>(items: readonly T[], k: number): T[];
  /** n characters of base36. */
  base36(n: number): string;
  /** A version-4-shaped UUID drawn from this generator (deterministic for a seed). */
  uuid(): string;
}

/** Turn any string or number into a 32-bit seed (FNV-1a over the decimal/text form). */
export function seedFrom(value: string | number): number {
  const s = String(value);
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function createRng(seed: string | number): Rng {
  let state = typeof seed === 'number' && Number.isInteger(seed) ? seed >>> 0 : seedFrom(seed);
  // Mix once so small consecutive seeds (1, 2, 3) start far apart.
  state = (Math.imul(state ^ (state >>> 16), 0x45d9f3b) ^ 0x9e3779b9) >>> 0;

  function next(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  function int(min: number, max: number): number {
    if (max < min) throw new RangeError(`int(${min}, ${max}): max < min`);
    return min + Math.floor(next() * (max - min + 1));
  }

  function pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(next() * items.length)] as T;
  }

  function weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of entries) total += Math.max(0, w);
    if (entries.length === 0 || total <= 0) throw new RangeError('weighted pick needs a positive weight');
    let r = next() * total;
    for (const [value, w] of entries) {
      r -= Math.max(0, w);
      if (r < 0) return value;
    }
    return (entries[entries.length - 1] as readonly [T, number])[0];
  }

  function shuffle<T>(items: readonly T[]): T[] {
    const a = items.slice();
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      const tmp = a[i] as T;
      a[i] = a[j] as T;
      a[j] = tmp;
    }
    return a;
  }

  function sample<T>(items: readonly T[], k: number): T[] {
    const n = Math.max(0, Math.min(k, items.length));
    // Partial Fisher–Yates: only the first n positions are settled.
    const a = items.slice();
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(next() * (a.length - i));
      const tmp = a[i] as T;
      a[i] = a[j] as T;
      a[j] = tmp;
    }
    return a.slice(0, n);
  }

  const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';
  function base36(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += DIGITS[Math.floor(next() * 36)];
    return s;
  }

  function hex8(): string {
    return (Math.floor(next() * 4294967296) >>> 0).toString(16).padStart(8, '0');
  }
  function uuid(): string {
    const h = hex8() + hex8() + hex8() + hex8();
    const variant = ((parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  return { next, int, chance: (p) => next() < p, pick, weighted, shuffle, sample, base36, uuid };
}
