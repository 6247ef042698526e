import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { Invalid } from '#platform/errors.ts'
import {
  type FetchRules,
  feedFetcher,
  fetchRules,
  HTTPS_ONLY,
  isPublicAddress,
  NOT_PUBLIC,
} from './import-fetch.ts'

describe('which addresses a feed may be fetched from', () => {
  const table: [string, boolean][] = [
    ['8.8.8.8', true],
    ['1.1.1.1', true],
    ['81.2.69.160', true],
    ['11.0.0.1', true],
    ['172.15.255.255', true],
    ['172.32.0.0', true],
    ['100.63.255.255', true],
    ['100.128.0.0', true],
    ['2001:4860:4860::8888', true],
    ['2606:4700:4700::1111', true],
    ['2a00:1450:4009:81f::200e', true],
    ['127.0.0.1', false],
    ['127.255.255.254', false],
    ['0.0.0.0', false],
    ['10.0.0.1', false],
    ['172.16.0.1', false],
    ['172.31.255.255', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['100.127.255.255', false],
    ['192.0.2.1', false],
    ['198.18.0.1', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['::', false],
    ['::1', false],
    ['fc00::1', false],
    ['fd12:3456::1', false],
    ['fe80::1', false],
    ['fe80::1%eth0', false],
    ['ff02::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:a00:1', false],
    ['::ffff:169.254.169.254', false],
    ['64:ff9b::a00:1', false],
    ['2001::1', false],
    ['2001:db8::1', false],
    ['2002:a00:1::1', false],
    ['localhost', false],
    ['', false],
  ]
  for (const [address, allowed] of table)
    test(`${address || 'nothing'} is ${allowed ? 'public' : 'refused'}`, () => {
      assert.equal(isPublicAddress(address), allowed)
    })
})

describe('fetching a feed', () => {
  let server: http.Server
  let base: string
  const big = 'x'.repeat(5 * 1024 * 1024 + 1)

  before(async () => {
    server = http.createServer((req, res) => {
      const port = (server.address() as AddressInfo).port
      const redirects: Record<string, string> = {
        '/to-metadata': 'http://169.254.169.254/latest/meta-data',
        '/to-private': 'http://10.0.0.1/api',
        '/to-loopback-v6': `http://[::1]:${port}/ok`,
        '/to-relative': '/ok',
        '/loop': '/loop',
      }
      const location = redirects[req.url ?? '']
      if (location) return res.writeHead(302, { location }).end()
      if (req.url === '/big') return res.end(big)
      if (req.url === '/big-chunked') {
        res.write(big.slice(0, 1024))
        return res.end(big.slice(1024))
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(() => server.close())

  /** The message a fetch is refused with. */
  async function refusal(rules: FetchRules, href: string): Promise<string> {
    const fetcher = feedFetcher(rules)
    try {
      await fetcher.getText(href)
    } catch (error) {
      assert.ok(error instanceof Invalid, String(error))
      return error.message
    } finally {
      fetcher.close()
    }
    assert.fail(`expected ${href} to be refused`)
  }

  // The test server alone is allowed: every hop after it must be checked again.
  const onlyTheTestServer: FetchRules = { allowHttp: true, allowAddress: (a) => a === '127.0.0.1' }

  test('an allowed host is read, and a redirect to the same host is followed', async () => {
    const fetcher = feedFetcher(onlyTheTestServer)
    try {
      assert.equal(await fetcher.getText(`${base}/ok`), '{"ok":true}')
      assert.equal(await fetcher.getText(`${base}/to-relative`), '{"ok":true}')
    } finally {
      fetcher.close()
    }
  })

  test('a redirect to an address inside the network is refused', async () => {
    for (const path of ['/to-metadata', '/to-private', '/to-loopback-v6'])
      assert.equal(await refusal(onlyTheTestServer, `${base}${path}`), NOT_PUBLIC, path)
  })

  test('a host name is refused when an address it resolves to is', async () => {
    const port = (server.address() as AddressInfo).port
    const notLoopback: FetchRules = { allowHttp: true, allowAddress: (a) => !a.startsWith('127.') }
    assert.equal(await refusal(notLoopback, `http://localhost:${port}/ok`), NOT_PUBLIC)
  })

  test('redirects, size and scheme have limits', async () => {
    assert.equal(await refusal(onlyTheTestServer, `${base}/loop`), 'The feed redirected too many times')
    assert.equal(
      await refusal(onlyTheTestServer, `${base}/big`),
      'The feed sent more than 5 MB in one answer',
    )
    assert.equal(
      await refusal(onlyTheTestServer, `${base}/big-chunked`),
      'The feed sent more than 5 MB in one answer',
    )
    assert.equal(await refusal({ ...onlyTheTestServer, allowHttp: false }, `${base}/ok`), HTTPS_ONLY)
  })

  test('by default only public https addresses; IMPORT_ALLOW_PRIVATE_HOSTS opens the local network', async () => {
    assert.equal(await refusal(fetchRules(false), `${base}/ok`), HTTPS_ONLY)
    assert.equal(await refusal(fetchRules(false), `https://127.0.0.1:1/ok`), NOT_PUBLIC)
    const open = feedFetcher(fetchRules(true))
    try {
      assert.equal(await open.getText(`${base}/ok`), '{"ok":true}')
    } finally {
      open.close()
    }
  })
})
