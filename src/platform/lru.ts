/**
 * A map that keeps at most `most` entries: the one least recently read or written goes first. For what a
 * process keeps to save reading it again (services shown in full), where the data could outgrow memory.
 */
export class Lru<K, V> {
  private readonly entries = new Map<K, V>()

  constructor(private readonly most: number) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key)
    if (value === undefined) return undefined
    this.entries.delete(key)
    this.entries.set(key, value)
    return value
  }

  has(key: K): boolean {
    return this.entries.has(key)
  }

  set(key: K, value: V): void {
    this.entries.delete(key)
    this.entries.set(key, value)
    if (this.entries.size > this.most) this.entries.delete(this.entries.keys().next().value as K)
  }

  get size(): number {
    return this.entries.size
  }
}
