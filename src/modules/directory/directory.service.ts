import { listBoroughs } from '#platform/boroughs.ts'
import { nowIso } from '#platform/clock.ts'
import { isUuid, newId } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import { directoryRepository as repo } from './directory.repository.ts'
import { LIBRARIES, LIBRARY_SERVICES } from './reference-data.ts'

/** Use cases of the directory: organisations and the places where help is given. */
export function directoryService(platform: Platform) {
  const { db } = platform.database

  return {
    /** Loads the library services and their libraries; a restart updates them in place. */
    async loadReferenceData(): Promise<void> {
      const boroughs = new Map((await listBoroughs(db)).map((b) => [b.code, b.id]))
      const now = nowIso()
      await db.transaction().execute(async (tx) => {
        const organisations = new Map<string, { id: string; boroughId: string }>()
        for (const o of LIBRARY_SERVICES) {
          const boroughId = boroughs.get(o.borough)
          if (!boroughId) throw new Error(`Reference data names unknown borough ${o.borough}`)
          const { borough, ...fields } = o
          const id = await repo.upsertOrganisation(tx, {
            ...fields,
            id: newId(),
            email: null,
            borough_id: boroughId,
            created_at: now,
            updated_at: now,
          })
          organisations.set(o.code, { id, boroughId })
        }
        for (const l of LIBRARIES) {
          const org = organisations.get(l.organisation)
          if (!org) throw new Error(`Library ${l.code} names unknown organisation ${l.organisation}`)
          const { organisation, ...fields } = l
          await repo.upsertLocation(tx, {
            ...fields,
            id: newId(),
            organisation_id: org.id,
            borough_id: org.boroughId,
            kind: 'library',
            address_2: null,
            city: 'London',
            created_at: now,
            updated_at: now,
          })
        }
      })
    },

    listLibraries: () => repo.listLocations(db, 'library'),

    /** An organisation by its id, its code or its name (any case): how the command line names one. */
    async findOrganisation(idOrName: string) {
      if (isUuid(idOrName)) return repo.findOrganisationById(db, idOrName)
      return repo.findOrganisation(db, idOrName)
    },
  }
}

export type DirectoryService = ReturnType<typeof directoryService>
