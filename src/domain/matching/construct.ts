// Greedy construction that hits the coverage bound by design, then picks good partners.
//
// Members are placed one at a time (new members first). Before every step the remaining pool has a
// coverage bound B(R, L); a partner v for u is "safe" when covering (u, v) plus the bound of the pool
// left afterwards still equals B. A safe partner always exists (ignoring "don't pair" lists): the
// largest department is matched against the rest while it dominates, and any cross pair is safe
// otherwise. Among safe partners we sample a few from the time-zone buckets that overlap u's working
// hours most and keep the cheapest, so each step is O(1) amortised and the whole pass near-linear.
import { boundFromSizes } from './bound.ts';
import { COST, type Model, membersCost, TIER_FLOOR } from './model.ts';
import { randomInt } from './rng.ts';

/** Good (tier-free) candidates to compare per step, and the cap on samples drawn per step. */
const GOOD_CANDIDATES = 6;
const MAX_PROBES = 48;
/** Below this pool size a step may scan every remaining member to dodge a repeat. */
const REPEAT_SCAN_LIMIT = 4096;

/** Offsets ordered by shared working minutes with each offset, best first. */
export function offsetNeighbours(m: Model): Int32Array[] {
  const o = m.offsets.length;
  const result: Int32Array[] = [];
  for (let a = 0; a < o; a += 1) {
    const order = Array.from({ length: o }, (_, b) => b);
    order.sort((x, y) => {
      const d = (m.overlap[a * o + y] as number) - (m.overlap[a * o + x] as number);
      if (d !== 0) return d;
      const dx = Math.abs((m.offsets[x] as number) - (m.offsets[a] as number));
      const dy = Math.abs((m.offsets[y] as number) - (m.offsets[a] as number));
      return dx - dy || x - y;
    });
    result.push(Int32Array.from(order));
  }
  return result;
}

/** Where construction puts the groups it forms (a grouping's `add`). */
export interface GroupSink {
  add(members: readonly number[]): number;
}

/**
 * Builds pairs (and the one trio when the count is odd, unless `allowTrio` is false) over `order` into
 * `sink`; returns the members it cannot place (leftovers).
 */
export function construct(
  m: Model,
  order: ArrayLike<number>,
  rng: () => number,
  neighbours: Int32Array[],
  sink: GroupSink,
  allowTrio = true,
): number[] {
  const pool = new Pool(m, order);
  const leftovers: number[] = [];
  let trioFormed = !allowTrio;

  for (let p = 0; p < order.length; p += 1) {
    const u = order[p] as number;
    if (!pool.isAlive(u)) continue;
    const r = pool.size;
    if (r === 1) {
      leftovers.push(u);
      pool.remove(u);
      continue;
    }
    if (r === 3 && !trioFormed) {
      const [x, y] = pool.others(u);
      if (membersCost(m, u, x, y) < Number.POSITIVE_INFINITY) {
        sink.add([u, x, y]);
        pool.remove(u);
        pool.remove(x);
        pool.remove(y);
        trioFormed = true;
        continue;
      }
    }
    const v = pool.bestPartner(u, rng, neighbours);
    pool.remove(u);
    if (v < 0) {
      leftovers.push(u);
      continue;
    }
    pool.remove(v);
    sink.add([u, v]);
  }
  return leftovers;
}

/** The members not placed yet, indexed by (time-zone offset, department) and by department size. */
class Pool {
  size: number;
  private readonly m: Model;
  private readonly alive: Int32Array;
  private readonly alivePos: Int32Array;
  // Buckets of alive members per (offset, department); a bucket's members live in one shared array.
  private readonly bucketOf: Int32Array;
  private readonly bucketStart: Int32Array;
  private readonly bucketSize: Int32Array;
  private readonly bucketDept: Int32Array;
  private readonly bucketKey: Map<number, number>;
  private readonly slots: Int32Array;
  private readonly slotOf: Int32Array;
  // Non-empty buckets per offset, for uniform sampling of a department in a time zone.
  private readonly offsetBuckets: number[][];
  private readonly offsetBucketPos: Int32Array;
  private readonly offsetAlive: Int32Array;
  // Department sizes in count-indexed linked lists, so the largest department is known in O(1).
  private readonly count: Int32Array;
  private readonly freq: Int32Array;
  private readonly head: Int32Array;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private maxCount = 0;

