/**
 * Booking a place at a digital help session through the public form, for the benchmark: residents first
 * open the booking form of a date to come (each with its own cookies, address and CSRF token), then all
 * their booking POSTs are made as fast as the Hub takes them: the rate of the booking POST alone. Each
 * booking is written (and fsynced) before its 303, so the rate is of durable bookings.
 */
import { JourneyError, type Resident } from './journey.ts'
import type { BenchContext, LoadOptions } from './load.ts'
import { failed, measure, withClient } from './referral-load.ts'

export function bookOnly(name: string, forms: number) {
  return (ctx: BenchContext, opts: LoadOptions) =>
    withClient(ctx, opts.connections, async (client) => {
      const list = await client.resident().get('/sessions')
      const dates = [
        ...new Set([...list.body.matchAll(/href="\/sessions\/([0-9a-f-]{36})"/g)].map((m) => m[1])),
      ]
      if (!dates.length) throw new Error('no dates to come on /sessions')
      const prepared: { r: Resident; path: string; carer: boolean }[] = []
      let n = 0
      await measure(
        name,
        '',
        '',
        ctx,
        (s) =>
          Promise.all(
            Array.from({ length: opts.connections }, async () => {
              while (n < forms) {
                const path = `/sessions/${dates[n++ % dates.length]}/book`
                const r = s.client.resident()
                try {
                  const form = await r.get(path)
                  // A coding club asks for a parent or carer and their consent.
                  prepared.push({ r, path, carer: form.body.includes('name="carerName"') })
                } catch (error) {
                  failed(s, error)
                }
              }
            }),
          ).then(() => {}),
        client,
      )
      console.log(`  ${prepared.length} booking forms opened on ${dates.length} dates`)
      let i = 0
      return measure(
        name,
        'POST /sessions/:id/book',
        'booking POST of opened forms',
        ctx,
        (s) =>
          Promise.all(
            Array.from({ length: opts.connections }, async () => {
              for (let one = prepared.pop(); one; one = prepared.pop()) {
                try {
                  const k = i++
                  const sent = await one.r.post(one.path, {
                    name: `Bench Resident ${k}`,
                    contactBy: 'email',
                    email: `bench${k}@example.org`,
                    safeToContact: 'yes',
                    ...(one.carer
                      ? { carerName: 'Bench Carer', carerContact: '07700 900999', carerConsent: 'yes' }
                      : {}),
                  })
                  if (!sent.location.startsWith('/sessions/booked'))
                    throw new JourneyError(`booking went to ${sent.location}`)
                  s.sends.push(sent.ms)
                } catch (error) {
                  failed(s, error)
                }
              }
            }),
          ).then(() => {}),
        client,
      )
    })
}
