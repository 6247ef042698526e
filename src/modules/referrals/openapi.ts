import { z } from 'zod'
import { apiReferralSchema } from './refer.schemas.ts'
import { FHIR_TASK_STATUS, NEED_STATES, OUTCOMES } from './referral.ts'

const errorList = {
  type: 'object',
  properties: {
    error: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
    },
  },
}

/** The partner API described in OpenAPI 3.1; the request body's schema is made from the same zod schema. */
export function openApiDocument() {
  const body = z.toJSONSchema(apiReferralSchema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  })
  const { $schema: _ignored, ...requestSchema } = body as Record<string, unknown>
  return {
    openapi: '3.1.0',
    info: {
      title: 'Digital Inclusion Hub partner referrals API',
      version: '1.0.0',
      description:
        'Refer a resident, with their consent, for one or more kinds of help, and follow each request. ' +
        'Answers carry status and outcome codes only, never case notes. Each need state maps to an HL7 FHIR Task status: ' +
        Object.entries(FHIR_TASK_STATUS)
          .map(([s, f]) => `${s} → ${f}`)
          .join(', '),
    },
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: "Your organisation's API key" },
      },
      schemas: {
        ReferralRequest: requestSchema,
        Errors: errorList,
        Created: {
          type: 'object',
          required: ['reference', 'status'],
          properties: {
            reference: { type: 'string', pattern: '^[A-Z2-9]{4}-[A-Z2-9]{4}$' },
            status: { type: 'string', enum: ['submitted', 'in-progress', 'closed'] },
          },
        },
        ReferralStatus: {
          type: 'object',
          properties: {
            reference: { type: 'string' },
            status: { type: 'string', enum: ['submitted', 'in-progress', 'closed'] },
            needs: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  need: { type: 'string' },
                  status: { type: 'string', enum: [...NEED_STATES] },
                  fhirTaskStatus: { type: 'string' },
                  outcome: { type: ['string', 'null'], enum: [...OUTCOMES, null] },
                },
              },
            },
          },
        },
      },
    },
    security: [{ apiKey: [] }],
    paths: {
      '/api/v1/referrals': {
        post: {
          summary: 'Make a referral',
          description:
            "The referring organisation is the API key's: `referrer.organisation` may be left out or empty, and any other name there is replaced by the key's.",
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description:
                'A key of your choosing (8 to 100 characters). A retry with the same key and body returns the first referral and never makes a second.',
              schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{8,100}$' },
            },
          ],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ReferralRequest' } } },
          },
          responses: {
            '201': {
              description: 'Referral made (or replayed)',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Created' } } },
            },
            '400': {
              description: 'The body has errors',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Errors' } } },
            },
            '401': { description: 'No valid API key' },
            '422': { description: 'The Idempotency-Key was used before with a different body' },
            '429': { description: 'Too many requests' },
          },
        },
      },
      '/api/v1/referrals/{reference}': {
        get: {
          summary: "One of your organisation's referrals: status and outcome codes",
          parameters: [{ name: 'reference', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': {
              description: 'Found',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/ReferralStatus' } } },
            },
            '401': { description: 'No valid API key' },
            '404': { description: 'No referral of your organisation has this reference' },
          },
        },
      },
    },
  }
}
