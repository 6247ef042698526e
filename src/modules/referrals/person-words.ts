import type { FastifyRequest } from 'fastify'
import type { Messages, Translate } from '#platform/i18n.ts'
import en from './locales/en.json' with { type: 'json' }
import type { Answers } from './refer.journey.ts'

/** Whom a journey's words are about: the person asking for themselves, or someone asked for. */
export type Person = 'self' | 'other'

export const personOf = (a: Answers): Person => (a.who?.who === 'someone-else' ? 'other' : 'self')

/** Every key of this module's words that has a `self` and an `other` wording. */
function variantKeys(messages: Messages, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) => {
    if (typeof value !== 'object') return []
    const here = prefix + key
    const keys = Object.keys(value)
    if (keys.length === 2 && 'self' in value && 'other' in value) return [here]
    return variantKeys(value, `${here}.`)
  })
}
const VARIANTS = new Set(variantKeys(en as Messages))

/**
 * A translator for one journey's person: a key with `self` and `other` wordings gives this person's, so
 * every page, choice and error message of the journey speaks of the right person without each view
 * choosing. Keys already naming the person (`refer.name.title.self`) are left as they are.
 */
export function wordsFor(t: Translate, person: Person): Translate {
  return (key, params) => t(VARIANTS.has(key) ? `${key}.${person}` : key, params)
}

/** Puts this request's words into the journey's person, for the page it is about to render. */
export function speakOf(request: FastifyRequest, person: Person): void {
  request.t = wordsFor(request.t, person)
}