  constructor(m: Model, members: ArrayLike<number>) {
    this.m = m;
    const n = m.n;
    const d = m.deptCount;
    const o = m.offsets.length;
    this.size = members.length;
    this.alive = Int32Array.from(members);
    this.alivePos = new Int32Array(n).fill(-1);
    for (let p = 0; p < members.length; p += 1) this.alivePos[members[p] as number] = p;

    this.bucketKey = new Map();
    this.bucketOf = new Int32Array(n).fill(-1);
    const sizes: number[] = [];
    const depts: number[] = [];
    const offs: number[] = [];
    for (let p = 0; p < members.length; p += 1) {
      const i = members[p] as number;
      const key = (m.off[i] as number) * d + (m.dept[i] as number);
      let b = this.bucketKey.get(key);
      if (b === undefined) {
        b = sizes.length;
        this.bucketKey.set(key, b);
        sizes.push(0);
        depts.push(m.dept[i] as number);
        offs.push(m.off[i] as number);
      }
      this.bucketOf[i] = b;
      sizes[b] = (sizes[b] as number) + 1;
    }
    const buckets = sizes.length;
    this.bucketStart = new Int32Array(buckets);
    this.bucketSize = new Int32Array(buckets);
    this.bucketDept = Int32Array.from(depts);
    for (let b = 1; b < buckets; b += 1) {
      this.bucketStart[b] = (this.bucketStart[b - 1] as number) + (sizes[b - 1] as number);
    }
    this.slots = new Int32Array(members.length);
    this.slotOf = new Int32Array(n).fill(-1);
    for (let p = 0; p < members.length; p += 1) {
      const i = members[p] as number;
      const b = this.bucketOf[i] as number;
      const slot = (this.bucketStart[b] as number) + (this.bucketSize[b] as number);
      this.slots[slot] = i;
      this.slotOf[i] = slot;
      this.bucketSize[b] = (this.bucketSize[b] as number) + 1;
    }
    this.offsetBuckets = Array.from({ length: o }, () => []);
    this.offsetBucketPos = new Int32Array(buckets);
    this.offsetAlive = new Int32Array(o);
    for (let b = 0; b < buckets; b += 1) {
      const list = this.offsetBuckets[offs[b] as number] as number[];
      this.offsetBucketPos[b] = list.length;
      list.push(b);
      this.offsetAlive[offs[b] as number] =
        (this.offsetAlive[offs[b] as number] as number) + (sizes[b] as number);
    }

    this.count = new Int32Array(d);
    for (let p = 0; p < members.length; p += 1) {
      const x = m.dept[members[p] as number] as number;
      this.count[x] = (this.count[x] as number) + 1;
    }
    let max = 0;
    for (let x = 0; x < d; x += 1) max = Math.max(max, this.count[x] as number);
    this.maxCount = max;
    this.freq = new Int32Array(max + 1);
    this.head = new Int32Array(max + 1).fill(-1);
    this.next = new Int32Array(d).fill(-1);
    this.prev = new Int32Array(d).fill(-1);
    for (let x = 0; x < d; x += 1) this.link(x, this.count[x] as number);
  }

  isAlive(i: number): boolean {
    return (this.alivePos[i] as number) >= 0;
  }

  /** The two alive members other than `u` (only called when three are left). */
  others(u: number): [number, number] {
    const rest: number[] = [];
    for (let p = 0; p < this.size; p += 1) {
      const i = this.alive[p] as number;
      if (i !== u) rest.push(i);
    }
    return [rest[0] as number, rest[1] as number];
  }

