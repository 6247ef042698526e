/**
 * Public pages that are the same for everyone not signed in (the directory's search and listings), kept
 * as HTML per version of the data behind them, language and address, so that a search many residents
 * make is not worked out and rendered again for each of them. A route opts in with `config.pageVersion`,
 * which answers the version of its data: when the data changes the key does, so an old page is never
 * served. Each response needs its own CSP nonce, so a page kept is cut at its nonce and gets a new one each
 * time it is sent. The least recently used page goes first when the cache is full.
 *
 * Bounded by the memory the pages take, not only by their number: a find-help page is some 25,000
 * characters, counted at two bytes a character, the most V8 takes (a page in a language written past
 * Latin-1 takes that; an English page one). 500 of them held 25 MB of the heap for good, which V8 doubles
 * by its heap growth between two collections (with two-byte pages, the bench ended with 17 MB more heap
 * at 8 MB than at 4 MB). The pages residents ask for most (a few searches, the sessions list) fit 4 MB
 * many times over; a search asked once is as cheap to render again as to keep.
 */
export class PageCache {
  private readonly pages = new Map<string, KeptPage>()
  private bytes = 0

  constructor(
    private readonly maxPages = 500,
    private readonly maxBytes = 4 * 1024 * 1024,
  ) {}

  get(key: string, nonce: string): string | undefined {
    const page = this.pages.get(key)
    if (!page) return undefined
    this.pages.delete(key)
    this.pages.set(key, page)
    if (page.nonce !== null) {
      page.parts = (page.parts[0] as string).split(page.nonce)
      page.nonce = null
    }
    return page.parts.join(nonce)
  }

  /**
   * Keeps the page as rendered with `nonce`: cut at its nonces only when first sent again, since most
   * pages kept (searches nobody made before) never are, and cutting 25,000 characters costs as much as
   * joining them.
   */
  set(key: string, html: string, nonce: string): void {
    const bytes = 2 * html.length
    if (bytes > this.maxBytes) return
    this.remove(key)
    this.pages.set(key, { parts: [html], nonce, bytes })
    this.bytes += bytes
    while (this.pages.size > this.maxPages || this.bytes > this.maxBytes)
      this.remove(this.pages.keys().next().value as string)
  }

  private remove(key: string): void {
    const page = this.pages.get(key)
    if (!page) return
    this.pages.delete(key)
    this.bytes -= page.bytes
  }
}

/** A page, in parts between its nonces; or whole, with the nonce it was rendered with, until sent again. */
interface KeptPage {
  parts: string[]
  nonce: string | null
  bytes: number
}
