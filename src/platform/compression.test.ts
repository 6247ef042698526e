import assert from 'node:assert/strict'
import { test } from 'node:test'
import zlib from 'node:zlib'
import Fastify from 'fastify'
import { acceptedEncoding, compressResponses } from './compression.ts'

const page = `<!DOCTYPE html><p>${'Digital help at your library. '.repeat(200)}</p>`

async function app() {
  const server = Fastify()
  compressResponses(server)
  server.get('/page', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page))
  server.get('/small', async (_request, reply) => reply.type('text/html').send('<p>short</p>'))
  // 400 characters, 1,200 bytes: over the threshold, which counts bytes.
  server.get('/dashes', async (_request, reply) => reply.type('text/html').send('–'.repeat(400)))
  server.get('/json', async () => ({ services: Array.from({ length: 300 }, (_, i) => ({ id: i })) }))
  server.get('/image', async (_request, reply) => reply.type('image/png').send(Buffer.alloc(4096)))
  server.get('/vary', async (_request, reply) => reply.header('vary', 'cookie').type('text/html').send(page))
  return server
}

test('Accept-Encoding: brotli first, then gzip, a q of 0 refuses, * counts', () => {
  assert.equal(acceptedEncoding('gzip, deflate, br'), 'br')
  assert.equal(acceptedEncoding('gzip, br;q=0'), 'gzip')
  assert.equal(acceptedEncoding('br;q=0, gzip;q=0'), null)
  assert.equal(acceptedEncoding('identity'), null)
  assert.equal(acceptedEncoding('*'), 'br')
  assert.equal(acceptedEncoding('*;q=0, gzip'), 'gzip')
  assert.equal(acceptedEncoding(undefined), null)
})

test('a page is sent as brotli or gzip as the browser takes, and reads back the same', async () => {
  const server = await app()
  const br = await server.inject({ url: '/page', headers: { 'accept-encoding': 'gzip, br' } })
  assert.equal(br.headers['content-encoding'], 'br')
  assert.equal(br.headers.vary, 'accept-encoding')
  assert.equal(zlib.brotliDecompressSync(br.rawPayload).toString(), page)
  assert.ok(br.rawPayload.length < page.length / 5)

  const gz = await server.inject({ url: '/page', headers: { 'accept-encoding': 'gzip' } })
  assert.equal(gz.headers['content-encoding'], 'gzip')
  assert.equal(zlib.gunzipSync(gz.rawPayload).toString(), page)

  const plain = await server.inject({ url: '/page' })
  assert.equal(plain.headers['content-encoding'], undefined)
  assert.equal(plain.headers.vary, 'accept-encoding', 'a cache must still keep the two apart')
  assert.equal(plain.body, page)
})

test('JSON and bodies over 1 KB are compressed; small bodies, images and HEAD are not; Vary keeps what was there', async () => {
  const server = await app()
  const json = await server.inject({ url: '/json', headers: { 'accept-encoding': 'br' } })
  assert.equal(json.headers['content-encoding'], 'br')
  assert.equal(JSON.parse(zlib.brotliDecompressSync(json.rawPayload).toString()).services.length, 300)
  for (const url of ['/small', '/image']) {
    const r = await server.inject({ url, headers: { 'accept-encoding': 'br' } })
    assert.equal(r.headers['content-encoding'], undefined, url)
  }
  const dashes = await server.inject({ url: '/dashes', headers: { 'accept-encoding': 'br' } })
  assert.equal(dashes.headers['content-encoding'], 'br')
  assert.equal(zlib.brotliDecompressSync(dashes.rawPayload).toString(), '–'.repeat(400))
  const head = await server.inject({ method: 'HEAD', url: '/page', headers: { 'accept-encoding': 'br' } })
  assert.equal(head.headers['content-encoding'], undefined)
  const vary = await server.inject({ url: '/vary', headers: { 'accept-encoding': 'br' } })
  assert.equal(vary.headers.vary, 'cookie, accept-encoding')
})
