import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { requirePermission } from '#platform/access.ts'
import { postForm } from '#platform/forms.ts'
import { auditContext, staffUser } from '#platform/http.ts'
import type { Platform } from '#platform/platform.ts'
import { cleanText } from '#platform/validation.ts'
import { exportDataPackage } from './export.ts'
import type { DirectoryImporter } from './import.ts'
import { zip } from './zip.ts'

const E = 'directoryAdmin.import.'

export const importSchema = z.object({
  url: z.preprocess(
    cleanText,
    z
      .string({ error: `${E}url` })
      .min(1, `${E}url`)
      .max(500, `${E}urlTooLong`)
      .regex(/^https?:\/\/\S+$/i, `${E}urlFormat`),
  ),
  borough: z.preprocess(
    cleanText,
    z
      .string({ error: `${E}borough` })
      .min(1, `${E}borough`)
      .max(100, `${E}borough`),
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

  // The import's report is the answer: it is shown at once rather than kept to show after a redirect.
  postForm(
    app,
    '/staff/directory/import',
    {
      access: 'directory.edit',
      schema: importSchema,
      invalid: async (request, reply, failure) =>
        reply.render(view, { ...failure, boroughs: await boroughs(request) }, 400),
    },
    async (request, reply, data) => {
      const user = staffUser(request)
      const result = await importer.importFromUrl(user, data.url, data.borough, auditContext(request))
      return reply.render(view, { result, values: {}, boroughs: await boroughs(request) })
    },
  )

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
