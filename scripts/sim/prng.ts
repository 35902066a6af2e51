/**
 * A small seeded pseudo-random generator (sfc32 seeded through xmur3): the same seed gives the same run.
 * Not for cryptography.
 */

/** Hashes a string into 32-bit seeds (xmur3). */
function xmur3(text: string): () => number {
  let h = 1779033703 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  return () => {
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    return (h ^= h >>> 16) >>> 0;
  };
}

/** A seeded random stream. Fork it to give each agent its own stream that other agents cannot shift. */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;
  /** The seed this stream was made from. */
  readonly seed: string;

  /** @param seed Any string or number; equal seeds give equal streams. */
  constructor(seed: string | number) {
    this.seed = String(seed);
    const next = xmur3(this.seed);
    this.#a = next();
    this.#b = next();
    this.#c = next();
    this.#d = next();
    for (let i = 0; i < 15; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [min, max] (both included). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array. @throws Error on an empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty array");
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  }

  /** A wei amount between `min` and `max` wei, in steps of `step` wei (default 10^16 = 0.01 CIV). */
  amount(min: bigint, max: bigint, step = 10n ** 16n): bigint {
    const steps = Number((max - min) / step);
    return min + BigInt(this.int(0, Math.max(0, steps))) * step;
  }

  /** An independent stream derived from this one's seed and a label (does not advance this stream). */
  fork(label: string | number): Rng {
    return new Rng(`${this.seed}/${label}`);
  }
}
