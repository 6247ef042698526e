/**
 * What a page reads, computed once per version of its data (a counter that triggers move in the same
 * transaction as every write to the tables it is read from) and per key: the figures (figures.service.ts)
 * and the round sheet's stops (round.service.ts). The caller reads the version before the data, so what is
 * kept is never older than the version it is kept under. A newer version empties it; a slower request
 * still computing for an older one does not store. What it keeps is shared by every request that asks
 * the same, so callers only read it.
 */
export class VersionedCache<T> {
  private version = -1
  private readonly kept = new Map<string, T>()

  constructor(private readonly limit = 100) {}

  get(version: number, key: string): T | undefined {
    return version === this.version ? this.kept.get(key) : undefined
  }

  keep(version: number, key: string, value: T): T {
    if (version < this.version) return value
    if (version > this.version) {
      this.kept.clear()
      this.version = version
    }
    // Dates asked for one by one could grow it without end: the oldest kept goes first.
    if (this.kept.size >= this.limit) this.kept.delete(this.kept.keys().next().value as string)
    this.kept.set(key, value)
    return value
  }
}
