// Seeded randomness: the engine never calls Math.random, so a seed fully determines a plan.

/** A 32-bit PRNG (mulberry32) returning floats in [0, 1); same seed → same sequence. */
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

/** A uniform integer in [0, n) from `rng`. */
export function randomInt(rng: () => number, n: number): number {
  return Math.floor(rng() * n);
}

/** Shuffles `items` (an array or a typed array) in place (Fisher–Yates) and returns it. */
export function shuffleInPlace<A extends { length: number; [i: number]: unknown }>(
  items: A,
  rng: () => number,
): A {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = randomInt(rng, i + 1);
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
  return items;
}

/** Mixes a seed with two integers into a 32-bit hash (splitmix-style finaliser), order-sensitive. */
export function hash3(seed: number, a: number, b: number): number {
  let h = (seed ^ Math.imul(a + 0x9e3779b9, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = (h ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A seed for a sub-task (restart, phase) derived from the round seed. */
export function deriveSeed(seed: number, salt: number): number {
  return hash3(seed, salt, 0x5bd1e995);
}
