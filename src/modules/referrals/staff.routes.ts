import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import { Invalid } from '#platform/errors.ts'
import { auditContext, seeOther, staffUser } from '#platform/http.ts'
import { parseForm, refusal } from '#platform/validation.ts'
import { presentCase } from './case.presenter.ts'
import { bodyValues, translated } from './forms.ts'
import { labelledItems, labels } from './referral.labels.ts'
import { NEED_KINDS, NEED_STATES, OUTCOMES } from './referral.ts'
import type { ReferralRules } from './rules.ts'
import {
  assignSchema,
  CONTACT_ATTEMPT_METHODS,
  CONTACT_ATTEMPT_RESULTS,
  contactAttemptSchema,
  needChangeSchema,
  noteSchema,
  queueFilterSchema,
  searchSchema,
  transferSchema,
} from './staff.schemas.ts'
import type { TriageService } from './triage.service.ts'

type Id = { Params: { id: string } }
type Queue = Awaited<ReturnType<TriageService['queue']>>

/** The queue's drop-down filters, with the current choice selected. */
function selects(queue: Queue, f: Partial<Record<'status' | 'need' | 'borough' | 'officer', string>>) {
  const items = (first: string, options: { value: string; text: string }[], chosen?: string) => [
    { value: '', text: first },
    ...options.map((o) => ({ ...o, selected: o.value === chosen })),
  ]
  return {
    status: items('Any status', labelledItems(NEED_STATES, labels.state), f.status),
    need: items('Any help', labelledItems(NEED_KINDS, labels.kind), f.need),
    borough: items(
      'All my boroughs',
      queue.boroughs.map((b) => ({ value: b.code, text: b.name })),
      f.borough,
    ),
    officer: items(
      'Anyone',
      [
        { value: 'me', text: 'Me' },
        { value: 'none', text: 'Not assigned' },
        ...queue.officers.map((o) => ({ value: o.id, text: o.name })),
      ],
      f.officer,
    ),
  }
}
/**
 * The queue as the page shows it: each request's words worked out here, not by calls from the
 * template for every request on the page.
 */
function queuePage(queue: Queue) {
  return {
    ...queue,
    rows: queue.rows.map((r) => ({
      ...r,
      needs: r.needs.map((n) => ({
        kind: labels.kind(n.kind),
        state: labels.stateTag(n.status),
        outcome: n.outcome ? labels.outcome(n.outcome) : null,
      })),
    })),
  }
}

/** "1 referral", "More than 1,000 referrals found": the queue's caption through the locale's plurals. */
function caption(t: FastifyRequest['t'], queue: Queue, searching: boolean) {
  const key = `${queue.more ? 'moreThan' : 'count'}${searching ? 'Found' : ''}`
  return t(`triage.queue.${key}`, { count: queue.total })
}

const V = 'referrals/views/staff'
/** What `?saved=` may say after an action on a case. */
const SAVED = ['status', 'contact', 'note', 'assigned', 'merged', 'distinct']

