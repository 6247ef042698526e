import assert from 'node:assert/strict'
import { test } from 'node:test'
import en from './locales/en.json' with { type: 'json' }
import {
  type Assessment,
  FOUNDATION_SKILLS,
  gainsBetween,
  LIFE_AREAS,
  SKILLS,
  skillsGained,
} from './skills.ts'

const at = (personId: string, assessedAt: string, answers: Assessment['answers'], boroughId = 'b1') => ({
  personId,
  boroughId,
  assessedAt,
  answers,
})

test('the framework: eight foundation skills and five areas for life, every one with words', () => {
  assert.equal(FOUNDATION_SKILLS.length, 8)
  assert.deepEqual(Object.keys(LIFE_AREAS), [
    'communicating',
    'handling-information',
    'transacting',
    'problem-solving',
    'safe-and-legal',
  ])
  assert.equal(SKILLS.length, 13)
  const words = en.sessions.skills as unknown as {
    foundation: Record<string, string>
    areas: Record<string, string>
    statements: Record<string, Record<string, string>>
  }
  for (const skill of FOUNDATION_SKILLS) assert.ok(words.foundation[skill], skill)
  for (const [area, statements] of Object.entries(LIFE_AREAS)) {
    assert.ok(words.areas[area], area)
    assert.ok(statements.length >= 4, area)
    for (const s of statements) assert.ok(words.statements[area]?.[s], `${area}.${s}`)
  }
})

test('a skill is gained when it is held on my own now and was not at the baseline', () => {
  assert.deepEqual(
    skillsGained(
      { wifi: 'not-yet', browser: 'with-help', apps: 'on-my-own', transacting: 'not-yet' },
      { wifi: 'on-my-own', browser: 'with-help', apps: 'on-my-own', transacting: 'on-my-own' },
    ),
    ['wifi', 'transacting'],
  )
  assert.deepEqual(skillsGained({ wifi: 'on-my-own' }, { wifi: 'with-help' }), [])
})

test('gains in a period: counted once per learner and skill, at the first follow-up showing it', () => {
  const checks = [
    at('ana', '2027-01-05T10:00:00.000Z', { wifi: 'not-yet', browser: 'not-yet' }),
    at('ana', '2027-01-19T10:00:00.000Z', { wifi: 'on-my-own', browser: 'with-help' }),
    at('ana', '2027-02-02T10:00:00.000Z', { wifi: 'on-my-own', browser: 'on-my-own' }),
    at('bo', '2027-02-09T10:00:00.000Z', { wifi: 'on-my-own' }, 'b2'),
  ]
  const january = gainsBetween(checks, '2027-01-01T00:00:00.000Z', '2027-02-01T00:00:00.000Z')
  assert.deepEqual(
    january.map((g) => `${g.personId}:${g.skill}`),
    ['ana:wifi'],
  )
  const february = gainsBetween(checks, '2027-02-01T00:00:00.000Z', '2027-03-01T00:00:00.000Z')
  // Wi-Fi was gained in January; Bo's only check is a baseline, which gains nothing.
  assert.deepEqual(
    february.map((g) => `${g.personId}:${g.skill}`),
    ['ana:browser'],
  )
  // Given out of order, the earliest is still the baseline.
  assert.equal(
    gainsBetween([...checks].reverse(), '2027-01-01T00:00:00.000Z', '2028-01-01T00:00:00.000Z').length,
    2,
  )
})
