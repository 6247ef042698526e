/**
 * Public pages that are the same for everyone not signed in (the directory's search and listings), kept
 * as HTML per version of the data behind them, language and address, so that a search many residents
 * make is not worked out and rendered again for each of them. A route opts in with `config.pageVersion`,
 * which answers the version of its data: when the data changes the key does, so an old page is never
 * served. Each response needs its own CSP nonce, so a page is kept with its nonce cut out and gets a new
 * one each time it is sent. The least recently used page goes first when the cache is full.
 */
export class PageCache {
  private readonly pages = new Map<string, string[]>()

  constructor(private readonly maxPages = 500) {}

  get(key: string, nonce: string): string | undefined {
    const parts = this.pages.get(key)
    if (!parts) return undefined
    this.pages.delete(key)
    this.pages.set(key, parts)
    return parts.join(nonce)
  }

  set(key: string, html: string, nonce: string): void {
    this.pages.delete(key)
    this.pages.set(key, html.split(nonce))
    if (this.pages.size > this.maxPages) this.pages.delete(this.pages.keys().next().value as string)
  }
}
