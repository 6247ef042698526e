import dns from 'node:dns'
import http from 'node:http'
import https from 'node:https'
import { BlockList, isIP, type LookupFunction } from 'node:net'
import { Invalid } from '#platform/errors.ts'

/**
 * Fetching a feed at an address an editor typed, without letting that address reach inside the council's
 * network (server-side request forgery). Every address a host name resolves to is checked, and the
 * connection goes to the addresses checked, so a second DNS answer cannot swap in another. Each redirect
 * is checked again, and every answer has a time and size limit.
 */
const MAX_BYTES = 5 * 1024 * 1024
const TIMEOUT_MS = 15_000
const MAX_REDIRECTS = 3
const REDIRECTS = new Set([301, 302, 303, 307, 308])

export const HTTPS_ONLY = 'Enter the feed’s web address, starting with https://'
export const NOT_PUBLIC = 'Enter the address of a feed on the public internet, not a private or local network'
const REDIRECTED_TO_HTTP = 'The feed redirected to an address that does not start with https://'
const TOO_BIG = 'The feed sent more than 5 MB in one answer'

// IANA's special-purpose IPv4 ranges: none of them is a public unicast address.
const notPublicV4 = new BlockList()
for (const [net, bits] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, where cloud metadata answers
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  notPublicV4.addSubnet(net, bits, 'ipv4')

// Public IPv6 unicast lies in 2000::/3, so loopback, unique-local, link-local, multicast and IPv4-mapped
// addresses are all outside it. Inside it, these are set aside or carry an IPv4 address of their own.
const globalV6 = new BlockList()
globalV6.addSubnet('2000::', 3, 'ipv6')
const notPublicV6 = new BlockList()
for (const [net, bits] of [
  ['2001::', 23], // protocol assignments, Teredo
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4
  ['3fff::', 20], // documentation
] as const)
  notPublicV6.addSubnet(net, bits, 'ipv6')

/** Whether an IP address is public unicast. Anything else, or anything that is not an address, is not. */
export function isPublicAddress(address: string): boolean {
  switch (isIP(address)) {
    case 4:
      return !notPublicV4.check(address, 'ipv4')
    case 6:
      return globalV6.check(address, 'ipv6') && !notPublicV6.check(address, 'ipv6')
    default:
      return false
  }
}

export interface FetchRules {
  allowHttp: boolean
  allowAddress: (address: string) => boolean
}

/** Public https only, unless IMPORT_ALLOW_PRIVATE_HOSTS opens the Hub to feeds on its own network. */
export function fetchRules(allowPrivateHosts: boolean): FetchRules {
  return allowPrivateHosts
    ? { allowHttp: true, allowAddress: () => true }
    : { allowHttp: false, allowAddress: isPublicAddress }
}

/** The URL, if its scheme is allowed and its host is not an address the rules refuse. */
function checkedUrl(href: string, rules: FetchRules, schemeMessage: string): URL {
  const url = URL.canParse(href) ? new URL(href) : null
  if (!url || !(url.protocol === 'https:' || (rules.allowHttp && url.protocol === 'http:')))
    throw new Invalid(schemeMessage, 'url')
  // A host that is an address is connected to without a lookup, so it is checked here.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  if (isIP(host) && !rules.allowAddress(host)) throw new Invalid(NOT_PUBLIC, 'url')
  return url
}

/** dns.lookup that refuses a host if any of its addresses is refused, and hands on only those it checked. */
function guardedLookup(rules: FetchRules): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '')
      if (addresses.some((a) => !rules.allowAddress(a.address)))
        return callback(new Invalid(NOT_PUBLIC, 'url'), '')
      const [first] = addresses
      if (options.all || !first) return callback(null, addresses)
      callback(null, first.address, first.family)
    })
  }
}

async function readBody(res: http.IncomingMessage, url: URL): Promise<string> {
  const status = res.statusCode ?? 0
  if (status < 200 || status > 299) {
    res.resume()
    throw new Invalid(`The feed answered ${status} for ${url.href}`, 'url')
  }
  if (Number(res.headers['content-length']) > MAX_BYTES) {
    res.destroy()
    throw new Invalid(TOO_BIG, 'url')
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of res as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BYTES) throw new Invalid(TOO_BIG, 'url')
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * A client for one import: its own connection pools, whose every connection goes through the guarded
 * lookup. Close it when the import is done.
 */
export function feedFetcher(rules: FetchRules) {
  const lookup = guardedLookup(rules)
  const agents = {
    'http:': new http.Agent({ keepAlive: true, lookup }),
    'https:': new https.Agent({ keepAlive: true, lookup }),
  }

  function get(url: URL, signal: AbortSignal): Promise<http.IncomingMessage> {
    const client = url.protocol === 'https:' ? https : http
    const agent = agents[url.protocol as keyof typeof agents]
    return new Promise((resolve, reject) => {
      client.get(url, { agent, signal, headers: { accept: 'application/json' } }, resolve).on('error', reject)
    })
  }

  return {
    /** The body of the answer at `href`, following a few redirects, each checked like the first address. */
    async getText(href: string): Promise<string> {
      const signal = AbortSignal.timeout(TIMEOUT_MS)
      let url = checkedUrl(href, rules, HTTPS_ONLY)
      for (let hop = 0; ; hop++) {
        const res = await get(url, signal)
        const location = res.headers.location
        if (!REDIRECTS.has(res.statusCode ?? 0) || !location) return readBody(res, url)
        res.resume()
        if (hop === MAX_REDIRECTS) throw new Invalid('The feed redirected too many times', 'url')
        url = checkedUrl(new URL(location, url).href, rules, REDIRECTED_TO_HTTP)
      }
    },

    close() {
      for (const agent of Object.values(agents)) agent.destroy()
    },
  }
}

export type FeedFetcher = ReturnType<typeof feedFetcher>
