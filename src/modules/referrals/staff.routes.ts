import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import { NO_ANSWERS, postForm } from '#platform/forms.ts'
import { auditContext, seeOther, staffUser } from '#platform/http.ts'
import { presentCase } from './case.presenter.ts'
import { queueRowsHtml, selectHtml } from './queue.presenter.ts'
import { labelledItems, type ReferralWords, referralWords } from './referral.labels.ts'
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

/** The queue's drop-down filters, with the current choice selected, and its rows: the page's markup. */
function queuePage(
  labels: ReferralWords,
  queue: Queue,
  f: Partial<Record<'status' | 'need' | 'borough' | 'officer', string>>,
) {
  const items = (first: string, options: { value: string; text: string }[], chosen?: string) => [
    { value: '', text: first },
    ...options.map((o) => ({ ...o, selected: o.value === chosen })),
  ]
  return {
    total: queue.total,
    more: queue.more,
    pages: queue.pages,
    rowsHtml: queueRowsHtml(queue.rows, labels),
    selectsHtml: {
      status: selectHtml(
        'status',
        'Request status',
        items('Any status', labelledItems(NEED_STATES, labels.state), f.status),
      ),
      need: selectHtml(
        'need',
        'Help needed',
        items('Any help', labelledItems(NEED_KINDS, labels.kind), f.need),
      ),
      borough: selectHtml(
        'borough',
        'Borough',
        items(
          'All my boroughs',
          queue.boroughs.map((b) => ({ value: b.code, text: b.name })),
          f.borough,
        ),
      ),
      officer: selectHtml(
        'officer',
        'Officer',
        items(
          'Anyone',
          [
            { value: 'me', text: 'Me' },
            { value: 'none', text: 'Not assigned' },
            ...queue.officers.map((o) => ({ value: o.id, text: o.name })),
          ],
          f.officer,
        ),
      ),
    },
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
  const choices = {
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
      ...queuePage(referralWords(request.t), queue, f),
      caption: caption(request.t, queue, false),
      filter: f,
      page: f.page,
      filterQuery: params.toString(),
    })
  })

  // A search by name or postcode is answered on the POST itself: personal data stays out of URLs.
  postForm(
    app,
    '/staff/referrals/search',
    {
      access: 'referrals.view',
      schema: searchSchema,
      invalid: async (request, reply, failure) => {
        const queue = await triage.queue(staffUser(request), { page: 1 })
        const page = {
          ...choices,
          ...queuePage(referralWords(request.t), queue, {}),
          caption: caption(request.t, queue, false),
          filter: {},
          page: 1,
        }
        return reply.render(`${V}/queue.njk`, { ...page, ...failure }, 400)
      },
    },
    async (request, reply, data) => {
      const queue = await triage.queue(
        staffUser(request),
        { search: data.q, page: data.page },
        auditContext(request),
      )
      return reply.render(`${V}/queue.njk`, {
        ...choices,
        ...queuePage(referralWords(request.t), queue, {}),
        caption: caption(request.t, queue, true),
        filter: {},
        page: data.page,
        values: { q: data.q },
        searching: true,
      })
    },
  )

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
    const labels = referralWords(request.t)
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

  type OnCase = { Params: { id: string; needId?: string } }

  /**
   * A form on the case page: the use case, then back to the case saying what was saved, or the case
   * again with the problem. Field ids on the page carry their form's name (several forms have a note).
   */
  function caseForm<S extends z.ZodType>(
    path: string,
    schema: S,
    run: (request: FastifyRequest<OnCase>, data: z.infer<S>) => Promise<void>,
    saved: string,
    access: 'referrals.triage' | 'referrals.assign' = 'referrals.triage',
  ) {
    const formName = path.split('/')[1] ?? ''
    postForm<S, OnCase>(
      app,
      `/staff/referrals/:id${path}`,
      {
        access,
        schema,
        fieldPrefix: (request) => (formName === 'needs' ? `need-${request.params.needId}` : formName),
        refusedField: 'to',
        invalid: (request, reply, failure) => showCase(request, reply, failure, 400),
      },
      async (request, reply, data) => {
        await run(request, data)
        // A case sent to another borough may now be outside the officer's scope: back to the queue.
        if (saved === 'transferred') return seeOther(reply, '/staff/referrals?transferred=1')
        return seeOther(reply, `/staff/referrals/${request.params.id}?saved=${saved}`)
      },
    )
  }

  caseForm(
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
  caseForm(
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
  caseForm(
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
  caseForm(
    '/assign',
    assignSchema,
    (request, d) =>
      triage.assign(staffUser(request), { referralId: request.params.id, to: d.to }, auditContext(request)),
    'assigned',
    'referrals.assign',
  )
  caseForm(
    '/transfer',
    transferSchema,
    (request, d) =>
      triage.transfer(staffUser(request), { referralId: request.params.id, ...d }, auditContext(request)),
    'transferred',
  )

  for (const decision of ['merge', 'distinct'] as const) {
    postForm<typeof NO_ANSWERS, { Params: { id: string; otherId: string } }>(
      app,
      `/staff/referrals/:id/people/:otherId/${decision}`,
      {
        access: 'referrals.triage',
        schema: NO_ANSWERS,
        invalid: (request, reply, failure) => showCase(request, reply, failure, 400),
      },
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
