import type { FastifyInstance, FastifyRequest } from 'fastify'
import { postForm } from '#platform/forms.ts'
import { auditContext, seeOther, staffUser } from '#platform/http.ts'
import { when } from './session.labels.ts'
import { skillsSchema } from './session.schemas.ts'
import type { SkillsService } from './skills.service.ts'
import {
  FOUNDATION_SKILLS,
  isFoundation,
  LIFE_AREA_CODES,
  LIFE_AREAS,
  SKILL_LEVELS,
  SKILLS,
} from './skills.ts'

type IdParams = { Params: { id: string } }
const V = 'sessions/views/staff'
const S = 'sessions.skills.'

/** Staff pages of learners' progress: a skills check from the register, and a learner's progress. */
export function sessionsSkillsRoutes(app: FastifyInstance, skills: SkillsService) {
  async function checkPage(request: FastifyRequest<IdParams>) {
    const { name, occurrence, baseline } = await skills.checkFor(staffUser(request), request.params.id)
    return {
      name,
      occurrence,
      baseline,
      when: when(occurrence.starts_at, occurrence.ends_at),
      skillLevels: SKILL_LEVELS,
      foundation: FOUNDATION_SKILLS,
      areas: LIFE_AREA_CODES.map((code) => ({ code, statements: LIFE_AREAS[code] })),
    }
  }

  app.get<IdParams>(
    '/staff/sessions/bookings/:id/skills',
    { config: { access: 'sessions.register' } },
    async (request, reply) => reply.render(`${V}/skills.njk`, { ...(await checkPage(request)), values: {} }),
  )

  postForm<typeof skillsSchema, IdParams>(
    app,
    '/staff/sessions/bookings/:id/skills',
    {
      access: 'sessions.register',
      schema: skillsSchema,
      invalid: async (request, reply, failure) =>
        reply.render(`${V}/skills.njk`, { ...(await checkPage(request)), ...failure }, 400),
    },
    async (request, reply, answers) => {
      const personId = await skills.assess(
        staffUser(request),
        { bookingId: request.params.id, answers },
        auditContext(request),
      )
      return seeOther(reply, `/staff/sessions/learners/${personId}?saved=1`)
    },
  )

  app.get<IdParams>(
    '/staff/sessions/learners/:id',
    { config: { access: 'sessions.view' } },
    async (request, reply) => {
      const learner = await skills.learner(staffUser(request), request.params.id, auditContext(request))
      const skillName = (skill: (typeof SKILLS)[number]) =>
        request.t(isFoundation(skill) ? `${S}foundation.${skill}` : `${S}areas.${skill}`)
      return reply.render(`${V}/learner.njk`, {
        name: learner.name,
        attended: learner.attended,
        saved: (request.query as { saved?: string }).saved === '1',
        gained: learner.gained.map(skillName),
        checks: learner.assessments.map((a) => ({
          assessedAt: a.assessedAt,
          rows: SKILLS.map((skill) => ({
            key: { text: skillName(skill) },
            value: { text: request.t(`${S}shortLevels.${a.answers[skill] ?? 'not-yet'}`) },
          })),
        })),
        bookings: learner.bookings.map((b) => ({ ...b, when: when(b.starts_at, b.ends_at) })),
      })
    },
  )
}
