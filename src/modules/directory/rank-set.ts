/**
 * A set of services by their rank (their place in name order), one bit each: a search combines its
 * filters as whole sets, 32 services a step, instead of asking each of thousands of services in turn.
 */
export type RankSet = Uint32Array

export const rankSet = {
  empty(size: number): RankSet {
    return new Uint32Array((size + 31) >>> 5)
  },

  /** Every rank below `size`. */
  all(size: number): RankSet {
    const set = new Uint32Array((size + 31) >>> 5).fill(0xffffffff)
    const spare = set.length * 32 - size
    if (spare) set[set.length - 1] = 0xffffffff >>> spare
    return set
  },

  add(set: RankSet, rank: number): void {
    set[rank >>> 5] = (set[rank >>> 5] as number) | (1 << (rank & 31))
  },

  remove(set: RankSet, rank: number): void {
    set[rank >>> 5] = (set[rank >>> 5] as number) & ~(1 << (rank & 31))
  },

  has(set: RankSet, rank: number): boolean {
    return ((set[rank >>> 5] as number) & (1 << (rank & 31))) !== 0
  },

  /** Keeps in `set` only what `other` has too. */
  keepOnly(set: RankSet, other: RankSet | undefined): void {
    if (!other) set.fill(0)
    else for (let i = 0; i < set.length; i++) set[i] = (set[i] as number) & (other[i] as number)
  },

  /** Adds to `set` all that `other` has. */
  addAll(set: RankSet, other: RankSet): void {
    for (let i = 0; i < set.length; i++) set[i] = (set[i] as number) | (other[i] as number)
  },

  count(set: RankSet): number {
    let n = 0
    for (let word of set) {
      word -= (word >>> 1) & 0x55555555
      word = (word & 0x33333333) + ((word >>> 2) & 0x33333333)
      n += (((word + (word >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24
    }
    return n
  },

  /** The ranks in order, skipping the first `skip`, at most `most` of them. */
  ranks(set: RankSet, skip = 0, most = Number.POSITIVE_INFINITY): number[] {
    const out: number[] = []
    for (let i = 0; i < set.length && out.length < most; i++) {
      let word = set[i] as number
      while (word !== 0 && out.length < most) {
        const bit = 31 - Math.clz32(word & -word)
        word &= word - 1
        if (skip > 0) skip--
        else out.push(i * 32 + bit)
      }
    }
    return out
  },
}