  remove(i: number): void {
    const m = this.m;
    // Alive list.
    const p = this.alivePos[i] as number;
    const last = this.alive[this.size - 1] as number;
    this.alive[p] = last;
    this.alivePos[last] = p;
    this.alivePos[i] = -1;
    this.size -= 1;
    // Bucket.
    const b = this.bucketOf[i] as number;
    const slot = this.slotOf[i] as number;
    const lastSlot = (this.bucketStart[b] as number) + (this.bucketSize[b] as number) - 1;
    const moved = this.slots[lastSlot] as number;
    this.slots[slot] = moved;
    this.slotOf[moved] = slot;
    this.slotOf[i] = -1;
    this.bucketSize[b] = (this.bucketSize[b] as number) - 1;
    const o = m.off[i] as number;
    this.offsetAlive[o] = (this.offsetAlive[o] as number) - 1;
    if (this.bucketSize[b] === 0) {
      const list = this.offsetBuckets[o] as number[];
      const pos = this.offsetBucketPos[b] as number;
      const tail = list.pop() as number;
      if (tail !== b) {
        list[pos] = tail;
        this.offsetBucketPos[tail] = pos;
      }
    }
    // Department size.
    const d = m.dept[i] as number;
    const c = this.count[d] as number;
    this.unlink(d, c);
    this.count[d] = c - 1;
    this.link(d, c - 1);
    while (this.maxCount > 0 && this.freq[this.maxCount] === 0) this.maxCount -= 1;
  }

  private link(d: number, c: number): void {
    this.freq[c] = (this.freq[c] as number) + 1;
    const h = this.head[c] as number;
    this.next[d] = h;
    this.prev[d] = -1;
    if (h >= 0) this.prev[h] = d;
    this.head[c] = d;
  }

  private unlink(d: number, c: number): void {
    this.freq[c] = (this.freq[c] as number) - 1;
    const p = this.prev[d] as number;
    const nx = this.next[d] as number;
    if (p >= 0) this.next[p] = nx;
    else this.head[c] = nx;
    if (nx >= 0) this.prev[nx] = p;
  }

  /** Coverage lost against the bound by pairing a member of `du` with one of `dv` now (0 = safe). */
  private loss(du: number, dv: number): number {
    const r = this.size;
    const max = this.maxCount;
    const before = boundFromSizes(r, max);
    const atMaxU = this.count[du] === max ? 1 : 0;
    let after: number;
    if (du === dv) {
      if (atMaxU === 0 || (this.freq[max] as number) > 1) after = max;
      else if (max >= 1 && (this.freq[max - 1] as number) > 0) after = max - 1;
      else after = max - 2;
    } else {
      const atMaxV = this.count[dv] === max ? 1 : 0;
      after = (this.freq[max] as number) - atMaxU - atMaxV > 0 ? max : max - 1;
    }
    return Math.max(0, before - (du === dv ? 0 : 2) - boundFromSizes(r - 2, Math.max(0, after)));
  }

  /**
   * Cost of pairing u with v now, with coverage counted against the bound rather than absolutely: a
   * same-department pair the bound already allows for costs nothing extra, one that loses coverage
   * pays for what it loses. (Counting it absolutely would make every forced same-department step look
   * like a failure and trigger a full scan.)
   */
  private stepCost(u: number, v: number): number {
    const du = this.m.dept[u] as number;
    const dv = this.m.dept[v] as number;
    const absolute = membersCost(this.m, u, v) - (du === dv ? 2 * COST.UNCOVERED : 0);
    return absolute + this.loss(du, dv) * COST.UNCOVERED;
  }

