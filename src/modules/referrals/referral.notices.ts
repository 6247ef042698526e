import path from 'node:path'
import type { Executor } from '#platform/database.ts'
import { DEFAULT_LOCALE, loadLocales, type Translate, translator } from '#platform/i18n.ts'
import type { NewMessage, Outbox } from '#platform/outbox.ts'
import { isMobile } from '../people/index.ts'
import type { ReferralInput } from './refer.schemas.ts'
import type { NeedState, Outcome } from './referral.ts'
import { formatReference } from './referral.ts'

/**
 * The closed loop: what the resident and the referrer are told, on which channel. Residents hear only
 * on a channel they said is safe; referrers hear status and outcome codes, never case notes.
 */

export interface Recipient {
  channel: 'email' | 'sms'
  recipient: string
}

/** Email if they gave one to be contacted on; a text only to a mobile they said may get texts. */
export function residentChannels(r: ReferralInput['resident']): Recipient[] {
  const out: Recipient[] = []
  if (r.contactMethods.includes('email') && r.email) out.push({ channel: 'email', recipient: r.email })
  if (r.contactMethods.includes('phone') && r.safe.includes('text') && r.phone && isMobile(r.phone))
    out.push({ channel: 'sms', recipient: r.phone })
  return out
}

export function referrerChannel(
  referrer: { email?: string; phone?: string } | null | undefined,
): Recipient | null {
  if (referrer?.email) return { channel: 'email', recipient: referrer.email }
  if (referrer?.phone && isMobile(referrer.phone)) return { channel: 'sms', recipient: referrer.phone }
  return null
}

const englishByRoot = new Map<string, Translate>()

/** This module's own English words (messages use only those), read from disk once a process. */
export function englishTranslator(appRoot: string): Translate {
  let t = englishByRoot.get(appRoot)
  if (!t) {
    const en = loadLocales([path.join(appRoot, 'src/modules/referrals/locales')]).get(DEFAULT_LOCALE)
    if (!en) throw new Error('No English locale')
    t = translator(en, en)
    englishByRoot.set(appRoot, t)
  }
  return t
}

export function referralNotices(outbox: Outbox, t: Translate, serviceName: string, publicUrl: string) {
  const common = { serviceName, trackUrl: `${publicUrl}/track` }
  return {
    async received(
      tx: Executor,
      input: {
        reference: string
        boroughId: string
        byDate: string
        needs: string[]
        resident: Recipient[]
        referrer: Recipient | null
      },
    ): Promise<void> {
      const reference = formatReference(input.reference)
      const messages: NewMessage[] = input.resident.map((r) => ({
        ...r,
        boroughId: input.boroughId,
        template: 'referral-received-resident',
        personalisation: { ...common, reference, byDate: input.byDate },
      }))
      if (input.referrer)
        messages.push({
          ...input.referrer,
          boroughId: input.boroughId,
          template: 'referral-received-referrer',
          personalisation: {
            ...common,
            reference,
            byDate: input.byDate,
            needs: input.needs.map((n) => t(`refer.needKind.${n}`)).join(', '),
          },
        })
      await outbox.enqueueMany(tx, messages)
    },

    /** A need was accepted, declined, withdrawn or has an outcome: the referrer is told, in plain words. */
    async needChanged(
      tx: Executor,
      input: {
        reference: string
        boroughId: string
        kind: string
        status: NeedState
        outcome: Outcome | null
        signposting: string | null
        referrer: Recipient | null
      },
    ): Promise<void> {
      if (!input.referrer) return
      await outbox.enqueue(tx, {
        ...input.referrer,
        boroughId: input.boroughId,
        template: 'referral-need-update',
        personalisation: {
          ...common,
          reference: formatReference(input.reference),
          need: t(`refer.needKind.${input.kind}`),
          status: t(`track.status.${input.status}`),
          statusCode: input.status,
          outcome: input.outcome ? t(`track.outcome.${input.outcome}`) : '',
          outcomeCode: input.outcome ?? '',
          signposting: input.signposting ?? '',
        },
      })
    },
  }
}
