import type { FastifyInstance, FastifyReply, FastifyRequest, RouteGenericInterface } from 'fastify'
import type { z } from 'zod'
import { Invalid } from './errors.ts'
import type { RoutePolicy } from './http.ts'
import type { Translate } from './i18n.ts'
import { type ErrorItem, parseForm } from './validation.ts'

/** A form that did not pass: the summary, each field's message (in the page's language) and what was typed. */
export interface FormFailure {
  errors: ErrorItem[]
  fieldErrors: Record<string, { text: string }>
  /** The answers as sent, to put back in the fields; several values of one name stay a list. */
  values: Record<string, unknown>
}

/** What a form route says about itself, beside who may call it. */
export interface FormRoute<S extends z.ZodType, G extends RouteGenericInterface>
  extends Omit<RoutePolicy, 'body' | 'pageVersion'> {
  schema: S
  /**
   * The page again, with the failure, answering 400: the page's own error summary, every answer kept.
   * Field names in `values` and `href`s match the form's fields.
   */
  invalid(
    request: FastifyRequest<G>,
    reply: FastifyReply,
    failure: FormFailure,
  ): Promise<FastifyReply> | FastifyReply
}

/**
 * A message in a schema or an Invalid error is a locale key (`refer.errors.nameMissing`) or, while a form
 * still has them, plain English. Keys are translated into the page's language.
 */
const LOCALE_KEY = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/

export function translateMessage(t: Translate, message: string): string {
  return LOCALE_KEY.test(message) ? t(message) : message
}

export function formFailure(
  t: Translate,
  failure: { errors: ErrorItem[]; fieldErrors: Record<string, { text: string }> },
  body: unknown,
): FormFailure {
  return {
    errors: failure.errors.map((e) => ({ ...e, text: translateMessage(t, e.text) })),
    fieldErrors: Object.fromEntries(
      Object.entries(failure.fieldErrors).map(([k, v]) => [k, { text: translateMessage(t, v.text) }]),
    ),
    values: { ...((body ?? {}) as Record<string, unknown>) },
  }
}

/**
 * The one way to take a form: the route declares its schema; a body that fails it, or a rule the use case
 * refuses (`Invalid` with a field), shows the page again with 400; `handle` does the work and answers,
 * usually with `seeOther` (303), so a refresh never sends the form twice.
 */
export function postForm<S extends z.ZodType, G extends RouteGenericInterface = RouteGenericInterface>(
  app: FastifyInstance,
  url: string,
  route: FormRoute<S, G>,
  handle: (request: FastifyRequest<G>, reply: FastifyReply, data: z.infer<S>) => Promise<FastifyReply>,
): void {
  const { schema, invalid, ...policy } = route
  async function handler(request: FastifyRequest<G>, reply: FastifyReply): Promise<FastifyReply> {
    const form = parseForm(schema, request.body)
    if (!form.ok) return invalid(request, reply.code(400), formFailure(request.t, form, request.body))
    try {
      return await handle(request, reply, form.data)
    } catch (error) {
      if (!(error instanceof Invalid)) throw error
      const field = error.field ?? 'form'
      const refused = {
        errors: [{ text: error.message, href: `#${field}` }],
        fieldErrors: { [field]: { text: error.message } },
      }
      return invalid(request, reply.code(400), formFailure(request.t, refused, request.body))
    }
  }
  // The route's generic types live in `handler`; Fastify's reply typing adds nothing a form needs.
  app.post(url, { config: { ...policy, body: schema } }, handler as never)
}