  /** The cheapest partner found for `u` among sampled safe candidates (or -1 when none is allowed). */
  bestPartner(u: number, rng: () => number, neighbours: Int32Array[]): number {
    const m = this.m;
    const du = m.dept[u] as number;
    const sameSafe = this.loss(du, du) === 0;
    // A department other than u's that is not the largest: if pairing with it is unsafe, only the
    // largest department(s) may take u's partner ("forced").
    const atMaxU = this.count[du] === this.maxCount ? 1 : 0;
    const r = this.size;
    const nonMaxAfter = (this.freq[this.maxCount] as number) - atMaxU > 0 ? this.maxCount : this.maxCount - 1;
    const crossSafe =
      boundFromSizes(r, this.maxCount) - 2 - boundFromSizes(r - 2, Math.max(0, nonMaxAfter)) <= 0;
    const forced: number[] = [];
    if (!crossSafe) {
      for (let d = this.head[this.maxCount] as number; d >= 0; d = this.next[d] as number) {
        if (d !== du) forced.push(d);
      }
      if (sameSafe) forced.push(du);
    }
    const useForced = forced.length > 0;

    let best = Number.POSITIVE_INFINITY;
    let bestV = -1;
    let good = 0;
    let probes = 0;
    const d = m.deptCount;
    const near = neighbours[m.off[u] as number] as Int32Array;
    for (let step = 0; step < near.length; step += 1) {
      const o = near[step] as number;
      let avail: number;
      if (useForced) {
        avail = 0;
        for (const x of forced) avail += this.sizeOf(o * d + x);
      } else {
        avail = this.offsetAlive[o] as number;
        if (!sameSafe) avail -= this.sizeOf(o * d + du);
      }
      if (o === m.off[u] && (useForced ? forced.includes(du) : sameSafe)) avail -= 1;
      if (avail <= 0) continue;
      const draws = Math.min(avail, GOOD_CANDIDATES - good + 1);
      for (let t = 0; t < draws && probes < MAX_PROBES; t += 1) {
        probes += 1;
        const v = useForced ? this.drawForced(o, forced, rng) : this.drawAny(o, du, sameSafe, rng);
        if (v < 0 || v === u) continue;
        const c = this.stepCost(u, v);
        if (c < best) {
          best = c;
          bestV = v;
        }
        if (c < TIER_FLOOR) good += 1;
      }
      if (good >= GOOD_CANDIDATES || probes >= MAX_PROBES) break;
    }
    // Sampling is a heuristic; coverage, "don't pair" lists and (in smaller pools) repeats get a
    // complete scan before we settle for a worse partner.
    if (best >= COST.UNCOVERED || (best >= COST.WINDOW && r <= REPEAT_SCAN_LIMIT)) {
      for (let p = 0; p < this.size; p += 1) {
        const v = this.alive[p] as number;
        if (v === u) continue;
        const c = this.stepCost(u, v);
        if (c < best) {
          best = c;
          bestV = v;
        }
      }
    }
    return best < Number.POSITIVE_INFINITY ? bestV : -1;
  }

  private sizeOf(key: number): number {
    const b = this.bucketKey.get(key);
    return b === undefined ? 0 : (this.bucketSize[b] as number);
  }

  private memberAt(b: number, rng: () => number): number {
    const size = this.bucketSize[b] as number;
    if (size === 0) return -1;
    return this.slots[(this.bucketStart[b] as number) + randomInt(rng, size)] as number;
  }

  private drawAny(o: number, du: number, sameOk: boolean, rng: () => number): number {
    const list = this.offsetBuckets[o] as number[];
    for (let tries = 0; tries < 4; tries += 1) {
      const b = list[randomInt(rng, list.length)];
      if (b === undefined) return -1;
      if (!sameOk && this.bucketDept[b] === du) continue;
      return this.memberAt(b, rng);
    }
    return -1;
  }

  private drawForced(o: number, forced: readonly number[], rng: () => number): number {
    const d = this.m.deptCount;
    let total = 0;
    for (const x of forced) total += this.sizeOf(o * d + x);
    let pick = randomInt(rng, total);
    for (const x of forced) {
      const s = this.sizeOf(o * d + x);
      if (pick < s) return this.memberAt(this.bucketKey.get(o * d + x) as number, rng);
      pick -= s;
    }
    return -1;
  }
}
