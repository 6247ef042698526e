import assert from 'node:assert/strict'
import { test } from 'node:test'
import formbody from '@fastify/formbody'
import Fastify, { type FastifyInstance } from 'fastify'
import { z } from 'zod'
import { Invalid } from './errors.ts'
import { messageKey, postForm, translateMessage } from './forms.ts'
import { translator } from './i18n.ts'
import { enforceRoutePolicies } from './route-policy.ts'

const english = {
  code: 'en',
  name: 'English',
  dir: 'ltr' as const,
  messages: {
    demo: {
      name: 'Enter your name',
      tooLong: 'Must be {max} characters or fewer',
      taken: 'That name is taken',
      between: '{label} must be between {min} and {max}',
      labels: { age: 'Age' },
    },
  },
}
const welsh = {
  ...english,
  code: 'cy',
  name: 'Cymraeg',
  messages: { demo: { ...english.messages.demo, name: 'Rhowch eich enw' } },
}

const schema = z.object({
  name: z
    .string({ error: 'demo.name' })
    .min(1, 'demo.name')
    .max(5, messageKey('demo.tooLong', { max: 5 })),
  topics: z.preprocess((v) => [v ?? []].flat(), z.array(z.string())),
})

/** A form route as a module writes one; its page is the failure as JSON, to look into. */
async function app(language = english): Promise<FastifyInstance> {
  const app = Fastify()
  await app.register(formbody)
  app.decorateRequest('t', null as never)
  app.addHook('onRequest', async (request) => {
    request.t = translator(language, english)
  })
  postForm(
    app,
    '/demo',
    {
      access: 'public',
      schema,
      lists: ['topics'],
      invalid: (_request, reply, failure) => reply.send(failure),
    },
    async (_request, reply, data) => {
      if (data.name === 'taken') throw new Invalid('demo.taken', 'name')
      return reply.redirect(`/done?name=${data.name}`, 303)
    },
  )
  return app
}

const post = (app: FastifyInstance, body: string) =>
  app.inject({
    method: 'POST',
    url: '/demo',
    payload: body,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })

test('a form that fails its schema answers 400 with the summary, every answer kept, in the page language', async () => {
  const res = await post(await app(welsh), 'name=&topics=a&_csrf=secret&website=')
  assert.equal(res.statusCode, 400)
  assert.deepEqual(res.json(), {
    errors: [{ text: 'Rhowch eich enw', href: '#name' }],
    fieldErrors: { name: { text: 'Rhowch eich enw' } },
    values: { name: '', topics: ['a'] },
  })
  const long = await post(await app(), 'name=abcdefgh&topics=a&topics=b')
  assert.equal(long.statusCode, 400)
  assert.equal(long.json().errors[0].text, 'Must be 5 characters or fewer')
  assert.deepEqual(long.json().values, { name: 'abcdefgh', topics: ['a', 'b'] })
  // No box ticked: still a list, so the page can ask whether one was.
  assert.deepEqual((await post(await app(), 'name=')).json().values, { name: '', topics: [] })
})

test('a rule the use case refuses shows the page again with 400, on the field it names', async () => {
  const res = await post(await app(), 'name=taken')
  assert.equal(res.statusCode, 400)
  assert.deepEqual(res.json().errors, [{ text: 'That name is taken', href: '#name' }])
  assert.deepEqual(res.json().fieldErrors, { name: { text: 'That name is taken' } })
  assert.equal(res.json().values.name, 'taken')
})

test('a form that passes is done and answered with 303', async () => {
  const res = await post(await app(), 'name=Ada')
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/done?name=Ada')
})

test('a message is a locale key with its values, labels translated too; plain text stays as it is', () => {
  const t = translator(english, english)
  const text = messageKey('demo.between', { label: 'demo.labels.age', min: 0, max: 120 })
  assert.equal(translateMessage(t, text), 'Age must be between 0 and 120')
  assert.equal(translateMessage(t, 'That change is not allowed.'), 'That change is not allowed.')
})

test('a POST, PUT, PATCH or DELETE route without a body schema cannot be registered', async () => {
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
    const bare = Fastify()
    enforceRoutePolicies(bare, new Set())
    assert.throws(
      () => bare.route({ method, url: '/x', config: { access: 'public' }, handler: async () => 'x' }),
      new RegExp(`Route ${method} /x has no body schema`),
    )
  }
  const declared = Fastify()
  enforceRoutePolicies(declared, new Set())
  declared.post('/api', { config: { access: 'public', body: z.object({}) } }, async () => 'ok')
  declared.get('/page', { config: { access: 'public' } }, async () => 'ok')
  postForm(
    declared,
    '/form',
    { access: 'public', schema, invalid: (_r, reply) => reply },
    async (_r, reply) => reply,
  )
  await declared.ready()
})
