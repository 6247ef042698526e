/**
 * Child processes for the benchmark: the Hub and the bare Fastify ceiling each run in their own
 * process, so the load generator never shares their event loop. Every child is remembered and killed
 * on the way out, whatever happened.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'

export interface Child {
  name: string
  pid: number
  baseUrl: string
  process: ChildProcess
  /** The last lines the child wrote, for the error message when it fails. */
  output: () => string
}

const children = new Set<ChildProcess>()

/** A port nobody is listening on now, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

/**
 * Starts `node --import tsx <script>` (what `tsx <script>` does, minus tsx's own wrapper process, so
 * the pid is the server's own and /proc/<pid>/status shows its memory).
 */
export function startChild(
  name: string,
  script: string,
  opts: { port: number; env: Record<string, string>; nodeArgs?: string[]; cwd: string },
): Child {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', script], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  child.on('exit', () => children.delete(child))
  const lines: string[] = []
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n'))
    lines.splice(0, Math.max(0, lines.length - 40))
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  if (child.pid === undefined) throw new Error(`${name} did not start`)
  return {
    name,
    pid: child.pid,
    baseUrl: `http://127.0.0.1:${opts.port}`,
    process: child,
    output: () => lines.filter((l) => l.trim()).join('\n'),
  }
}

/** Polls `path` until it answers 200; fails when the child exits or the time is up. */
export async function waitUntilReady(child: Child, path: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    if (child.process.exitCode !== null)
      throw new Error(`${child.name} exited with ${child.process.exitCode}:\n${child.output()}`)
    try {
      const res = await fetch(child.baseUrl + path, { signal: AbortSignal.timeout(1000) })
      if (res.status === 200) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150))
  }
  throw new Error(`${child.name} was not ready within ${timeoutMs / 1000} s:\n${child.output()}`)
}

/** A process and its children (the Hub's app processes when WEB_CONCURRENCY > 1), from /proc. */
function processTree(pid: number): number[] {
  const tree = [pid]
  for (const entry of fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (parent === pid) tree.push(Number(entry))
    } catch {}
  }
  return tree
}

function sumOver(pid: number, one: (p: number) => number | null): number | null {
  const values = processTree(pid).map(one)
  return values.every((v) => v === null) ? null : values.reduce<number>((a, v) => a + (v ?? 0), 0)
}

/** Resident memory of a process and its children in bytes, from /proc (null where there is no /proc). */
export function rssOf(pid: number): number | null {
  return sumOver(pid, (p) => statusBytes(p, 'VmRSS'))
}

/** The most resident memory each of them has had since it started, summed (VmHWM). */
export function peakRssOf(pid: number): number | null {
  return sumOver(pid, (p) => statusBytes(p, 'VmHWM'))
}

function statusBytes(pid: number, field: string): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = status.match(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm'))?.[1]
    return kb ? Number(kb) * 1024 : null
  } catch {
    return null
  }
}

/** CPU time (user + system) a process and its children have used so far, in ms, from /proc. */
export function cpuMsOf(pid: number): number | null {
  return sumOver(pid, (p) => {
    try {
      // Fields after the command name, which is in parentheses and may hold spaces.
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const ticks = Number(fields[11]) + Number(fields[12])
      return Number.isFinite(ticks) ? ticks * TICK_MS : null
    } catch {
      return null
    }
  })
}
/** Linux's USER_HZ is 100 on every architecture Node runs on. */
const TICK_MS = 10

/** SIGTERM (the Hub drains and exits), then SIGKILL for any child still there after `graceMs`. */
export async function stopChildren(graceMs = 5000): Promise<void> {
  const running = [...children].filter((c) => c.exitCode === null && c.signalCode === null)
  await Promise.all(
    running.map(
      (c) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            c.kill('SIGKILL')
            resolve()
          }, graceMs)
          c.once('exit', () => {
            clearTimeout(timer)
            resolve()
          })
          c.kill('SIGTERM')
        }),
    ),
  )
}

/** Last resort on a synchronous exit: no time to wait, so SIGKILL. */
export function killChildrenNow(): void {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
}

/**
 * Asks a process started with --heapsnapshot-signal=SIGUSR2 --diagnostic-dir=<dir> for a heap snapshot and
 * waits until it is written whole (V8 writes one JSON object: it ends with `}`); answers its path.
 */
export async function heapSnapshot(pid: number, dir: string, timeoutMs = 180_000): Promise<string> {
  const snapshots = () => new Set(fs.readdirSync(dir).filter((f) => f.endsWith('.heapsnapshot')))
  const before = snapshots()
  process.kill(pid, 'SIGUSR2')
  const end = Date.now() + timeoutMs
  let last = -1
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, 1000))
    const file = [...snapshots()].find((f) => !before.has(f))
    if (!file) continue
    const full = `${dir}/${file}`
    const size = fs.statSync(full).size
    if (size > 0 && size === last) {
      const tail = Buffer.alloc(16)
      const fd = fs.openSync(full, 'r')
      fs.readSync(fd, tail, 0, 16, Math.max(0, size - 16))
      fs.closeSync(fd)
      if (tail.toString().trimEnd().endsWith('}')) return full
    }
    last = size
  }
  throw new Error(`no heap snapshot of process ${pid} within ${timeoutMs / 1000} s`)
}
