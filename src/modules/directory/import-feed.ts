import fs from 'node:fs/promises'
import { z } from 'zod'
import { Invalid } from '#platform/errors.ts'
import { type FeedFetcher, type FetchRules, feedFetcher } from './import-fetch.ts'
import { SERVICE_STATUSES } from './reference-taxonomy.ts'

/** Reading another directory's Open Referral feed: its shape, and fetching it with limits. */
const MAX_SERVICES = 5000

const text = (max: number) => z.string().max(max).optional().nullable()
const id = z.union([z.string().min(1).max(200), z.number().transform(String)])

export const location = z.object({
  id,
  name: text(300),
  description: text(2000),
  latitude: z.number().min(-90).max(90).optional().nullable(),
  longitude: z.number().min(-180).max(180).optional().nullable(),
  addresses: z
    .array(z.object({ address_1: text(300), city: text(100), postal_code: text(20) }))
    .optional()
    .nullable(),
  accessibility: z
    .array(z.object({ description: text(500), accessibility: text(500), details: text(500) }))
    .optional()
    .nullable(),
})

export const schedule = z.object({ byday: text(50), opens_at: text(10), closes_at: text(10), freq: text(20) })

/** One service of an Open Referral feed, as much of it as the Hub keeps. Anything else is ignored. */
export const feedService = z.object({
  id,
  name: z.string().min(1).max(300),
  description: text(5000),
  url: z
    .string()
    .max(500)
    .regex(/^https?:\/\//)
    .optional()
    .nullable()
    .catch(null),
  email: z.email().max(254).optional().nullable().catch(null),
  status: z.enum(SERVICE_STATUSES).optional().nullable().catch('active'),
  minimum_age: z.number().int().min(0).max(150).optional().nullable().catch(null),
  maximum_age: z.number().int().min(0).max(150).optional().nullable().catch(null),
  assured_date: z.iso.date().optional().nullable().catch(null),
  eligibility_description: text(1000),
  application_process: text(1000),
  organization: z
    .object({
      id,
      name: z.string().min(1).max(300),
      description: text(2000),
      email: text(254),
      website: text(500),
    })
    .optional()
    .nullable(),
  schedules: z.array(schedule).optional().nullable(),
  service_at_locations: z
    .array(z.object({ location, schedules: z.array(schedule).optional().nullable() }))
    .optional()
    .nullable(),
  languages: z
    .array(z.object({ name: text(100), code: text(10) }))
    .optional()
    .nullable(),
  attributes: z
    .array(
      z.object({
        taxonomy_term_id: text(100),
        taxonomy_term: z
          .object({ code: text(100), taxonomy: text(200) })
          .optional()
          .nullable(),
      }),
    )
    .optional()
    .nullable(),
})

export type FeedService = z.infer<typeof feedService>

export interface ImportResult {
  added: number
  updated: number
  skipped: number
  withdrawn: number
}

async function getJson(fetcher: FeedFetcher, url: string): Promise<unknown> {
  const body = await fetcher.getText(url)
  try {
    return JSON.parse(body)
  } catch {
    throw new Invalid(`The feed did not send JSON for ${url}`, 'url')
  }
}

/** Every service of a feed: its /services pages, then each service in full. */
export async function fetchFeed(baseUrl: string, rules: FetchRules): Promise<unknown[]> {
  const fetcher = feedFetcher(rules)
  try {
    return await fetchServices(fetcher, baseUrl.replace(/\/+$/, '').replace(/\/services$/, ''))
  } finally {
    fetcher.close()
  }
}

async function fetchServices(fetcher: FeedFetcher, base: string): Promise<unknown[]> {
  const found: unknown[] = []
  for (let page = 1; page <= 1000; page++) {
    const list = (await getJson(fetcher, `${base}/services?page=${page}&per_page=100`)) as {
      contents?: { id?: unknown }[]
      last_page?: boolean
      total_pages?: number
    }
    if (!Array.isArray(list?.contents))
      throw new Invalid('The feed’s /services is not an Open Referral page', 'url')
    for (const item of list.contents) {
      if (found.length >= MAX_SERVICES)
        throw new Invalid(`The feed has more than ${MAX_SERVICES} services`, 'url')
      if (item && (typeof item.id === 'string' || typeof item.id === 'number'))
        found.push(await getJson(fetcher, `${base}/services/${encodeURIComponent(String(item.id))}`))
    }
    if (list.last_page !== false || !list.contents.length || (list.total_pages && page >= list.total_pages))
      break
  }
  return found
}

/** A file holding a page of services, an array of them, or one. */
export async function readFeedFile(file: string): Promise<unknown[]> {
  const data = JSON.parse(await fs.readFile(file, 'utf8')) as unknown
  if (Array.isArray(data)) return data
  const page = data as { contents?: unknown[] }
  return Array.isArray(page?.contents) ? page.contents : [data]
}
