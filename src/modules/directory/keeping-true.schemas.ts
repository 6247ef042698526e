import { z } from 'zod'
import { cleanText } from '#platform/validation.ts'

/** The public "report a problem with this page" form. Messages are locale keys (a public page). */
export const reportSchema = z.object({
  details: z.preprocess(
    cleanText,
    z
      .string({ error: 'findHelp.report.errorDetails' })
      .min(1, 'findHelp.report.errorDetails')
      .max(1000, 'findHelp.report.errorTooLong'),
  ),
})
