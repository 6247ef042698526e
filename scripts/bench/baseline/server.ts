/**
 * The baseline: the stack a council team would otherwise pick (Express 5, helmet with a CSP nonce,
 * express-session with a SQLite store, csrf-sync, Nunjucks with govuk-frontend), written as such a team
 * would, signing in against the Hub's accounts and rendering the triage queue's first page (the 25
 * newest requests of one borough with their needs, and the total) from the same generated database.
 * Started by scripts/bench.ts with PORT, DATABASE_URL and SESSION_DATABASE set; not run by hand.
 */
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import Database from 'better-sqlite3'
import sqliteStore from 'better-sqlite3-session-store'
import { csrfSync } from 'csrf-sync'
import express from 'express'
import session from 'express-session'
import helmet from 'helmet'
import nunjucks from 'nunjucks'
import { verifyPassword } from '../../../src/modules/accounts/password.ts'

declare module 'express-session' {
  interface SessionData {
    userId: string
  }
}

const root = path.resolve(import.meta.dirname, '../../..')
const db = new Database(process.env.DATABASE_URL as string, { readonly: true })
const sessions = new Database(process.env.SESSION_DATABASE as string)
sessions.pragma('journal_mode = WAL')
const SqliteStore = sqliteStore(session)

const views = nunjucks.configure(
  [path.join(import.meta.dirname, 'views'), path.join(root, 'node_modules/govuk-frontend/dist')],
  { autoescape: true, noCache: false },
)

const byEmail = db.prepare('SELECT id, password_hash FROM users WHERE email = ? AND disabled_at IS NULL')
const userById = db.prepare('SELECT id, name FROM users WHERE id = ?')
const firstBorough = db.prepare('SELECT id, name FROM boroughs ORDER BY code LIMIT 1')
const newest = db.prepare(
  `SELECT id, reference, resident_name, postcode, status, assigned_name, created_at
     FROM referrals WHERE borough_id = ? ORDER BY created_at DESC, id DESC LIMIT 25`,
)
const countOf = db.prepare('SELECT count(*) AS n FROM referrals WHERE borough_id = ?')

const { csrfSynchronisedProtection, generateToken } = csrfSync({
  getTokenFromRequest: (req) => (req.body as { _csrf?: string } | undefined)?._csrf,
})

const app = express()
app.disable('x-powered-by')
app.use((_req, res, next) => {
  res.locals.cspNonce = randomBytes(16).toString('base64')
  next()
})
app.use(
  helmet({
    contentSecurityPolicy: {
      directives: {
        scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`],
      },
    },
  }),
)
app.use(express.urlencoded({ extended: false }))
app.use(
  session({
    store: new SqliteStore({ client: sessions, expired: { clear: true, intervalMs: 900_000 } }),
    secret: randomBytes(32).toString('hex'),
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax' },
  }),
)

app.get('/sign-in', (req, res) => {
  // The sign-in form is the one page that needs a session before anyone signs in (for its CSRF token).
  res.send(
    views.render('sign-in.njk', { csrfToken: generateToken(req, true), cspNonce: res.locals.cspNonce }),
  )
})

app.post('/sign-in', csrfSynchronisedProtection, async (req, res, next) => {
  const { email, password } = req.body as { email?: string; password?: string }
  const user = byEmail.get(String(email ?? '').toLowerCase()) as
    | { id: string; password_hash: string }
    | undefined
  if (!user || !(await verifyPassword(user.password_hash, String(password ?? '')))) {
    res.status(400).send(views.render('sign-in.njk', { error: true, csrfToken: generateToken(req) }))
    return
  }
  req.session.regenerate((error) => {
    if (error) return next(error)
    req.session.userId = user.id
    res.redirect(303, '/queue')
  })
})

app.get('/queue', (req, res) => {
  const user = req.session.userId
    ? (userById.get(req.session.userId) as { name: string } | undefined)
    : undefined
  if (!user) return res.redirect(303, '/sign-in')
  const borough = firstBorough.get() as { id: string; name: string }
  const rows = newest.all(borough.id) as { id: string }[]
  const needs = rows.length
    ? (db
        .prepare(
          `SELECT referral_id, kind, status FROM referral_needs WHERE referral_id IN (${rows.map(() => '?').join(',')})`,
        )
        .all(...rows.map((r) => r.id)) as { referral_id: string; kind: string; status: string }[])
    : []
  const { n } = countOf.get(borough.id) as { n: number }
  res.send(
    views.render('queue.njk', {
      user,
      borough,
      total: n,
      rows: rows.map((r) => ({ ...r, needs: needs.filter((x) => x.referral_id === r.id) })),
      cspNonce: res.locals.cspNonce,
      csrfToken: generateToken(req),
    }),
  )
})

const server = app.listen(Number(process.env.PORT), '127.0.0.1')
const stop = () => server.close(() => process.exit(0))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
