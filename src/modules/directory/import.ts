import type { z } from 'zod'
import { requireInScope, requirePermission, type StaffUser } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { listBoroughs } from '#platform/boroughs.ts'
import { nowIso } from '#platform/clock.ts'
import type { Tx } from '#platform/database.ts'
import { Invalid } from '#platform/errors.ts'
import { newId } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import { directoryRepository as repo } from './directory.repository.ts'
import {
  type FeedService,
  feedService,
  fetchFeed,
  type ImportResult,
  type location,
  readFeedFile,
  type schedule,
} from './import-feed.ts'
import { fetchRules } from './import-fetch.ts'
import { parseDay, parseTime } from './openreferral.query.ts'
import { normalisePostcode, postcodeCentroid } from './postcodes.ts'
import { FEATURES_TAXONOMY, LANGUAGES } from './reference-taxonomy.ts'
import { servicesRepository as services } from './services.repository.ts'

export type { ImportResult }

/**
 * Imports another directory's Open Referral services into one borough. Records are matched on the feed's own
 * ids (kept as source and source_id) within that borough, so importing again updates rather than duplicates,
 * and another borough's import of the same feed neither takes over nor withdraws this one's records;
 * services the feed no longer has are made inactive. Access features are kept only when they match the Hub's vocabulary.
 */
