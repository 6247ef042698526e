/**
 * An administrator for the benchmark, made the way an operator would (the `hub` command line, or the
 * accounts service it wraps while the command line does not exist yet), then signed in through the
 * real sign-in form over HTTP.
 */

import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { servicesOf } from '#modules/index.ts'

export interface Administrator {
  email: string
  password: string
  name: string
  /** Roles besides administrator (the triage queue needs a triage officer of both boroughs). */
  roles?: string[]
  /** False for an account with only `roles` (a partnership lead who is not an administrator). */
  administrator?: boolean
  /** Only `roles`, without administrator, in this one borough (by code): a member of staff, not an administrator. */
  staffOf?: string
}

function rolesOf(admin: Administrator): string[] {
  const plain = admin.administrator === false || admin.staffOf !== undefined
  return [...(plain ? [] : ['administrator']), ...(admin.roles ?? [])]
}

/** Creates the account in the Hub's database; answers how it was made. */
export async function createAdministrator(
  root: string,
  env: Record<string, string>,
  admin: Administrator,
): Promise<string> {
  if (fs.existsSync(path.join(root, 'src/cli.ts'))) {
    await createWithCli(root, env, admin)
    return 'npm run hub -- create-user'
  }
  await createWithService(env, admin)
  return 'accounts service (src/cli.ts not there yet)'
}

function createWithCli(root: string, env: Record<string, string>, admin: Administrator): Promise<void> {
  const args = ['run', '--silent', 'hub', '--', 'create-user', '--email', admin.email, '--name', admin.name]
  args.push('--role', rolesOf(admin).join(','), '--borough', admin.staffOf ?? 'all', '--password-stdin')
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, {
      cwd: root,
      env: { ...process.env, ...env, WORKER: 'off' },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString()
    })
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString()
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('error', reject)
    child.on('exit', (code) => {
      clearTimeout(timer)
      if (code === 0) resolve()
      else reject(new Error(`hub create-user exited with ${code}:\n${output}`))
    })
    child.stdin.end(`${admin.password}\n`)
  })
}

async function createWithService(env: Record<string, string>, admin: Administrator): Promise<void> {
  if (admin.staffOf) throw new Error('a member of staff of one borough is made with the hub command line')
  // Imported here so that the benchmark does not load the whole app when the command line exists.
  const { buildApp } = await import('../../src/app.ts')
  const { loadConfig } = await import('../../src/platform/config.ts')
  const { openDatabase } = await import('../../src/platform/database.ts')
  const config = loadConfig({ ...env, WORKER: 'off', LOG_LEVEL: 'silent' })
  const database = openDatabase(config.DATABASE_URL)
  try {
    const hub = await buildApp({ config, database, logger: false })
    await servicesOf(hub).accounts.createUser(
      {
        name: admin.name,
        email: admin.email,
        password: admin.password,
        roles: rolesOf(admin),
        allBoroughs: true,
        boroughIds: [],
      },
      { userId: null, actor: 'cli', ip: null, requestId: null },
    )
    await hub.app.close()
  } finally {
    await database.close()
  }
}

/**
 * Signs in through GET and POST of the sign-in form (the Hub's, or the baseline's); answers the Cookie
 * header of the signed-in session.
 */
export async function signIn(
  baseUrl: string,
  admin: Administrator,
  form: { path: string; sessionCookie: string } = { path: '/staff/sign-in', sessionCookie: 'hub_session' },
): Promise<string> {
  const page = await fetch(`${baseUrl}${form.path}`, { signal: AbortSignal.timeout(10_000) })
  const html = await page.text()
  const token = html.match(/name="_csrf" value="([^"]+)"/)?.[1]
  if (page.status !== 200 || !token)
    throw new Error(`The sign-in page answered ${page.status} without a token`)
  const jar = new Map<string, string>()
  takeCookies(page.headers, jar)

  const answers = new URLSearchParams({ email: admin.email, password: admin.password, _csrf: token })
  const res = await fetch(`${baseUrl}${form.path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
    body: answers.toString(),
    signal: AbortSignal.timeout(10_000),
  })
  takeCookies(res.headers, jar)
  if (res.status !== 303 || !jar.has(form.sessionCookie))
    throw new Error(
      `Sign-in answered ${res.status}${jar.has(form.sessionCookie) ? '' : ' with no session cookie'}`,
    )
  return cookieHeader(jar)
}

function takeCookies(headers: Headers, jar: Map<string, string>): void {
  for (const line of headers.getSetCookie()) {
    const [pair = ''] = line.split(';')
    const at = pair.indexOf('=')
    if (at > 0) jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim())
  }
}

function cookieHeader(jar: Map<string, string>): string {
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
}
