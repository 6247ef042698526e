/**
 * The stock page's figures kept for one version of the stock (`device_stock_version`, which triggers move in
 * the same transaction as every write to devices and allocations): counted once after each change, in each
 * process, rather than on every page. A figure is kept under a key naming everything it depends on (the
 * caller's boroughs, the filter, the day), so no one is shown another borough's figures.
 */
export function keptPerVersion(most: number) {
  let version = -1
  let kept = new Map<string, Promise<unknown>>()

  return {
    /**
     * The figure for `key` as of version `current`, read before calling: what `count` reads is then never
     * older than that version. A caller with an older version than the one kept (another request saw a
     * later write) counts for itself and keeps nothing.
     */
    get<T>(current: number, key: string, count: () => Promise<T>): Promise<T> {
      if (current < version) return count()
      if (current > version) {
        version = current
        kept = new Map()
      }
      const found = kept.get(key) as Promise<T> | undefined
      if (found) return found
      if (kept.size >= most) kept.clear()
      const counting = count()
      kept.set(key, counting)
      // A count that failed (the database away) is not kept: the next page tries again.
      counting.catch(() => {
        if (kept.get(key) === counting) kept.delete(key)
      })
      return counting
    },
  }
}

export type KeptPerVersion = ReturnType<typeof keptPerVersion>