export function directoryImporter(platform: Platform, opts: { allowPrivateHosts: boolean }) {
  const { db } = platform.database

  async function upsertOrganisation(
    tx: Tx,
    source: string,
    s: FeedService,
    boroughId: string,
    now: string,
  ): Promise<string> {
    const org = s.organization ?? { id: `for-${s.id}`, name: 'Unknown organisation', description: '' }
    const existing = await repo.findOrganisationBySource(tx, source, String(org.id), boroughId)
    const fields = {
      name: org.name,
      description: org.description ?? '',
      email: org.email ?? null,
      website: org.website ?? null,
      updated_at: now,
    }
    if (existing) {
      await repo.updateOrganisation(tx, existing.id, fields)
      return existing.id
    }
    const orgId = newId()
    await repo.insertOrganisation(tx, {
      id: orgId,
      code: `import-${orgId}`,
      kind: 'partner',
      phone: null,
      borough_id: boroughId,
      source,
      source_id: String(org.id),
      created_at: now,
      ...fields,
    })
    return orgId
  }

  async function upsertPlace(
    tx: Tx,
    source: string,
    l: z.infer<typeof location>,
    organisationId: string,
    boroughId: string,
    features: { id: string; name: string }[],
    now: string,
  ) {
    const address = l.addresses?.[0]
    const postcode =
      normalisePostcode(address?.postal_code ?? '') ?? (address?.postal_code ?? '').toUpperCase()
    const centre = l.latitude == null || l.longitude == null ? postcodeCentroid(postcode) : null
    const fields = {
      name: l.name || address?.address_1 || 'Unnamed place',
      description: l.description ?? null,
      address_1: address?.address_1 ?? '',
      city: address?.city ?? 'London',
      postcode,
      latitude: l.latitude ?? centre?.latitude ?? null,
      longitude: l.longitude ?? centre?.longitude ?? null,
      updated_at: now,
    }
    const existing = await repo.findLocationBySource(tx, source, String(l.id), boroughId)
    let placeId = existing?.id
    if (placeId) await repo.updateLocation(tx, placeId, fields)
    else {
      placeId = newId()
      await repo.insertLocation(tx, {
        id: placeId,
        code: `import-${placeId}`,
        organisation_id: organisationId,
        borough_id: boroughId,
        kind: 'partner-site',
        address_2: null,
        how_to_get_there: null,
        phone: null,
        email: null,
        public_computers: null,
        assured_date: null,
        review_reminded_at: null,
        source,
        source_id: String(l.id),
        created_at: now,
        ...fields,
      })
    }
    const said = (l.accessibility ?? []).map((a) =>
      (a.accessibility ?? a.description ?? '').trim().toLowerCase(),
    )
    const matched = features.filter((f) => said.includes(f.name.toLowerCase()))
    await repo.replaceLocationFeatures(
      tx,
      placeId,
      matched.map((f) => ({ id: newId(), term_id: f.id, details: null })),
    )
    return placeId
  }

  function times(rows: z.infer<typeof schedule>[] | null | undefined) {
    const out: { weekday: number; opens_at: string; closes_at: string }[] = []
    for (const r of rows ?? []) {
      const opens = parseTime(r.opens_at ?? '')
      const closes = parseTime(r.closes_at ?? '')
      if (!opens || !closes || closes <= opens) continue
      for (const day of (r.byday ?? '').split(',')) {
        const weekday = parseDay(day)
        if (weekday) out.push({ weekday, opens_at: opens, closes_at: closes })
      }
    }
    return out
  }

  return {
    /** The boroughs this editor may import into: those in their scope. */
    async boroughsFor(user: StaffUser) {
      const all = await listBoroughs(db)
      return all.filter((b) => user.boroughs === 'all' || user.boroughs.includes(b.id))
    },

    async importServices(
      user: StaffUser,
      input: { source: string; services: unknown[]; borough: string },
      ctx: AuditContext,
    ): Promise<ImportResult> {
      requirePermission(user, 'directory.edit')
      const borough = (await listBoroughs(db)).find((b) => b.code === input.borough || b.id === input.borough)
      if (!borough) throw new Invalid('Choose the borough to import into', 'borough')
      requireInScope(user, borough.id)
      const features = await repo.termsOfTaxonomy(db, FEATURES_TAXONOMY.code)
      const allTerms = await repo.termsQuery(db).execute()
      const knownTerms = new Set(allTerms.map((t) => t.id))
      // Another Hub's terms have other ids but the same taxonomy and code.
      const termByCode = new Map(allTerms.map((t) => [`${t.taxonomy_name}|${t.code}`, t.id]))
      const result: ImportResult = { added: 0, updated: 0, skipped: 0, withdrawn: 0 }
      const now = nowIso()
      await db.transaction().execute(async (tx) => {
        const seen: string[] = []
        for (const raw of input.services) {
          const parsed = feedService.safeParse(raw)
          if (!parsed.success) {
            result.skipped++
            continue
          }
          const s = parsed.data
          const organisationId = await upsertOrganisation(tx, input.source, s, borough.id, now)
          const fields = {
            organisation_id: organisationId,
            borough_id: borough.id,
            name: s.name,
            description: s.description ?? '',
            who_for: null,
            eligibility: s.eligibility_description ?? null,
            cost: null,
            is_free: false,
            how_to_get: 'referral' as const,
            how_to_get_details: s.application_process ?? null,
            url: s.url ?? null,
            email: s.email ?? null,
            phone: null,
            status: s.status ?? 'active',
            alert: null,
            minimum_age: s.minimum_age ?? null,
            maximum_age: s.maximum_age ?? null,
            assured_date: s.assured_date ?? null,
            updated_at: now,
          }
          const existing = await services.findServiceBySource(tx, input.source, String(s.id), borough.id)
          let serviceId = existing?.id
          if (serviceId) {
            await services.updateService(tx, serviceId, fields)
            result.updated++
          } else {
            serviceId = newId()
            await services.insertService(tx, {
              id: serviceId,
              code: `import-${serviceId}`,
              owner_email: null,
              review_reminded_at: null,
              source: input.source,
              source_id: String(s.id),
              created_at: now,
              ...fields,
            })
            result.added++
          }
          seen.push(serviceId)
          const placeIds: string[] = []
          for (const sal of s.service_at_locations ?? [])
            placeIds.push(
              await upsertPlace(tx, input.source, sal.location, organisationId, borough.id, features, now),
            )
          await services.removeServiceAtLocations(tx, serviceId, placeIds)
          for (const location_id of placeIds)
            await services.addServiceAtLocation(tx, {
              id: newId(),
              service_id: serviceId,
              location_id,
              created_at: now,
            })
          const own = [
            ...times(s.schedules),
            ...(s.service_at_locations ?? []).flatMap((sal) => times(sal.schedules)),
          ]
          await services.replaceSchedules(tx, serviceId, own)
          const languages = (s.languages ?? [])
            .map((l) => ({
              code: (l.code ?? '').toLowerCase(),
              name: l.name ?? LANGUAGES[(l.code ?? '').toLowerCase()] ?? '',
            }))
            .filter((l) => l.code && l.name)
          await services.setLanguages(
            tx,
            serviceId,
            [...new Map(languages.map((l) => [l.code, l])).values()].map((l) => ({ ...l, id: newId() })),
          )
          const terms = [
            ...new Set(
              (s.attributes ?? [])
                .map((a) =>
                  knownTerms.has(a.taxonomy_term_id ?? '')
                    ? (a.taxonomy_term_id as string)
                    : termByCode.get(`${a.taxonomy_term?.taxonomy}|${a.taxonomy_term?.code}`),
                )
                .filter((t): t is string => Boolean(t)),
            ),
          ]
          await services.setTerms(
            tx,
            serviceId,
            terms.map((term_id) => ({ id: newId(), term_id })),
          )
        }
        result.withdrawn = await services.withdrawMissing(tx, input.source, borough.id, seen, now)
        await platform.audit.record(tx, ctx, {
          action: 'directory.imported',
          recordType: 'import',
          fields: ['services', 'organisations', 'locations'],
        })
      })
      return result
    },

    /** Reads the feed at `url` and imports it. */
    async importFromUrl(user: StaffUser, url: string, borough: string, ctx: AuditContext) {
      requirePermission(user, 'directory.edit')
      let feed: unknown[]
      try {
        feed = await fetchFeed(url, fetchRules(opts.allowPrivateHosts))
      } catch (error) {
        if (error instanceof Invalid) throw error
        throw new Invalid('We could not read the feed at that address', 'url')
      }
      return this.importServices(user, { source: url.replace(/\/+$/, ''), services: feed, borough }, ctx)
    },

    /** Imports a JSON file on the server (for the command line). */
    async importFromFile(user: StaffUser, file: string, borough: string, ctx: AuditContext) {
      return this.importServices(
        user,
        { source: `file:${file}`, services: await readFeedFile(file), borough },
        ctx,
      )
    },
  }
}

export type DirectoryImporter = ReturnType<typeof directoryImporter>