/** Staff triage: the queue, search, the case page and every action on a case. */
export function staffRoutes(app: FastifyInstance, triage: TriageService, rules: ReferralRules) {
  const view = { config: { access: 'referrals.view' as const } }
  const act = { config: { access: 'referrals.triage' as const } }
  const choices = {
    labels,
    states: NEED_STATES,
    kinds: NEED_KINDS,
    outcomes: OUTCOMES,
    methods: CONTACT_ATTEMPT_METHODS,
    results: CONTACT_ATTEMPT_RESULTS,
    minContactAttempts: rules.minContactAttempts,
  }

  app.get('/staff/referrals', view, async (request, reply) => {
    const f = queueFilterSchema.parse(request.query ?? {})
    const queue = await triage.queue(staffUser(request), {
      status: f.status,
      need: f.need,
      borough: f.borough,
      minDays: f.days,
      officer: f.officer,
      staleOnly: f.stale === '1',
      page: f.page,
    })
    const params = new URLSearchParams(
      Object.entries({ ...f, page: undefined }).flatMap(([k, v]) =>
        v === undefined ? [] : [[k, String(v)]],
      ),
    )
    return reply.render(`${V}/queue.njk`, {
      ...choices,
      ...queuePage(queue),
      selects: selects(queue, f),
      caption: caption(request.t, queue, false),
      filter: f,
      page: f.page,
      filterQuery: params.toString(),
    })
  })

  app.post('/staff/referrals/search', view, async (request, reply) => {
    const form = parseForm(searchSchema, request.body)
    const values = bodyValues(request.body)
    if (!form.ok) {
      const queue = await triage.queue(staffUser(request), { page: 1 })
      return reply.render(
        `${V}/queue.njk`,
        {
          ...choices,
          ...queuePage(queue),
          ...form,
          selects: selects(queue, {}),
          caption: caption(request.t, queue, false),
          filter: {},
          page: 1,
          values,
        },
        400,
      )
    }
    const queue = await triage.queue(
      staffUser(request),
      { search: form.data.q, page: form.data.page },
      auditContext(request),
    )
    return reply.render(`${V}/queue.njk`, {
      ...choices,
      ...queuePage(queue),
      selects: selects(queue, {}),
      caption: caption(request.t, queue, true),
      filter: {},
      page: form.data.page,
      values,
      searching: true,
    })
  })

  async function showCase(
    request: FastifyRequest<Id>,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    const data = await triage.getCase(staffUser(request), request.params.id, auditContext(request))
    const saved = (request.query as { saved?: string }).saved
    const options = (first: string, values: readonly string[], word: (code: string) => string) => [
      { value: '', text: first },
      ...labelledItems(values, word),
    ]
    const user = staffUser(request)
    return reply.render(
      `${V}/case.njk`,
      {
        referral: data.referral,
        borough: data.borough,
        view: presentCase(request.t, data),
        savedText: saved && SAVED.includes(saved) ? request.t(`triage.case.saved.${saved}`) : null,
        outcomeItems: options('No outcome', OUTCOMES, labels.outcome),
        methodItems: options('Choose', CONTACT_ATTEMPT_METHODS, labels.method),
        resultItems: options('Choose', CONTACT_ATTEMPT_RESULTS, labels.result),
        canAssign: user.permissions.has('referrals.assign'),
        canTriage: user.permissions.has('referrals.triage'),
        officerItems: [
          { value: '', text: 'Choose an officer' },
          ...data.officers.map((o) => ({
            value: o.id,
            text: o.id === user.id ? `${o.name} (you)` : o.name,
          })),
        ],
        boroughItems: [
          { value: '', text: 'Choose' },
          ...data.otherBoroughs.map((b) => ({ value: b.code, text: b.name })),
        ],
        values: {},
        ...extra,
      },
      status,
    )
  }

  app.get<Id>('/staff/referrals/:id', view, async (request, reply) => showCase(request, reply))

  /** Validate, run the use case, and either redirect (saved) or show the case again with the problem. */
  function action<S extends z.ZodType>(
    path: string,
    schema: S,
    run: (
      request: FastifyRequest<Id & { Params: Record<string, string> }>,
      data: z.infer<S>,
    ) => Promise<void>,
    saved: string,
    policy: { config: { access: 'referrals.triage' | 'referrals.assign' } } = act,
  ) {
    app.post<Id & { Params: Record<string, string> }>(
      `/staff/referrals/:id${path}`,
      policy,
      async (request, reply) => {
        const form = parseForm(schema, request.body)
        const formName = path.split('/')[1] ?? ''
        // Field ids on the case page carry their form's name (several forms have a note).
        const prefix = formName === 'needs' ? `need-${request.params.needId}` : formName
        const values = { ...bodyValues(request.body), form: prefix }
        const withIds = (f: ReturnType<typeof translated>) => ({
          ...f,
          errors: f.errors.map((e) => ({ ...e, href: `#${prefix}-${e.href.slice(1)}` })),
        })
        if (!form.ok)
          return showCase(request, reply, { ...withIds(translated(request.t, form)), values }, 400)
        try {
          await run(request, form.data)
        } catch (error) {
          if (!(error instanceof Invalid)) throw error
          const refused = translated(request.t, refusal(error.message, error.field ?? 'to'))
          return showCase(request, reply, { ...withIds(refused), values }, 400)
        }
        // A case sent to another borough may now be outside the officer's scope: back to the queue.
        if (saved === 'transferred') return seeOther(reply, '/staff/referrals?transferred=1')
        return seeOther(reply, `/staff/referrals/${request.params.id}?saved=${saved}`)
      },
    )
  }

  action(
    '/needs/:needId',
    needChangeSchema,
    (request, d) =>
      triage.changeNeed(
        staffUser(request),
        { referralId: request.params.id, needId: String(request.params.needId), ...d },
        auditContext(request),
      ),
    'status',
  )
  action(
    '/contact',
    contactAttemptSchema,
    (request, d) =>
      triage.logContactAttempt(
        staffUser(request),
        { referralId: request.params.id, ...d },
        auditContext(request),
      ),
    'contact',
  )
  action(
    '/notes',
    noteSchema,
    (request, d) =>
      triage.addNote(
        staffUser(request),
        { referralId: request.params.id, note: d.note },
        auditContext(request),
      ),
    'note',
  )
  action(
    '/assign',
    assignSchema,
    (request, d) =>
      triage.assign(staffUser(request), { referralId: request.params.id, to: d.to }, auditContext(request)),
    'assigned',
    { config: { access: 'referrals.assign' } },
  )
  action(
    '/transfer',
    transferSchema,
    (request, d) =>
      triage.transfer(staffUser(request), { referralId: request.params.id, ...d }, auditContext(request)),
    'transferred',
  )

  for (const decision of ['merge', 'distinct'] as const) {
    app.post<{ Params: { id: string; otherId: string } }>(
      `/staff/referrals/:id/people/:otherId/${decision}`,
      act,
      async (request, reply) => {
        const input = { referralId: request.params.id, otherId: request.params.otherId }
        const user = staffUser(request)
        if (decision === 'merge') await triage.mergePerson(user, input, auditContext(request))
        else await triage.markDistinct(user, input, auditContext(request))
        return seeOther(
          reply,
          `/staff/referrals/${request.params.id}?saved=${decision === 'merge' ? 'merged' : 'distinct'}`,
        )
      },
    )
  }
}
