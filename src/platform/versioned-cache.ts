/**
 * What a page reads, kept per version of its data and per key, in each process: a version is a counter
 * that triggers move in the same transaction as every write to the tables the data is read from (one
 * primary-key read a request). The caller reads the version before the data, so what is kept is never
 * older than the version it is kept under. A newer version empties the cache; a request that read an
 * older version than the one kept (another has seen a later write) reads for itself and keeps nothing.
 *
 * A key must name everything the data depends on (the reader's boroughs, the filter, the day), so no one
 * is shown what another may not see. What is kept is shared by every request asking the same, so callers
 * only read it. Requests asking at once share one read; a read that fails is not kept.
 */
export class VersionedCache<T = unknown> {
  private version = -1
  private readonly kept = new Map<string, Promise<T>>()

  constructor(private readonly most = 100) {}

  /** The value of `key` at `version` (read by the caller before calling), read by `read` if not kept. */
  get<R extends T>(version: number, key: string, read: () => Promise<R>): Promise<R> {
    if (version < this.version) return read()
    if (version > this.version) {
      this.version = version
      this.kept.clear()
    }
    const found = this.kept.get(key) as Promise<R> | undefined
    if (found) return found
    // Keys asked for one by one (dates, pages) could grow it without end: the oldest kept goes first.
    if (this.kept.size >= this.most) this.kept.delete(this.kept.keys().next().value as string)
    const reading = read()
    this.kept.set(key, reading)
    reading.catch(() => {
      if (this.kept.get(key) === reading) this.kept.delete(key)
    })
    return reading
  }
}
