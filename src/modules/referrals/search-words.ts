import { nameKey } from '../people/index.ts'

/**
 * The words staff find a referral by: each word of the resident's name and the postcode without its
 * space, lower case. Search matches the start of a word ("smi" finds Smith, "mith" does not), so that it
 * is read from an index on both databases instead of every name.
 */

// Apostrophes join ("O'Brien" is one word, found by "obrien" and "o'brien"); any other mark between
// letters splits ("Smith-Jones" is found by "smith" and by "jones").
const APOSTROPHES = /['’‘ʼ`]/g
const BETWEEN_WORDS = /[^\p{L}\p{M}\p{N}]+/u

/** The words of a name or of what was typed, each once, in order. */
function wordsOf(text: string): string[] {
  const words = nameKey(text).replace(APOSTROPHES, '').split(BETWEEN_WORDS)
  return [...new Set(words.filter(Boolean))]
}

/** A postcode as one word: "W2 5AB" -> "w25ab". */
function postcodeWord(postcode: string): string {
  return nameKey(postcode).replace(/\s+/g, '')
}

/** What a referral is found by. */
export function searchWordsOf(name: string, postcode: string | null): string[] {
  const words = wordsOf(name)
  const compact = postcode ? postcodeWord(postcode) : ''
  if (compact && !words.includes(compact)) words.push(compact)
  return words
}

/** Code point order, which is the databases' byte order (UTF-8 compares as its code points do). */
export function bytewise(a: string, b: string): number {
  const x = [...a]
  const y = [...b]
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = ((x[i] as string).codePointAt(0) as number) - ((y[i] as string).codePointAt(0) as number)
    if (d) return d
  }
  return x.length - y.length
}

/**
 * Two words of one referral as one key, " a b" with a before b: a search for two terms reads exactly
 * the referrals having both from the index, instead of every referral of one asked for the other. The
 * leading space keeps pairs out of every word's range (a word never starts with one).
 */
export function pairKey(a: string, b: string): string {
  return ` ${a} ${b}`
}

/** What a referral is stored under in the words' index: its words, and each two of them as a pair. */
export function searchKeysOf(words: readonly string[]): string[] {
  const sorted = [...words].sort(bytewise)
  return [...words, ...sorted.flatMap((a, i) => sorted.slice(i + 1).map((b) => pairKey(a, b)))]
}

/**
 * What staff typed, as prefixes: every one of `words` must start a word of the referral; or, for a
 * postcode typed with or without its space, `whole` must start one ("W2 5AB", "w25"). Null when nothing
 * searchable was typed.
 */
export function searchTermsOf(typed: string): { words: string[]; whole: string | null } | null {
  const words = wordsOf(typed)
  if (!words.length) return null
  const whole = postcodeWord(typed)
  return { words, whole: words.length > 1 && whole ? whole : null }
}

/**
 * The first string after every string that starts with `prefix`, in the databases' byte order (the
 * column is compared byte by byte on PostgreSQL too): `word >= prefix and word < prefixEnd(prefix)`
 * reads the prefix's range of the index. Code points compare as UTF-8 bytes do, so the last one is
 * moved on by one (a surrogate pair counted as one code point).
 */
export function prefixEnd(prefix: string): string {
  const points = [...prefix]
  const last = (points.pop() as string).codePointAt(0) as number
  // The highest code point, or one before the surrogates: step past them as UTF-8 order does.
  if (last >= 0x10ffff) return points.length ? prefixEnd(points.join('')) : '\u{10ffff}'
  const next = last + 1 === 0xd800 ? 0xe000 : last + 1
  return points.join('') + String.fromCodePoint(next)
}
