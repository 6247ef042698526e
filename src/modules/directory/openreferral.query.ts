import { Invalid } from '#platform/errors.ts'
import { isUuid } from '#platform/ids.ts'
import type { ServiceFilter } from './directory.search.ts'
import { postcodeCentroid } from './postcodes.ts'
import { BYDAY } from './reference-taxonomy.ts'

/**
 * The query parameters of the Open Referral UK profile, checked strictly: an unknown or malformed parameter
 * is a 400 that names it, so a caller's typo never silently widens their search. `per_page` above the
 * maximum is clamped rather than refused.
 */
export const PER_PAGE_DEFAULT = 50
export const PER_PAGE_MAX = 100
const PAGE_MAX = 100_000
const PROXIMITY_MAX = 100_000

export const LIST_PARAMS = ['page', 'per_page'] as const
export const SERVICE_PARAMS = [
  ...LIST_PARAMS,
  'search',
  'taxonomy_term_id',
  'taxonomy_id',
  'organization_id',
  'modified_after',
  'minimal',
  'full',
  'postcode',
  'proximity',
  'day',
  'start_time',
  'end_time',
  'minimum_age',
  'maximum_age',
] as const

type Query = Record<string, unknown>

/** One value per parameter; refuses names not in `allowed` and repeated parameters. */
export function checkParams(query: Query, allowed: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(query ?? {})) {
    if (!allowed.includes(name)) {
      throw new Invalid(`Unknown query parameter '${name}'. Allowed: ${allowed.join(', ')}`, name)
    }
    if (typeof value !== 'string') throw new Invalid(`Give '${name}' once`, name)
    out[name] = value
  }
  return out
}

function integer(params: Record<string, string>, name: string, min: number, max: number): number | undefined {
  const raw = params[name]
  if (raw === undefined || raw === '') return undefined
  if (!/^-?\d{1,12}$/.test(raw)) throw new Invalid(`'${name}' must be a whole number`, name)
  const n = Number(raw)
  if (n < min || n > max) throw new Invalid(`'${name}' must be between ${min} and ${max}`, name)
  return n
}

function boolean(params: Record<string, string>, name: string): boolean {
  const raw = params[name]
  if (raw === undefined || raw === '' || raw === 'false') return false
  if (raw === 'true') return true
  throw new Invalid(`'${name}' must be true or false`, name)
}

function uuid(params: Record<string, string>, name: string): string | undefined {
  const raw = params[name]
  if (raw === undefined || raw === '') return undefined
  if (!isUuid(raw)) throw new Invalid(`'${name}' must be a UUID`, name)
  return raw.toLowerCase()
}

const DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']

/** MO..SU (iCalendar), Monday..Sunday, or 1..7 (ISO). */
export function parseDay(raw: string): number | null {
  const v = raw.trim().toLowerCase()
  const byday = BYDAY.findIndex((d) => d.toLowerCase() === v)
  if (byday >= 0) return byday + 1
  const named = DAY_NAMES.indexOf(v)
  if (named >= 0) return named + 1
  if (/^[1-7]$/.test(v)) return Number(v)
  return null
}

/** HH:MM or HH:MM:SS, 24-hour; answered as HH:MM. */
export function parseTime(raw: string): string | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?$/.exec(raw.trim())
  return m ? `${m[1]}:${m[2]}` : null
}

export function paging(params: Record<string, string>) {
  const page = integer(params, 'page', 1, PAGE_MAX) ?? 1
  const requested = params.per_page
  let perPage = PER_PAGE_DEFAULT
  if (requested !== undefined && requested !== '') {
    if (!/^\d{1,12}$/.test(requested)) throw new Invalid(`'per_page' must be a whole number`, 'per_page')
    const n = Number(requested)
    if (n < 1) throw new Invalid(`'per_page' must be 1 or more`, 'per_page')
    perPage = Math.min(n, PER_PAGE_MAX)
  }
  return { page, perPage, offset: (page - 1) * perPage }
}

export interface ServiceQuery {
  filter: ServiceFilter
  page: number
  perPage: number
  offset: number
  minimal: boolean
  full: boolean
}

export function parseServiceQuery(query: Query): ServiceQuery {
  const params = checkParams(query, SERVICE_PARAMS)
  const filter: ServiceFilter = {}
  if (params.search) {
    if (params.search.length > 200) throw new Invalid(`'search' must be 200 characters or fewer`, 'search')
    filter.search = params.search
  }
  const terms = params.taxonomy_term_id
  if (terms) {
    const ids = terms.split(',').map((t) => t.trim())
    if (ids.length > 20 || ids.some((id) => !isUuid(id)))
      throw new Invalid(
        `'taxonomy_term_id' must be a UUID, or up to 20 separated by commas`,
        'taxonomy_term_id',
      )
    filter.termIds = ids.map((id) => id.toLowerCase())
  }
  filter.taxonomyId = uuid(params, 'taxonomy_id')
  filter.organisationId = uuid(params, 'organization_id')
  if (params.modified_after) {
    const raw = params.modified_after
    const ms = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw) ? Date.parse(raw) : Number.NaN
    if (Number.isNaN(ms))
      throw new Invalid(
        `'modified_after' must be a date or date-time, like 2026-01-31T09:00:00Z`,
        'modified_after',
      )
    filter.modifiedAfter = new Date(ms).toISOString()
  }
  if (params.day) {
    const day = parseDay(params.day)
    if (!day) throw new Invalid(`'day' must be a day of the week, like MO or Monday`, 'day')
    filter.day = day
  }
  for (const name of ['start_time', 'end_time'] as const) {
    if (!params[name]) continue
    const time = parseTime(params[name])
    if (!time) throw new Invalid(`'${name}' must be a time like 09:30`, name)
    if (name === 'start_time') filter.startTime = time
    else filter.endTime = time
  }
  filter.minimumAge = integer(params, 'minimum_age', 0, 150)
  filter.maximumAge = integer(params, 'maximum_age', 0, 150)
  const proximity = integer(params, 'proximity', 1, PROXIMITY_MAX)
  if (params.postcode) {
    const point = postcodeCentroid(params.postcode)
    if (!point) throw new Invalid(`'postcode' is not a postcode we know, like W10 5PF`, 'postcode')
    filter.near = { point, withinMetres: proximity }
  } else if (proximity !== undefined) {
    throw new Invalid(`'proximity' needs a 'postcode'`, 'proximity')
  }
  const minimal = boolean(params, 'minimal')
  const full = boolean(params, 'full')
  if (minimal && full) throw new Invalid(`Ask for 'minimal' or 'full', not both`, 'minimal')
  return { filter, ...paging(params), minimal, full }
}
