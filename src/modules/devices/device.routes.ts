import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import QRCode from 'qrcode'
import type { z } from 'zod'
import { can } from '#platform/access.ts'
import type { FormFailure } from '#platform/forms.ts'
import { postForm } from '#platform/forms.ts'
import { auditContext, seeOther, staffUser } from '#platform/http.ts'
import { londonToday } from '#platform/london.ts'
import { dateAnswers, withDateItems } from './device.dates.ts'
import {
  allocationSchema,
  DATES,
  deviceSchema,
  disposalSchema,
  donationSchema,
  emptySchema,
  followUpSchema,
  handoverSchema,
  returnSchema,
  stockFilterSchema,
  wipeSchema,
} from './device.schemas.ts'
import type { DeviceService } from './device.service.ts'
import {
  AGREEMENT_VERSION,
  CONDITIONS,
  DEVICE_KINDS,
  DEVICE_STATES,
  DEVICE_TRANSITIONS,
  HANDOVER_ITEMS,
  SOURCES,
  USES,
  USING_IT,
} from './device.ts'
import { figuresRoutes } from './figures.routes.ts'
import { filterSelects, stockMarkup } from './stock.presenter.ts'

type Id = { Params: { id: string } }
const V = 'devices/views'
const choices = {
  kinds: DEVICE_KINDS,
  states: DEVICE_STATES,
  sources: SOURCES,
  conditions: CONDITIONS,
  items: HANDOVER_ITEMS,
  agreementVersion: AGREEMENT_VERSION,
  usingIt: USING_IT,
  uses: USES,
}

/** A page in the answer's status: a form that failed has had 400 set by postForm. */
const show = (reply: FastifyReply, view: string, context: Record<string, unknown>) =>
  reply.render(view, context, reply.statusCode)

