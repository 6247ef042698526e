/** The made-up parts of generated referrals: names, officers, and how far along each request is. */
import type { NeedKind, NeedState } from '../../src/modules/referrals/referral.ts'
import type { Random } from './random.ts'

export const FIRST = [
  'Amara',
  'Tomasz',
  'Fatima',
  'Siobhan',
  'Hiroshi',
  'Grace',
  'Luis',
  'Nasrin',
  'Edith',
  'Kwame',
].concat(['Olena', 'Yusuf', 'Margaret', 'Chidi', 'Aisha', 'Bernard', 'Mei', 'Rahim', 'Joan', 'Dawit'])
export const LAST = [
  'Okafor',
  'Kowalski',
  'Al-Sayed',
  "O'Neill",
  'Tanaka',
  'Mensah',
  'Fernández',
  'Hosseini',
].concat(['Clarke', 'Boateng', 'Petrenko', 'Demir', 'Whitfield', 'Eze', 'Rahman', 'Haile', 'Nguyen'])
export const LANGUAGES = [
  '',
  '',
  '',
  '',
  'Arabic',
  'Farsi',
  'Polish',
  'Somali',
  'Bengali',
  'Portuguese',
  'Tigrinya',
]
export const OFFICERS = [
  'Priya Shah',
  'Daniel Hughes',
  'Ayesha Khan',
  'Tom Baker',
  'Rosa Martins',
  'Kofi Asante',
]
export const ORGANISATIONS = [
  'Harbour Street Trust',
  'Westway Hospital discharge team',
  'Northbank Adult Learning',
]
export const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ'

/** Which states a request is in, by how long ago it came: new ones wait, old ones are mostly done. */
export function stateFor(ageDays: number, r: Random): NeedState {
  const weighted = (pairs: [NeedState, number][]) => {
    let x = r.next() * pairs.reduce((s, [, w]) => s + w, 0)
    for (const [state, w] of pairs) {
      x -= w
      if (x < 0) return state
    }
    return pairs[0]?.[0] ?? 'submitted'
  }
  if (ageDays < 3)
    return weighted([
      ['submitted', 70],
      ['in-triage', 30],
    ])
  if (ageDays < 14)
    return weighted(
      [
        ['submitted', 15],
        ['in-triage', 25],
        ['needs-information', 10],
        ['routed', 25],
      ].concat([
        ['waitlisted', 10],
        ['scheduled', 10],
        ['declined', 3],
        ['withdrawn', 2],
      ]) as [NeedState, number][],
    )
  if (ageDays < 60)
    return weighted(
      [
        ['in-triage', 2],
        ['needs-information', 3],
        ['routed', 10],
        ['waitlisted', 12],
      ]
        .concat([
          ['scheduled', 13],
          ['in-progress', 20],
          ['outcome-recorded', 20],
          ['closed', 10],
        ])
        .concat([
          ['declined', 6],
          ['withdrawn', 4],
        ]) as [NeedState, number][],
    )
  return weighted(
    [
      ['in-triage', 1],
      ['waitlisted', 4],
      ['in-progress', 5],
      ['outcome-recorded', 5],
    ].concat([
      ['closed', 65],
      ['declined', 12],
      ['withdrawn', 8],
    ]) as [NeedState, number][],
  )
}

export function details(kind: NeedKind, r: Random): Record<string, unknown> {
  switch (kind) {
    case 'device':
      return { deviceType: r.pick(['laptop', 'tablet', 'phone', 'not-sure']) }
    case 'connectivity':
      return { option: r.pick(['sim', 'data', 'not-sure']) }
    case 'skills':
      return {
        ways: r.some(['one-to-one', 'drop-in', 'course'], 0.4, 1),
        goals: r.some(['video-calls', 'nhs-app', 'universal-credit', 'job-search', 'online-banking'], 0.3, 1),
        goalOther: '',
      }
    case 'home-library':
      return {
        reason: r.pick(['housebound', 'carer', 'temporary-mobility']),
        interests: 'Crime novels, large print',
      }
    default:
      return { description: 'Help setting up a smart speaker to call family' }
  }
}
