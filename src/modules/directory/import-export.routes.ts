import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { requirePermission } from '#platform/access.ts'
import { Invalid } from '#platform/errors.ts'
import { auditContext, staffUser } from '#platform/http.ts'
import type { Platform } from '#platform/platform.ts'
import { cleanText, parseForm, refusal } from '#platform/validation.ts'
import { exportDataPackage } from './export.ts'
import type { DirectoryImporter } from './import.ts'
import { zip } from './zip.ts'

export const importSchema = z.object({
  url: z.preprocess(
    cleanText,
    z
      .string({ error: 'Enter the feed’s web address' })
      .min(1, 'Enter the feed’s web address')
      .max(500, 'Web address must be 500 characters or fewer')
      .regex(/^https?:\/\/\S+$/i, 'Enter the feed’s web address, starting with https://'),
  ),
  borough: z.preprocess(
    cleanText,
    z
      .string({ error: 'Choose the borough to import into' })
      .min(1, 'Choose the borough to import into')
      .max(100),
  ),
})

/** Editors import another Open Referral directory, and download ours as an HSDS data package. */
export function importExportRoutes(app: FastifyInstance, platform: Platform, importer: DirectoryImporter) {
  const policy = { config: { access: 'directory.edit' as const } }
  const view = 'directory/views/staff/import.njk'
  const boroughs = (request: Parameters<typeof staffUser>[0]) => importer.boroughsFor(staffUser(request))

  app.get('/staff/directory/import', policy, async (request, reply) =>
    reply.render(view, { boroughs: await boroughs(request), values: {} }),
  )

  app.post('/staff/directory/import', policy, async (request, reply) => {
    const values = request.body ?? {}
    const form = parseForm(importSchema, request.body)
    if (!form.ok) return reply.render(view, { ...form, values, boroughs: await boroughs(request) }, 400)
    try {
      const result = await importer.importFromUrl(
        staffUser(request),
        form.data.url,
        form.data.borough,
        auditContext(request),
      )
      return reply.render(view, { result, values: {}, boroughs: await boroughs(request) })
    } catch (error) {
      if (!(error instanceof Invalid)) throw error
      return reply.render(
        view,
        { ...refusal(error.message, error.field), values, boroughs: await boroughs(request) },
        400,
      )
    }
  })

  app.get('/staff/directory/export.zip', policy, async (request, reply) => {
    requirePermission(staffUser(request), 'directory.edit')
    const files = await exportDataPackage(platform)
    const date = new Date().toISOString().slice(0, 10)
    return reply
      .type('application/zip')
      .header('content-disposition', `attachment; filename="directory-${date}.zip"`)
      .header('cache-control', 'no-store')
      .send(zip(files))
  })
}
