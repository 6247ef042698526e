import type { RoutePolicy } from '#platform/http.ts'

/**
 * Who may call a route: `public` (anyone), `signed-in` (any staff account), a permission (accounts whose
 * roles grant it), or `api-key` (declared `public` to the platform; the handler asks for a partner
 * organisation's Bearer key and answers 401 without one).
 */
export type Who = RoutePolicy['access'] | 'api-key'

/**
 * The access policy of the Hub: every route, by the module that owns it, and who may call it. Reviewed like
 * code: a change here is a change to who may see what. The access walk (access.test.ts) fails when a route
 * is missing here, when a row names no route, and when a route declares other access than its row; then it
 * checks that the running Hub answers as this table says, for every shipped role in both boroughs.
 *
 * A new route is one line in its module's group: `'METHOD /url/:param': who,`.
 */
export const ACCESS_POLICY = {
  platform: {
    'GET /healthz': 'public',
    'GET /readyz': 'public',
    'GET /cookies': 'public',
    'GET /privacy': 'public',
    'GET /accessibility': 'public',
    'GET /language': 'public',
    'GET /staff': 'signed-in',
    'GET /staff/outbox': 'outbox.view',
    'GET /staff/outbox/:id': 'outbox.view',
    'POST /staff/outbox/:id/retry': 'outbox.view',
    'GET /staff/audit': 'audit.view',
  },
  accounts: {
    'GET /staff/sign-in': 'public',
    'POST /staff/sign-in': 'public',
    'POST /staff/sign-out': 'signed-in',
    'GET /staff/signed-out': 'public',
    'GET /staff/setup/:token': 'public',
    'POST /staff/setup/:token': 'public',
    'GET /staff/invite/:token': 'public',
    'POST /staff/invite/:token': 'public',
    'GET /staff/account/password': 'signed-in',
    'POST /staff/account/password': 'signed-in',
    'GET /staff/users': 'users.manage',
    'GET /staff/users/new': 'users.manage',
    'POST /staff/users/new': 'users.manage',
    'GET /staff/users/:id': 'users.manage',
    'POST /staff/users/:id/access': 'users.manage',
    'POST /staff/users/:id/disable': 'users.manage',
    'POST /staff/users/:id/enable': 'users.manage',
  },
  directory: {
    'GET /': 'public',
    'GET /find-help': 'public',
    'GET /find-help/services/:id': 'public',
    'GET /find-help/places': 'public',
    'GET /find-help/places/:id': 'public',
    'GET /find-help/online': 'public',
    'GET /find-help/services/:id/report': 'public',
    'POST /find-help/services/:id/report': 'public',
    'GET /find-help/services/:id/report/sent': 'public',
    'GET /find-help/places/:id/report': 'public',
    'POST /find-help/places/:id/report': 'public',
    'GET /find-help/places/:id/report/sent': 'public',
    'GET /staff/directory': 'directory.edit',
    'GET /staff/directory/services/new': 'directory.edit',
    'POST /staff/directory/services/new': 'directory.edit',
    'GET /staff/directory/services/:id': 'directory.edit',
    'POST /staff/directory/services/:id': 'directory.edit',
    'GET /staff/directory/services/:id/places/:placeId': 'directory.edit',
    'POST /staff/directory/services/:id/places/:placeId': 'directory.edit',
    'GET /staff/directory/places/new': 'directory.edit',
    'POST /staff/directory/places/new': 'directory.edit',
    'GET /staff/directory/places/:id': 'directory.edit',
    'POST /staff/directory/places/:id': 'directory.edit',
    'POST /staff/directory/places/:id/exceptions': 'directory.edit',
    'POST /staff/directory/places/:id/exceptions/:exceptionId/delete': 'directory.edit',
    'GET /staff/directory/problems': 'directory.edit',
    'POST /staff/directory/problems/:id/resolve': 'directory.edit',
    'POST /staff/directory/reminders': 'directory.edit',
    'GET /staff/directory/import': 'directory.edit',
    'POST /staff/directory/import': 'directory.edit',
    'GET /staff/directory/export.zip': 'directory.edit',
    'OPTIONS /api/openreferral/*': 'public',
    'GET /api/openreferral': 'public',
    'GET /api/openreferral/services': 'public',
    'GET /api/openreferral/services/:id': 'public',
    'GET /api/openreferral/service_at_locations': 'public',
    'GET /api/openreferral/service_at_locations/:id': 'public',
    'GET /api/openreferral/taxonomies': 'public',
    'GET /api/openreferral/taxonomies/:id': 'public',
    'GET /api/openreferral/taxonomy_terms': 'public',
    'GET /api/openreferral/taxonomy_terms/:id': 'public',
  },
  referrals: {
    'GET /refer': 'public',
    'POST /refer/start': 'public',
    'GET /refer/no-consent': 'public',
    'GET /refer/out-of-area': 'public',
    'GET /refer/home-library-not-eligible': 'public',
    'POST /refer/home-library-not-eligible': 'public',
    'GET /refer/check': 'public',
    'POST /refer/check': 'public',
    'GET /refer/confirmation': 'public',
    'GET /refer/:page': 'public',
    'POST /refer/:page': 'public',
    'GET /track': 'public',
    'POST /track': 'public',
    'GET /staff/referrals': 'referrals.view',
    'POST /staff/referrals/search': 'referrals.view',
    'GET /staff/referrals/:id': 'referrals.view',
    'POST /staff/referrals/:id/needs/:needId': 'referrals.triage',
    'POST /staff/referrals/:id/contact': 'referrals.triage',
    'POST /staff/referrals/:id/notes': 'referrals.triage',
    'POST /staff/referrals/:id/assign': 'referrals.assign',
    'POST /staff/referrals/:id/transfer': 'referrals.triage',
    'POST /staff/referrals/:id/people/:otherId/merge': 'referrals.triage',
    'POST /staff/referrals/:id/people/:otherId/distinct': 'referrals.triage',
    'GET /staff/my-referrals': 'referrals.submit',
    'GET /api/v1/openapi.json': 'public',
    'POST /api/v1/referrals': 'api-key',
    'GET /api/v1/referrals/:reference': 'api-key',
  },
  sessions: {
    'GET /sessions': 'public',
    'GET /sessions/places/:id/calendar.ics': 'public',
    'GET /sessions/:id': 'public',
    'GET /sessions/:id/book': 'public',
    'POST /sessions/:id/book': 'public',
    'GET /sessions/booked': 'public',
    'GET /sessions/booking': 'public',
    'POST /sessions/booking': 'public',
    'POST /sessions/booking/cancel': 'public',
    'POST /sessions/booking/claim': 'public',
    'POST /sessions/booking/calendar': 'public',
    'GET /sessions/booking/cancelled': 'public',
    'GET /sessions/booking/claimed': 'public',
    'GET /staff/sessions': 'sessions.view',
    'GET /staff/sessions/figures': 'sessions.view',
    'GET /staff/sessions/figures.csv': 'sessions.view',
    'GET /staff/sessions/new': 'sessions.manage',
    'POST /staff/sessions/new': 'sessions.manage',
    'GET /staff/sessions/:id': 'sessions.view',
    'GET /staff/sessions/dates/:id': 'sessions.view',
    'POST /staff/sessions/dates/:id/register': 'sessions.register',
    'POST /staff/sessions/dates/:id/waiting-list': 'sessions.manage',
    'GET /staff/sessions/dates/:id/book': 'sessions.book',
    'POST /staff/sessions/dates/:id/book': 'sessions.book',
    'GET /staff/sessions/bookings/:id/skills': 'sessions.register',
    'POST /staff/sessions/bookings/:id/skills': 'sessions.register',
    'GET /staff/sessions/learners/:id': 'sessions.view',
  },
  'home-library': {
    'GET /staff/home-library': 'home-library.view',
    'GET /staff/home-library/members/new': 'home-library.manage',
    'POST /staff/home-library/members': 'home-library.manage',
    'GET /staff/home-library/requests/:id': 'home-library.manage',
    'POST /staff/home-library/requests/:id': 'home-library.manage',
    'GET /staff/home-library/members/:id': 'home-library.view',
    'GET /staff/home-library/members/:id/access': 'home-library.access-notes',
    'GET /staff/home-library/members/:id/edit': 'home-library.manage',
    'POST /staff/home-library/members/:id': 'home-library.manage',
    'POST /staff/home-library/members/:id/status': 'home-library.manage',
    'POST /staff/home-library/members/:id/devices': 'home-library.manage',
    'POST /staff/home-library/members/:id/visits': 'home-library.manage',
    'GET /staff/home-library/rounds': 'home-library.view',
    'GET /staff/home-library/rounds/new': 'home-library.manage',
    'POST /staff/home-library/rounds': 'home-library.manage',
    'GET /staff/home-library/rounds/:id': 'home-library.view',
    'POST /staff/home-library/rounds/:id/stops': 'home-library.manage',
    'POST /staff/home-library/rounds/:id/stops/:stopId': 'home-library.manage',
    'GET /staff/home-library/rounds/:id/sheet': 'home-library.view',
    'GET /staff/home-library/visits': 'home-library.view',
    'POST /staff/home-library/visits/plan': 'home-library.manage',
    'GET /staff/home-library/visits/:id': 'home-library.view',
    'POST /staff/home-library/visits/:id': 'home-library.manage',
    'GET /staff/home-library/figures': 'home-library.figures',
    'GET /staff/home-library/figures.csv': 'home-library.figures',
    'GET /staff/home-library/deposits': 'home-library.view',
    'POST /staff/home-library/deposits': 'home-library.manage',
    'POST /staff/home-library/deposits/:id/refresh': 'home-library.manage',
  },
  devices: {
    'GET /staff/devices': 'devices.view',
    'GET /staff/devices/loans': 'devices.view',
    'GET /staff/devices/figures': 'devices.view',
    'GET /staff/devices/figures.csv': 'devices.view',
    'GET /staff/devices/donations/new': 'devices.manage',
    'POST /staff/devices/donations/new': 'devices.manage',
    'GET /staff/devices/donations/:id': 'devices.view',
    'GET /staff/devices/new': 'devices.manage',
    'POST /staff/devices/new': 'devices.manage',
    'GET /staff/devices/:id': 'devices.view',
    'GET /staff/devices/:id/label': 'devices.view',
    'POST /staff/devices/:id/voucher': 'devices.vouchers',
    'POST /staff/devices/:id/ready': 'devices.manage',
    'POST /staff/devices/:id/to-wipe': 'devices.manage',
    'POST /staff/devices/:id/lost': 'devices.manage',
    'POST /staff/devices/:id/cancel': 'devices.manage',
    'GET /staff/devices/:id/wipe': 'devices.manage',
    'POST /staff/devices/:id/wipe': 'devices.manage',
    'GET /staff/devices/:id/retire': 'devices.manage',
    'POST /staff/devices/:id/retire': 'devices.manage',
    'GET /staff/devices/:id/allocate': 'devices.manage',
    'POST /staff/devices/:id/allocate': 'devices.manage',
    'GET /staff/devices/:id/hand-over': 'devices.manage',
    'POST /staff/devices/:id/hand-over': 'devices.manage',
    'GET /staff/devices/:id/return': 'devices.manage',
    'POST /staff/devices/:id/return': 'devices.manage',
  },
} satisfies Record<string, Record<string, Who>>

export interface PolicyRow {
  method: string
  url: string
  who: Who
}

/** The table as rows; a route listed twice (in two modules' groups) is an error. */
export function policyRows(): PolicyRow[] {
  const rows: PolicyRow[] = []
  const seen = new Set<string>()
  for (const routes of Object.values(ACCESS_POLICY)) {
    for (const [route, who] of Object.entries(routes as Record<string, Who>)) {
      if (seen.has(route)) throw new Error(`${route} is in the access policy twice`)
      seen.add(route)
      const [method = '', url = ''] = route.split(' ')
      rows.push({ method, url, who })
    }
  }
  return rows
}
