import type { FastifyInstance, FastifyReply, FastifyRequest, RouteGenericInterface } from 'fastify'
import { z } from 'zod'
import { Invalid } from './errors.ts'
import type { BodySchema, RoutePolicy } from './http.ts'
import type { Translate } from './i18n.ts'
import { type ErrorItem, parseForm, refusal } from './validation.ts'

/** A form that did not pass: the summary, each field's message (in the page's language) and what was typed. */
export type FormFailure = {
  errors: ErrorItem[]
  fieldErrors: Record<string, { text: string }>
  /**
   * The answers as sent, to put back in the fields; several values of one name stay a list. On a page
   * of several forms, `form` is the field-id prefix of the one that was sent.
   */
  values: Record<string, unknown>
}

/** What a form route says about itself, beside who may call it. */
export interface FormRoute<S extends z.ZodType, G extends RouteGenericInterface>
  extends Omit<RoutePolicy, 'body' | 'pageVersion'> {
  /**
   * The form's schema; a function of the request where the questions depend on earlier answers (the
   * referral journey's pages). Messages are locale keys, see `messageKey`.
   */
  schema: S | ((request: FastifyRequest<G>) => S | Promise<S>)
  /** Checkbox groups: always a list in `values`, whether none, one or several were ticked. */
  lists?: readonly string[]
  /**
   * On a page with several forms, each form's field ids start with its own prefix (`notes-note`):
   * the summary's links point there and `values.form` says which form it was.
   */
  fieldPrefix?: (request: FastifyRequest<G>) => string
  /** Where a rule the use case refuses without naming a field is shown; `form` unless said. */
  refusedField?: string
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
 * Messages in schemas and Invalid errors are locale keys, with any values they need after a `?`
 * (`refer.error.tooLong?max=200`). A value that is itself a locale key is translated too, so a label
 * in a message comes from the locale file as well.
 */
export function messageKey(key: string, params: Record<string, string | number> = {}): string {
  const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString()
  return query ? `${key}?${query}` : key
}

const LOCALE_KEY = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/

/** A message (see `messageKey`) in the page's language; text that is not a key is shown as it is. */
export function translateMessage(t: Translate, text: string): string {
  const [key = '', query] = text.split('?', 2)
  if (!LOCALE_KEY.test(key)) return text
  const params: Record<string, string> = {}
  for (const [k, v] of new URLSearchParams(query ?? '')) params[k] = LOCALE_KEY.test(v) ? t(v) : v
  return t(key, params)
}

/** A form that is only a button (sign out, retry, resolve): it asks nothing, so nothing can be wrong. */
export const NO_ANSWERS = z.object({})

/** Fields of the platform's own (the CSRF token, the bot trap), never put back in a page. */
const NOT_ANSWERS = ['_csrf', 'website']

export function formFailure(
  t: Translate,
  failure: { errors: ErrorItem[]; fieldErrors: Record<string, { text: string }> },
  body: unknown,
  options: { lists?: readonly string[]; fieldPrefix?: string } = {},
): FormFailure {
  // A form's body is an object of its fields; anything else sent (a crafted post) has no answers to keep.
  const values: Record<string, unknown> =
    body && typeof body === 'object' && !Array.isArray(body) ? { ...body } : {}
  for (const name of NOT_ANSWERS) delete values[name]
  for (const name of options.lists ?? []) values[name] = [values[name] ?? []].flat()
  const prefix = options.fieldPrefix
  if (prefix) values.form = prefix
  return {
    errors: failure.errors.map((e) => ({
      text: translateMessage(t, e.text),
      href: prefix ? `#${prefix}-${e.href.slice(1)}` : e.href,
    })),
    fieldErrors: Object.fromEntries(
      Object.entries(failure.fieldErrors).map(([k, v]) => [k, { text: translateMessage(t, v.text) }]),
    ),
    values,
  }
}

/**
 * The one way to take a form: the route declares its schema; a body that fails it, or a rule the use case
 * refuses (`Invalid`), shows the page again with 400; `handle` does the work and answers, with `seeOther`
 * (303) so a refresh never sends the form twice, or with a page when the answer must not go in a URL
 * (a search by name, "check my request").
 */
export function postForm<S extends z.ZodType, G extends RouteGenericInterface = RouteGenericInterface>(
  app: FastifyInstance,
  url: string,
  route: FormRoute<S, G>,
  handle: (request: FastifyRequest<G>, reply: FastifyReply, data: z.infer<S>) => Promise<FastifyReply>,
): void {
  const { schema, invalid, lists, fieldPrefix, refusedField = 'form', ...policy } = route
  async function handler(request: FastifyRequest<G>, reply: FastifyReply): Promise<FastifyReply> {
    const fail = (failure: Parameters<typeof formFailure>[1]) =>
      invalid(
        request,
        reply.code(400),
        formFailure(request.t, failure, request.body, { lists, fieldPrefix: fieldPrefix?.(request) }),
      )
    const form = parseForm(typeof schema === 'function' ? await schema(request) : schema, request.body)
    if (!form.ok) return fail(form)
    try {
      return await handle(request, reply, form.data)
    } catch (error) {
      if (!(error instanceof Invalid)) throw error
      return fail(refusal(error.message, error.field ?? refusedField))
    }
  }
  // The route's generic types live in `handler`; Fastify's reply typing adds nothing a form needs.
  app.post(url, { config: { ...policy, body: schema as BodySchema } }, handler as never)
}