/** The device coordinator's pages: stock, intake, a device and each step of its life, loans. */
export function deviceRoutes(app: FastifyInstance, devices: DeviceService) {
  figuresRoutes(app, devices)
  const view = { config: { access: 'devices.view' as const } }
  const manage = 'devices.manage' as const

  // The rows and the ready list are written out once for each page of the stock the service keeps.
  const markup = stockMarkup()
  app.get('/staff/devices', view, async (request, reply) => {
    const user = staffUser(request)
    const filter = stockFilterSchema.parse(request.query ?? {})
    const { stock, ready, overdue, libraries } = await devices.stockPage(user, {
      ...filter,
      text: filter.tag,
    })
    const { t, locale } = request
    return reply.render(`${V}/stock.njk`, {
      stock,
      filter,
      ...filterSelects(t, markup.words(locale.code, t), libraries, filter),
      rowsHtml: markup.rows(stock.rows, libraries, locale.code, t),
      hasReady: ready.length > 0,
      readyHtml: markup.ready(ready, libraries, locale.code, t),
      overdue,
      canManage: can(user, manage),
      filterQuery: new URLSearchParams(
        Object.entries({ kind: filter.kind, status: filter.status, library: filter.library, tag: filter.tag })
          .filter(([, v]) => v)
          .map(([k, v]) => [k, String(v)]),
      ).toString(),
    })
  })

  app.get('/staff/devices/loans', view, async (request, reply) => {
    const user = staffUser(request)
    const today = londonToday()
    const soon = new Date(`${today}T00:00:00Z`)
    soon.setUTCDate(soon.getUTCDate() + 14)
    const until = soon.toISOString().slice(0, 10)
    const [due, sims] = await Promise.all([devices.loansDue(user, until), devices.simsExpiring(user, until)])
    return reply.render(`${V}/loans.njk`, {
      overdue: due.filter((l) => (l.due_on ?? '') < today),
      dueSoon: due.filter((l) => (l.due_on ?? '') >= today),
      sims,
      today,
    })
  })

  // --- donations ---

  const donationPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Partial<FormFailure> = {},
  ) =>
    show(
      reply,
      `${V}/donation-form.njk`,
      withDateItems(DATES.donation, {
        libraries: await devices.librariesInScope(staffUser(request)),
        values: { ...dateAnswers('receivedOn', londonToday()), donorKind: 'organisation' },
        ...extra,
      }),
    )

  app.get('/staff/devices/donations/new', { config: { access: manage } }, (request, reply) =>
    donationPage(request, reply),
  )
  postForm(
    app,
    '/staff/devices/donations/new',
    {
      access: manage,
      schema: donationSchema,
      invalid: (request, reply, failure) => donationPage(request, reply, failure),
    },
    async (request, reply, data) => {
      const id = await devices.recordDonation(staffUser(request), data, auditContext(request))
      return seeOther(reply, `/staff/devices/donations/${id}`)
    },
  )

  app.get<Id>('/staff/devices/donations/:id', view, async (request, reply) => {
    const report = await devices.donationReport(staffUser(request), request.params.id)
    return reply.render(`${V}/donation.njk`, { ...report, canManage: can(staffUser(request), manage) })
  })

  // --- a new device ---

  const devicePage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Partial<FormFailure> = {},
  ) => {
    const user = staffUser(request)
    const query = request.query as { donation?: string }
    return show(
      reply,
      `${V}/device-form.njk`,
      withDateItems(DATES.device, {
        ...choices,
        libraries: await devices.librariesInScope(user),
        donations: await devices.recentDonations(user),
        values: {
          condition: 'good',
          ...(query.donation ? { source: 'donated', donation: query.donation } : {}),
        },
        ...extra,
      }),
    )
  }

  app.get('/staff/devices/new', { config: { access: manage } }, (request, reply) =>
    devicePage(request, reply),
  )
  postForm(
    app,
    '/staff/devices/new',
    {
      access: manage,
      schema: deviceSchema,
      invalid: (request, reply, failure) => devicePage(request, reply, failure),
    },
    async (request, reply, data) => {
      const id = await devices.addDevice(staffUser(request), data, auditContext(request))
      return seeOther(reply, `/staff/devices/${id}`)
    },
  )

  // --- one device ---

  async function showDevice(
    request: FastifyRequest<Id>,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
  ): Promise<FastifyReply> {
    const user = staffUser(request)
    const found = await devices.getDevice(user, request.params.id)
    return show(reply, `${V}/device.njk`, {
      ...found,
      next: DEVICE_TRANSITIONS[found.device.status],
      canManage: can(user, manage),
      canSeeVoucher: can(user, 'devices.vouchers'),
      ...extra,
    })
  }

  app.get<Id>('/staff/devices/:id', view, (request, reply) => showDevice(request, reply))

  app.get<Id>('/staff/devices/:id/label', view, async (request, reply) => {
    const { device, library } = await devices.getDevice(staffUser(request), request.params.id)
    // Drawn here as SVG: the label needs no script and no other origin.
    const qr = await QRCode.toString(device.asset_tag, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
    return reply.render(`${V}/label.njk`, { device, library, qr })
  })

  postForm<typeof emptySchema, Id>(
    app,
    '/staff/devices/:id/voucher',
    {
      access: 'devices.vouchers',
      schema: emptySchema,
      invalid: (request, reply, failure) => showDevice(request, reply, { ...failure }),
    },
    async (request, reply) => {
      const voucher = await devices.revealVoucher(
        staffUser(request),
        request.params.id,
        auditContext(request),
      )
      return showDevice(request, reply, { voucher })
    },
  )

  /** A button on the device page: done, back to the page; refused, the page with the reason. */
  function action(path: string, run: (request: FastifyRequest<Id>) => Promise<void>) {
    postForm<typeof emptySchema, Id>(
      app,
      `/staff/devices/:id/${path}`,
      {
        access: manage,
        schema: emptySchema,
        invalid: (request, reply, failure) => showDevice(request, reply, { ...failure }),
      },
      async (request, reply) => {
        await run(request)
        return seeOther(reply, `/staff/devices/${request.params.id}`)
      },
    )
  }
  action('ready', (r) => devices.markReady(staffUser(r), r.params.id, auditContext(r)))
  action('to-wipe', (r) => devices.sendToWipe(staffUser(r), r.params.id, auditContext(r)))
  action('lost', (r) => devices.markLost(staffUser(r), r.params.id, auditContext(r)))
  action('cancel', (r) => devices.cancelAllocation(staffUser(r), r.params.id, auditContext(r)))

  /** A step with a form of its own: its page, and the post that does it. */
  function step<S extends z.ZodType>(
    path: string,
    page: string,
    schema: S,
    /** Its dates, asked as GOV.UK date inputs. */
    dates: readonly string[],
    defaults: () => Record<string, unknown>,
    run: (request: FastifyRequest<Id>, data: z.infer<S>) => Promise<unknown>,
  ) {
    const render = async (
      request: FastifyRequest<Id>,
      reply: FastifyReply,
      extra: Partial<FormFailure> = {},
    ) => {
      const found = await devices.getDevice(staffUser(request), request.params.id)
      const context = { ...choices, ...found, values: defaults(), ...extra }
      return show(reply, `${V}/${page}.njk`, withDateItems(dates, context))
    }
    app.get<Id>(`/staff/devices/:id/${path}`, { config: { access: manage } }, (request, reply) =>
      render(request, reply),
    )
    postForm<S, Id>(
      app,
      `/staff/devices/:id/${path}`,
      { access: manage, schema, invalid: (request, reply, failure) => render(request, reply, failure) },
      async (request, reply, data) => {
        await run(request, data)
        return seeOther(reply, `/staff/devices/${request.params.id}`)
      },
    )
  }

  step(
    'wipe',
    'wipe',
    wipeSchema,
    DATES.wipe,
    () => ({
      ...dateAnswers('wipedOn', londonToday()),
      standard: 'NIST SP 800-88 Rev. 1',
      method: 'Purge',
    }),
    (r, data) => devices.recordWipe(staffUser(r), r.params.id, data, auditContext(r)),
  )
  step(
    'retire',
    'retire',
    disposalSchema,
    DATES.retire,
    () => dateAnswers('disposedOn', londonToday()),
    (r, data) => devices.retire(staffUser(r), r.params.id, data, auditContext(r)),
  )
  step(
    'allocate',
    'allocate',
    allocationSchema,
    DATES.allocate,
    () => ({ kind: 'loan', via: 'referral' }),
    (r, data) =>
      devices.allocate(
        staffUser(r),
        {
          deviceId: r.params.id,
          kind: data.kind,
          dueOn: data.dueOn || undefined,
          recipient:
            data.via === 'referral'
              ? { reference: data.reference }
              : { personName: data.personName, phone: data.phone },
        },
        auditContext(r),
      ),
  )
  step(
    'hand-over',
    'hand-over',
    handoverSchema,
    [],
    () => ({ items: [] }),
    (r, data) =>
      devices.handOver(
        staffUser(r),
        { deviceId: r.params.id, agreedName: data.agreedName, items: data.items, remindBy: data.remindBy },
        auditContext(r),
      ),
  )
  step(
    'follow-up',
    'follow-up',
    followUpSchema,
    [],
    () => ({ uses: [] }),
    (r, data) => devices.recordFollowUp(staffUser(r), r.params.id, data, auditContext(r)),
  )
  step(
    'return',
    'return',
    returnSchema,
    [],
    () => ({ items: [] }),
    (r, data) =>
      devices.returnDevice(
        staffUser(r),
        { deviceId: r.params.id, items: data.items, condition: data.condition },
        auditContext(r),
      ),
  )
}
