/** Any origin will do: only whether the parsed address stays on it matters. */
const OWN_ORIGIN = 'https://hub.invalid'

/**
 * The one check for every return address a request carries (`?back=`): a path of this site or `/`.
 * The value is parsed against the Hub's own origin, as a browser would resolve it, so `//evil`, `/\evil`,
 * `/%09/evil` and their kin resolve off-site and are refused; control characters (CR/LF in a header)
 * are refused before parsing.
 */
export function returnPath(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || hasControlOrBackslash(value)) return '/'
  let url: URL
  try {
    url = new URL(value, OWN_ORIGIN)
  } catch {
    return '/'
  }
  if (url.origin !== OWN_ORIGIN) return '/'
  const path = `${url.pathname}${url.search}${url.hash}`
  // A path that decodes to another authority (`/%2F%2Fevil`) is still a path here; `//` is not.
  return path.startsWith('//') ? '/' : path
}

function hasControlOrBackslash(value: string): boolean {
  for (const ch of value) {
    const code = ch.charCodeAt(0)
    if (code < 0x20 || code === 0x7f || ch === '\\') return true
  }
  return false
}
