/**
 * Each library's access features as best known when this list was compiled, from what the two library
 * services say of their buildings and public computers, with the date it was compiled. It is loaded once,
 * when a library is first added; from then on the library's staff confirm or correct it on the place's
 * page in the Hub (Directory, the place, "Access features"), which dates each feature they check.
 * Codes are those of ACCESS_FEATURES in reference-taxonomy.ts.
 */

/** What the accessible public computers of every library have (both services' standard set-up). */
const ASSISTIVE_COMPUTERS = ['large-print-keyboards', 'screen-readers', 'magnifiers']
/** What every library offers at its counter and in its building. */
const EVERY_BUILDING = ['hearing-loop', 'assistance-dogs', 'seating']
/** A library in a building with level or ramped entry, a lift to public floors and an accessible toilet. */
const STEP_FREE = ['step-free', 'lift', 'accessible-toilet']

const COMPILED = '2026-12-01'

const at = (...extra: string[][]) => ({
  checked: COMPILED,
  features: [...new Set([...EVERY_BUILDING, ...ASSISTIVE_COMPUTERS, ...extra.flat()])],
})

export const LIBRARY_ACCESS: Record<string, { checked: string; features: string[] }> = {
  brompton: at(['step-free', 'accessible-toilet']),
  chelsea: at(STEP_FREE, ['height-adjustable-desks', 'quiet-space']),
  kensal: at(['step-free']),
  'kensington-central': at(STEP_FREE, ['height-adjustable-desks', 'quiet-space', 'baby-changing']),
  'north-kensington': at(STEP_FREE, ['height-adjustable-desks', 'baby-changing']),
  'notting-hill-gate': at(['step-free']),
  'charing-cross': at(STEP_FREE, ['height-adjustable-desks']),
  'church-street': at(STEP_FREE, ['height-adjustable-desks', 'baby-changing']),
  'maida-vale': at(['accessible-toilet']),
  marylebone: at(STEP_FREE, ['height-adjustable-desks', 'quiet-space', 'baby-changing']),
  mayfair: at([]),
  paddington: at(STEP_FREE, ['height-adjustable-desks', 'baby-changing']),
  pimlico: at(STEP_FREE, ['height-adjustable-desks']),
  'queens-park': at(STEP_FREE, ['baby-changing']),
  'st-johns-wood': at(['step-free', 'accessible-toilet']),
  victoria: at(STEP_FREE, ['height-adjustable-desks']),
  'westminster-reference': at(['lift', 'quiet-space']),
}
