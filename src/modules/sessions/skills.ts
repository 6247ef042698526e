/**
 * Learners' progress on the UK Essential Digital Skills Framework (Department for Education, 2018; Open
 * Government Licence): the eight foundation skills and the five skill areas for life, each with its "I can"
 * statements. This file is the framework's shape; its words are in the module's locale file
 * (`sessions.skills.*`). A self-assessment rates the eight foundation skills one by one and each area for
 * life as a whole, with the area's statements shown as what it means: thirteen short questions.
 */

export const FOUNDATION_SKILLS = [
  'turn-on',
  'controls',
  'settings',
  'apps',
  'wifi',
  'browser',
  'keep-safe',
  'passwords',
] as const

/** The five skill areas for life and the codes of their statements, in the framework's order. */
export const LIFE_AREAS = {
  communicating: ['messages', 'email', 'video-call', 'social-media', 'share'],
  'handling-information': ['search', 'trust', 'bookmark', 'store', 'organise'],
  transacting: ['account', 'public-services', 'buy', 'bank'],
  'problem-solving': ['find-solution', 'learn', 'help-online', 'check-sources'],
  'safe-and-legal': ['passwords', 'privacy', 'secure-sites', 'suspicious', 'personal-details'],
} as const satisfies Record<string, readonly string[]>

export type LifeArea = keyof typeof LIFE_AREAS
export const LIFE_AREA_CODES = Object.keys(LIFE_AREAS) as LifeArea[]

/** The thirteen skills a self-assessment rates. */
export const SKILLS = [...FOUNDATION_SKILLS, ...LIFE_AREA_CODES] as const
export type Skill = (typeof SKILLS)[number]

/** How well someone says they can do it; "on my own" is the skill held. */
export const SKILL_LEVELS = ['not-yet', 'with-help', 'on-my-own'] as const
export type SkillLevel = (typeof SKILL_LEVELS)[number]

export function isFoundation(skill: Skill): boolean {
  return (FOUNDATION_SKILLS as readonly string[]).includes(skill)
}

export type Answers = Partial<Record<Skill, SkillLevel>>

export interface Assessment {
  personId: string
  boroughId: string
  assessedAt: string
  answers: Answers
}

/** The skills held in `later` (on my own) that were not held in `baseline`. */
export function skillsGained(baseline: Answers, later: Answers): Skill[] {
  return SKILLS.filter((s) => later[s] === 'on-my-own' && baseline[s] !== 'on-my-own')
}

/**
 * Skills gained in a period (`from` inclusive, `to` excluded, ISO instants): each learner's first
 * assessment is their baseline; a skill counts once, at the first later assessment that shows it held,
 * if that assessment falls in the period. Returns one entry per learner and skill gained.
 */
export function gainsBetween(
  assessments: readonly Assessment[],
  from: string,
  to: string,
): { personId: string; boroughId: string; skill: Skill; at: string }[] {
  const byPerson = new Map<string, Assessment[]>()
  for (const a of assessments) byPerson.set(a.personId, [...(byPerson.get(a.personId) ?? []), a])
  const gains: { personId: string; boroughId: string; skill: Skill; at: string }[] = []
  for (const [personId, list] of byPerson) {
    const [baseline, ...later] = [...list].sort((a, b) => a.assessedAt.localeCompare(b.assessedAt))
    if (!baseline) continue
    const counted = new Set<Skill>()
    for (const a of later)
      for (const skill of skillsGained(baseline.answers, a.answers)) {
        if (counted.has(skill)) continue
        counted.add(skill)
        if (a.assessedAt >= from && a.assessedAt < to)
          gains.push({ personId, boroughId: a.boroughId, skill, at: a.assessedAt })
      }
  }
  return gains
}
