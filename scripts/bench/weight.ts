/**
 * First-visit page weight: the page, then every stylesheet and script it references on the same
 * origin (and the modules those scripts import, and what stylesheets @import or url()), each fetched
 * with `accept-encoding: br, gzip` and counted as the compressed bytes of the body on the wire.
 * References to any other origin are counted as third-party origins.
 */
import http from 'node:http'
import zlib from 'node:zlib'

export interface Resource {
  url: string
  kind: 'html' | 'css' | 'js' | 'other'
  status: number
  encoding: string
  wireBytes: number
  bytes: number
}

export interface PageWeight {
  resources: Resource[]
  totals: Record<Resource['kind'], number>
  total: number
  thirdPartyOrigins: string[]
}

const ENCODING = 'br, gzip'

export async function pageWeight(pageUrl: string): Promise<PageWeight> {
  const origin = new URL(pageUrl).origin
  const thirdParty = new Set<string>()
  const seen = new Set<string>()
  const resources: Resource[] = []
  const queue: { url: string; kind: Resource['kind'] }[] = [{ url: pageUrl, kind: 'html' }]

  while (queue.length > 0) {
    const next = queue.shift()
    if (!next || seen.has(next.url)) continue
    seen.add(next.url)
    const { resource, text } = await fetchRaw(next.url, next.kind)
    resources.push(resource)
    const refs = next.kind === 'html' ? htmlRefs(text) : next.kind === 'css' ? cssRefs(text) : jsRefs(text)
    for (const ref of refs) {
      if (ref.url.startsWith('data:') || ref.url.startsWith('#')) continue
      const absolute = new URL(ref.url, next.url)
      if (absolute.origin !== origin) thirdParty.add(absolute.origin)
      else if (ref.kind) queue.push({ url: absolute.href, kind: ref.kind })
    }
  }

  const totals = { html: 0, css: 0, js: 0, other: 0 }
  for (const r of resources) totals[r.kind] += r.wireBytes
  return {
    resources,
    totals,
    total: totals.html + totals.css + totals.js + totals.other,
    thirdPartyOrigins: [...thirdParty],
  }
}

/** GET with node:http, which (unlike fetch) hands back the body as it came over the wire. */
function fetchRaw(url: string, kind: Resource['kind']): Promise<{ resource: Resource; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { 'accept-encoding': ENCODING }, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('error', reject)
      res.on('end', () => {
        const raw = Buffer.concat(chunks)
        const encoding = String(res.headers['content-encoding'] ?? 'identity')
        const body =
          encoding === 'br'
            ? zlib.brotliDecompressSync(raw)
            : encoding === 'gzip'
              ? zlib.gunzipSync(raw)
              : raw
        resolve({
          resource: {
            url,
            kind,
            status: res.statusCode ?? 0,
            encoding,
            wireBytes: raw.length,
            bytes: body.length,
          },
          text: body.toString('utf8'),
        })
      })
    })
    req.on('timeout', () => req.destroy(new Error(`${url} timed out`)))
    req.on('error', reject)
  })
}

interface Ref {
  url: string
  /** What to fetch it as; undefined: only checked for its origin (images, frames, links to pages). */
  kind?: Resource['kind']
}

/** src and href on script, link, img, iframe (and source, video, audio, embed, object data). */
function htmlRefs(html: string): Ref[] {
  const refs: Ref[] = []
  for (const tag of html.matchAll(/<(script|link|img|iframe|source|video|audio|embed|object)\b([^>]*)>/gi)) {
    const name = (tag[1] ?? '').toLowerCase()
    const attrs = tag[2] ?? ''
    const value = (attr: string) =>
      attrs
        .match(new RegExp(`\\b${attr}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i'))
        ?.slice(1)
        .find(Boolean)
    for (const attr of ['src', 'href', 'data', 'srcset']) {
      const url = value(attr)
      if (!url) continue
      const rel = (value('rel') ?? '').toLowerCase()
      const kind =
        name === 'script'
          ? 'js'
          : name === 'link' && rel.split(/\s+/).includes('stylesheet')
            ? 'css'
            : name === 'link' && rel.includes('modulepreload')
              ? 'js'
              : undefined
      refs.push({ url: attr === 'srcset' ? (url.trim().split(/\s+/)[0] ?? url) : url, kind })
    }
  }
  return refs
}

/** Static `import ... from '...'`, `import '...'` and `export ... from '...'` in a module script. */
function jsRefs(js: string): Ref[] {
  const refs: Ref[] = []
  for (const m of js.matchAll(/\b(?:import|export)\s*(?:[\w*{}\s,$]+\s*from\s*)?["']([^"']+)["']/g)) {
    const url = m[1] ?? ''
    if (url.startsWith('.') || url.startsWith('/') || /^https?:/.test(url)) refs.push({ url, kind: 'js' })
  }
  return refs
}

/** `@import` is fetched as a stylesheet; `url(...)` is only checked for its origin (fetched when used). */
function cssRefs(css: string): Ref[] {
  const refs: Ref[] = []
  for (const m of css.matchAll(/@import\s+(?:url\()?["']?([^"')\s;]+)/g))
    if (m[1]) refs.push({ url: m[1], kind: 'css' })
  for (const m of css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) if (m[1]) refs.push({ url: m[1] })
  return refs
}
