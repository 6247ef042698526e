import type { FastifyRequest } from 'fastify'
import type { FormResult } from '#platform/validation.ts'

type Failed = Extract<FormResult<never>, { ok: false }>

/**
 * Messages of this module's schemas and services are locale keys (`key` or `key:max`); this puts
 * them into the person's language just before a page shows them.
 */
export function words(t: FastifyRequest['t'], message: string, field?: string): string {
  if (!/^(refer|triage|track)\./.test(message)) return message
  const [key, max] = message.split(':') as [string, string | undefined]
  const name = key === 'refer.error.tooLong' && field ? fieldName(t, field) : null
  if (name) return t('refer.error.tooLongField', { field: name, max: max ?? '' })
  return t(key, max ? { max } : {})
}

/** A field's name for a message about it ("Your name"), where the page gives one (`<scope>.<field>`). */
function fieldName(t: FastifyRequest['t'], key: string): string | null {
  try {
    return t(key)
  } catch {
    return null
  }
}

/** Puts a failed form into words; `fields` is where its fields' names are (`refer.fields.name`). */
export function translated(t: FastifyRequest['t'], form: Failed, fields?: string): Failed {
  const field = (name: string) => (fields ? `${fields}.${name}` : undefined)
  return {
    ok: false,
    errors: form.errors.map((e) => ({ ...e, text: words(t, e.text, field(e.href.slice(1))) })),
    fieldErrors: Object.fromEntries(
      Object.entries(form.fieldErrors).map(([k, v]) => [k, { text: words(t, v.text, field(k)) }]),
    ),
  }
}

/** What the person typed or ticked, as a plain object, to show again with the errors. */
export function bodyValues(body: unknown): Record<string, unknown> {
  const b = { ...((body ?? {}) as Record<string, unknown>) }
  delete b._csrf
  delete b.website
  return b
}

/** Checkbox values as a list, whether one, several or none came. */
export function list(value: unknown): string[] {
  return value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String)
}
