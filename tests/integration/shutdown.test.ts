import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { after, test } from 'node:test'
import { APP_ROOT } from '#tests/support/hub.ts'

const started: ChildProcess[] = []
// A test that fails half-way must not leave a Hub running: its pipes would keep the test file alive.
after(() => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL')
})

/** Starts `src/main.ts` as `npm start` does, and waits until it answers. */
async function startHub(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: APP_ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  started.push(child)
  let output = ''
  child.stdout?.on('data', (d) => {
    output += d
  })
  child.stderr?.on('data', (d) => {
    output += d
  })
  // Up to a minute: on a busy two-core machine compiling and starting takes a while.
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return { child, port, output: () => output }
    } catch {}
    await new Promise((r) => setTimeout(r, 100))
  }
  child.kill('SIGKILL')
  throw new Error(`The Hub did not start:\n${output}`)
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

test('first start creates the database, loads reference data once, and prints the setup link', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-start-'))
  const env = { DATABASE_URL: path.join(dir, 'hub.sqlite') }
  const first = await startHub(env)
  // The link is printed just after the port opens: on a busy machine /readyz can answer before it is.
  for (let i = 0; i < 100 && !/No accounts yet/.test(first.output()); i++)
    await new Promise((r) => setTimeout(r, 100))
  assert.match(
    first.output(),
    /Create the first administrator within 24 hours at:\s+http:\/\/127\.0\.0\.1:\d+\/staff\/setup\/\S+/,
  )
  // The link stands on a line of its own, framed, among the JSON log lines.
  assert.match(
    first.output(),
    /^={72}\nNo accounts yet\.[^\n]*\n\n {2}http:\/\/127\.0\.0\.1:\d+\/staff\/setup\/\S+\n\n/m,
  )
  const home = await (await fetch(`http://127.0.0.1:${first.port}/`)).text()
  assert.match(home, /Brompton Library/)
  first.child.kill('SIGTERM')
  await new Promise((r) => first.child.once('exit', r))

  const second = await startHub(env)
  const again = await (await fetch(`http://127.0.0.1:${second.port}/`)).text()
  assert.equal(again.match(/Brompton Library/g)?.length, 1, 'a restart does not duplicate reference data')
  second.child.kill('SIGTERM')
  await new Promise((r) => second.child.once('exit', r))
})

test('on SIGTERM the Hub finishes the request in flight, then exits cleanly', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-stop-'))
  const { child, port } = await startHub({ DATABASE_URL: path.join(dir, 'hub.sqlite') })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))

  // A form post whose body is still arriving when the signal comes.
  const body = 'email=someone%40example.org&password=x'
  const socket = net.connect(port, '127.0.0.1')
  await new Promise((r) => socket.once('connect', r))
  let answer = ''
  socket.on('data', (d) => {
    answer += d
  })
  socket.write(
    `POST /staff/sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`,
  )
  await new Promise((r) => setTimeout(r, 200))
  child.kill('SIGTERM')
  await new Promise((r) => setTimeout(r, 300))
  socket.end(body.slice(10))
  await new Promise((r) => socket.once('close', r))

  // Without a CSRF token the form is refused, but it is answered: the request was not cut off.
  assert.match(answer, /^HTTP\/1\.1 403/)
  assert.equal(await exited, 0)
})

test('with WEB_CONCURRENCY=2 two app processes share the port and all stop on SIGTERM', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-cluster-'))
  const { child, port, output } = await startHub({
    DATABASE_URL: path.join(dir, 'hub.sqlite'),
    WEB_CONCURRENCY: '2',
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  try {
    // The second process may still be starting when the first answers: ask until both have.
    const pids = new Set<string>()
    const deadline = Date.now() + 30_000
    while (pids.size < 2 && Date.now() < deadline) {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, { headers: { connection: 'close' } })
      assert.equal(res.status, 200)
      pids.add(String((await res.json()).pid))
      await new Promise((r) => setTimeout(r, 50))
    }
    assert.equal(pids.size, 2, 'requests were answered by two processes')
    assert.equal(
      output().match(/Create the first administrator/g)?.length,
      1,
      'the setup link is printed once',
    )
    child.kill('SIGTERM')
    assert.equal(await exited, 0)
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL')
  }
})

test("during the grace period after SIGTERM, new requests get the Hub's 503 page and /readyz says 503", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-grace-'))
  const { child, port } = await startHub({
    DATABASE_URL: path.join(dir, 'hub.sqlite'),
    SHUTDOWN_GRACE_SECONDS: '2',
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const signalled = Date.now()
  child.kill('SIGTERM')
  await new Promise((r) => setTimeout(r, 300))
  const ready = await fetch(`http://127.0.0.1:${port}/readyz`, { headers: { connection: 'close' } })
  assert.equal(ready.status, 503)
  assert.deepEqual(await ready.json(), { status: 'shutting down' })
  const page = await fetch(`http://127.0.0.1:${port}/find-help`, { headers: { connection: 'close' } })
  assert.equal(page.status, 503)
  assert.equal(page.headers.get('retry-after'), '10')
  assert.equal(page.headers.get('connection'), 'close')
  assert.match(await page.text(), /Sorry, the service is unavailable/)
  assert.equal(await exited, 0)
  assert.ok(Date.now() - signalled >= 2000, 'it waited out the grace period')
})
