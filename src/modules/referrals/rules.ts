import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { NEED_KINDS, type NeedKind, workingDaysAfter } from './referral.ts'

/**
 * The rules that are data: postcode areas, routing, Home Library Service eligibility and service
 * levels. Read from the JSON files in data/ at start and checked here, so a mistake in a file stops
 * the Hub at start rather than misrouting a referral. Changing them needs no code, only a restart.
 */

const postcodesFile = z.object({
  areas: z.array(
    z.object({
      prefix: z.string().regex(/^[A-Z]{1,2}[0-9][0-9A-Z]?( [0-9])?$/),
      boroughs: z.array(z.string().min(1)).min(1),
      alsoOutside: z.boolean().optional(),
    }),
  ),
})

const routingFile = z.object({
  teams: z.array(
    z.object({
      code: z.string().min(1),
      borough: z.string(),
      name: z.string(),
      leadEmail: z.email(),
      /** The directory organisation (code) whose team this is, when a partner takes the need. */
      organisation: z.string().min(1).optional(),
    }),
  ),
  routes: z.array(z.object({ borough: z.string(), need: z.enum(NEED_KINDS), team: z.string() })),
})

const homeLibraryFile = z.object({
  reasons: z.array(z.object({ code: z.string().min(1), eligible: z.boolean() })).min(1),
})

const rulesFile = z.object({
  firstContactWorkingDays: z.number().int().min(1),
  minContactAttemptsBeforeCouldNotContact: z.number().int().min(1),
  journeyHours: z.number().positive(),
  ageRanges: z.array(z.string().min(1)).min(1),
  bankHolidays: z.array(z.iso.date()),
})

export type Team = z.infer<typeof routingFile>['teams'][number]

export interface ReferralRules {
  areas: z.infer<typeof postcodesFile>['areas']
  teams: Team[]
  routes: z.infer<typeof routingFile>['routes']
  homeLibraryReasons: z.infer<typeof homeLibraryFile>['reasons']
  firstContactWorkingDays: number
  minContactAttempts: number
  journeyHours: number
  ageRanges: string[]
  bankHolidays: ReadonlySet<string>
}

function readJson<S extends z.ZodType>(dir: string, file: string, schema: S): z.infer<S> {
  const full = path.join(dir, file)
  const parsed = schema.safeParse(JSON.parse(fs.readFileSync(full, 'utf8')))
  if (!parsed.success) throw new Error(`${full} is not valid: ${parsed.error.message}`)
  return parsed.data
}

/** Reads and checks the rule files; `boroughCodes` are the boroughs the Hub knows. */
export function loadRules(appRoot: string, boroughCodes?: readonly string[]): ReferralRules {
  const dir = path.join(appRoot, 'src/modules/referrals/data')
  const postcodes = readJson(dir, 'postcodes.json', postcodesFile)
  const routing = readJson(dir, 'routing.json', routingFile)
  const homeLibrary = readJson(dir, 'home-library.json', homeLibraryFile)
  const rules = readJson(dir, 'rules.json', rulesFile)
  const teamCodes = new Set(routing.teams.map((t) => t.code))
  for (const r of routing.routes)
    if (!teamCodes.has(r.team)) throw new Error(`routing.json: route to unknown team ${r.team}`)
  if (boroughCodes) {
    const known = new Set(boroughCodes)
    for (const a of postcodes.areas)
      for (const b of a.boroughs)
        if (!known.has(b)) throw new Error(`postcodes.json: ${a.prefix} names unknown borough ${b}`)
    for (const b of boroughCodes)
      for (const need of NEED_KINDS)
        if (!routing.routes.some((r) => r.borough === b && r.need === need))
          throw new Error(`routing.json: no team for ${need} in ${b}`)
  }
  return {
    areas: postcodes.areas,
    teams: routing.teams,
    routes: routing.routes,
    homeLibraryReasons: homeLibrary.reasons,
    firstContactWorkingDays: rules.firstContactWorkingDays,
    minContactAttempts: rules.minContactAttemptsBeforeCouldNotContact,
    journeyHours: rules.journeyHours,
    ageRanges: rules.ageRanges,
    bankHolidays: new Set(rules.bankHolidays),
  }
}

// A full UK postcode: outward code (area, district) and inward code (sector digit, unit letters).
const POSTCODE = /^([A-Z]{1,2}[0-9][0-9A-Z]?) ?([0-9])([A-Z]{2})$/

/** "sw7 2az" -> "SW7 2AZ", or null if it is not a UK postcode. */
export function normalisePostcode(input: string): string | null {
  const m = input.toUpperCase().replace(/\s+/g, '').match(POSTCODE)
  return m ? `${m[1]} ${m[2]}${m[3]}` : null
}

export type PostcodeAnswer =
  | { kind: 'invalid' }
  | { kind: 'outside' }
  | { kind: 'borough'; borough: string }
  | { kind: 'ask'; boroughs: string[]; alsoOutside: boolean }

/** Which borough a postcode is in: its sector's entry if there is one, else its district's. */
export function lookupPostcode(rules: Pick<ReferralRules, 'areas'>, input: string): PostcodeAnswer {
  const postcode = normalisePostcode(input)
  if (!postcode) return { kind: 'invalid' }
  const [outward, inward] = postcode.split(' ') as [string, string]
  const sector = `${outward} ${inward[0]}`
  const area = rules.areas.find((a) => a.prefix === sector) ?? rules.areas.find((a) => a.prefix === outward)
  if (!area) return { kind: 'outside' }
  if (area.boroughs.length === 1 && !area.alsoOutside)
    return { kind: 'borough', borough: area.boroughs[0] as string }
  return { kind: 'ask', boroughs: area.boroughs, alsoOutside: Boolean(area.alsoOutside) }
}

/** The team of a borough that takes a kind of need. */
export function teamFor(
  rules: Pick<ReferralRules, 'routes' | 'teams'>,
  borough: string,
  need: NeedKind,
): Team {
  const route = rules.routes.find((r) => r.borough === borough && r.need === need)
  const team = route && rules.teams.find((t) => t.code === route.team)
  if (!team) throw new Error(`No team for ${need} in ${borough}`)
  return team
}

export function homeLibraryEligible(
  rules: Pick<ReferralRules, 'homeLibraryReasons'>,
  reason: string,
): boolean {
  return rules.homeLibraryReasons.some((r) => r.code === reason && r.eligible)
}

/** The date by which the service promises first contact, in working days from `from`. */
export function firstContactBy(
  rules: Pick<ReferralRules, 'firstContactWorkingDays' | 'bankHolidays'>,
  from: string,
): string {
  return workingDaysAfter(new Date(from), rules.firstContactWorkingDays, rules.bankHolidays)
}

/** The partner organisation (directory code) a team belongs to, or null for a council's own team. */
export function teamOrganisation(rules: Pick<ReferralRules, 'teams'>, teamCode: string): string | null {
  return rules.teams.find((t) => t.code === teamCode)?.organisation ?? null
}
