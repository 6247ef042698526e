import type { z } from 'zod'

/** One entry of the GOV.UK error summary: the message and a link to the field it is about. */
export interface ErrorItem {
  text: string
  href: string
}

export type FormResult<T> =
  | { ok: true; data: T }
  | { ok: false; errors: ErrorItem[]; fieldErrors: Record<string, { text: string }> }

/**
 * Checks a submitted form against its schema. On failure, gives the summary list and the message for
 * each field (first error per field), ready for the page to re-render with what the person typed.
 */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.infer<S>> {
  const result = schema.safeParse(body ?? {})
  if (result.success) return { ok: true, data: result.data }
  const fieldErrors: Record<string, { text: string }> = {}
  const errors: ErrorItem[] = []
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join('-') || 'form'
    if (fieldErrors[field]) continue
    fieldErrors[field] = { text: issue.message }
    errors.push({ text: issue.message, href: `#${field}` })
  }
  // The summary follows the page, whose fields come in the schema's order, whatever order the checks ran.
  const order = fieldOrder(schema)
  const at = (e: ErrorItem) => {
    const i = order.findIndex((name) => e.href === `#${name}` || e.href.startsWith(`#${name}-`))
    return i === -1 ? order.length : i
  }
  errors.sort((a, b) => at(a) - at(b))
  return { ok: false, errors, fieldErrors }
}

/** The field names of a form's object schema, in order, through any transform or refinement around it. */
function fieldOrder(schema: z.ZodType): string[] {
  const def = (
    schema as unknown as { _zod: { def: { type: string; shape?: object; in?: z.ZodType; out?: z.ZodType } } }
  )._zod.def
  if (def.type === 'object' && def.shape) return Object.keys(def.shape)
  if (def.type !== 'pipe') return []
  // A refinement keeps its object first; a preprocess (date inputs joined) has it after.
  const before = def.in ? fieldOrder(def.in) : []
  return before.length || !def.out ? before : fieldOrder(def.out)
}

/** Form text as people type it: trimmed, with control characters (other than new lines) taken out. */
export function cleanText(value: unknown): unknown {
  if (typeof value !== 'string') return value
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim()
}

/** The same shape as a failed parse, for a rule the service refused (an Invalid error with a field). */
export function refusal(message: string, field = 'form'): Extract<FormResult<never>, { ok: false }> {
  return {
    ok: false,
    errors: [{ text: message, href: `#${field}` }],
    fieldErrors: { [field]: { text: message } },
  }
}
