import { MAX_BATCH, MIN_APPLICATION_YEAR } from './credit-checks.constants.ts'

/** OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json. One source for the docs page too. */
const hours = {
  type: 'string',
  pattern: '^-?\\d+(\\.\\d{1,2})?$',
  description: 'Exact decimal hours, e.g. "90" or "12.5"',
  examples: ['90'],
}
const triple = {
  type: 'object',
  required: ['total', 'professional', 'public'],
  properties: { total: hours, professional: hours, public: hours },
}

export function openApiDocument(serverUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Xueshi credit-hours check API (学时核验接口)',
      version: '1.0.0',
      description:
        'For the title-application system (职称申报系统): before accepting an application, ask whether the applicant met the continuing-education hours requirement in every CE year checked. Every answer is stored and can be fetched again by its checkId as proof.',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearerKey: [] }],
    paths: {
      '/api/v1/credit-checks': {
        post: {
          operationId: 'createCreditCheck',
          summary: 'Check one applicant',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/CheckRequest' } } } },
          responses: {
            '200': {
              description: 'The answer (also for an unknown person: eligible=false, found=false)',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/CheckAnswer' } } },
            },
            '400': { $ref: '#/components/responses/BadRequest' },
            '401': { $ref: '#/components/responses/Unauthorized' },
            '403': { $ref: '#/components/responses/Forbidden' },
            '422': { $ref: '#/components/responses/Unprocessable' },
            '429': { $ref: '#/components/responses/RateLimited' },
          },
        },
      },
      '/api/v1/credit-checks/batch': {
        post: {
          operationId: 'createCreditChecksBatch',
          summary: `Check up to ${MAX_BATCH} applicants at once`,
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['applicants'],
                  additionalProperties: false,
                  properties: {
                    applicants: { type: 'array', minItems: 1, maxItems: MAX_BATCH, items: { $ref: '#/components/schemas/CheckRequest' } },
                  },
                },
              },
            },
          },
          responses: {
            '200': {
              description: 'One result per applicant, in request order: an answer, or that applicant’s own error',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['results'],
                    properties: {
                      results: {
                        type: 'array',
                        items: {
                          oneOf: [
                            {
                              allOf: [
                                { $ref: '#/components/schemas/CheckAnswer' },
                                {
                                  type: 'object',
                                  required: ['index', 'ok'],
                                  properties: { index: { type: 'integer' }, ok: { const: true } },
                                },
                              ],
                            },
                            {
                              type: 'object',
                              required: ['index', 'ok', 'status', 'error'],
                              properties: {
                                index: { type: 'integer' },
                                ok: { const: false },
                                status: { type: 'integer' },
                                error: { $ref: '#/components/schemas/ErrorBody' },
                              },
                            },
                          ],
                        },
                      },
                    },
                  },
                },
              },
            },
            '400': { $ref: '#/components/responses/BadRequest' },
            '401': { $ref: '#/components/responses/Unauthorized' },
            '429': { $ref: '#/components/responses/RateLimited' },
          },
        },
      },
      '/api/v1/credit-checks/{checkId}': {
        get: {
          operationId: 'getCreditCheck',
          summary: 'Fetch a stored answer (the caller’s proof)',
          parameters: [{ name: 'checkId', in: 'path', required: true, schema: { type: 'string', pattern: '^chk_[A-Za-z0-9_-]+$' } }],
          responses: {
            '200': {
              description: 'The stored answer, exactly as first given',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/CheckAnswer' } } },
            },
            '401': { $ref: '#/components/responses/Unauthorized' },
            '404': { $ref: '#/components/responses/NotFound' },
            '429': { $ref: '#/components/responses/RateLimited' },
          },
        },
      },
    },
    components: {
      securitySchemes: {
        bearerKey: { type: 'http', scheme: 'bearer', description: 'An API key issued by a provincial administrator (xs_…)' },
      },
      schemas: {
        CheckRequest: {
          type: 'object',
          required: ['idNumber', 'applicationYear'],
          additionalProperties: false,
          properties: {
            idNumber: {
              type: 'string',
              description: 'Resident ID number (18 characters, GB 11643); lower-case x accepted',
              examples: ['11010519491231002X'],
            },
            applicationYear: {
              type: 'integer',
              minimum: MIN_APPLICATION_YEAR,
              description: 'Year of the title application; up to next year',
              examples: [2026],
            },
            currentTitleYear: {
              type: ['integer', 'null'],
              description: 'Year the current title was obtained; defaults to what the person registered',
            },
            titleLevel: { type: ['string', 'null'], description: 'Level applied for (recorded with the answer)' },
          },
        },
        YearResult: {
          type: 'object',
          required: ['year', 'policyVersion', 'required', 'earned', 'met', 'shortfall'],
          properties: {
            year: { type: 'integer' },
            policyVersion: { type: 'string' },
            required: triple,
            earned: triple,
            met: { type: 'boolean' },
            shortfall: triple,
          },
        },
        Reason: {
          type: 'object',
          required: ['code', 'message'],
          properties: {
            code: {
              type: 'string',
              enum: ['not_subject', 'no_years_to_check', 'year_not_met', 'no_policy', 'not_found', 'integrity_record'],
              description:
                'integrity_record: an integrity record (诚信档案: evidence behind hours found falsified, confirmed by two HR officers) is in force on the check day (China time); the answer is eligible=false whatever the hours, until endsOn.',
            },
            year: { type: 'integer' },
            endsOn: {
              type: 'string',
              format: 'date',
              description:
                'For integrity_record: the first China calendar day on which the record no longer applies (exclusive end). A withdrawn record changes later answers only; a stored answer stays as it was given.',
            },
            message: { type: 'string' },
          },
        },
        CheckAnswer: {
          type: 'object',
          required: [
            'checkId',
            'found',
            'idNumberMasked',
            'applicationYear',
            'currentTitleYear',
            'eligible',
            'years',
            'reasons',
            'policyVersion',
            'checkedAt',
          ],
          properties: {
            checkId: { type: 'string', examples: ['chk_3nq2Xb0cZr1x8kLm'] },
            found: { type: 'boolean', description: 'Whether the platform knows this person' },
            idNumberMasked: { type: 'string', examples: ['110105********002X'] },
            applicationYear: { type: 'integer' },
            currentTitleYear: { type: ['integer', 'null'] },
            titleLevel: { type: ['string', 'null'] },
            eligible: { type: 'boolean' },
            years: { type: 'array', items: { $ref: '#/components/schemas/YearResult' } },
            reasons: { type: 'array', items: { $ref: '#/components/schemas/Reason' } },
            policyVersion: { type: 'string', description: 'Version of the policy that governs the application year' },
            checkedAt: { type: 'string', format: 'date-time' },
          },
        },
        ErrorBody: {
          type: 'object',
          required: ['code', 'message'],
          properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } },
        },
        Error: { type: 'object', required: ['error'], properties: { error: { $ref: '#/components/schemas/ErrorBody' } } },
      },
      responses: {
        BadRequest: {
          description:
            'Invalid body or ID number (details say which field and why: for the ID number, details.problem is format, area (the first two digits are not a GB/T 2260 province code), date or checksum)',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
        Unauthorized: {
          description: 'Missing or invalid API key',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
        Forbidden: {
          description: 'The person is outside the key’s region',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
        NotFound: {
          description: 'No such check for this key',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
        Unprocessable: {
          description: 'applicationYear out of range',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
        RateLimited: {
          description: 'Too many requests for this key; wait Retry-After seconds',
          headers: { 'Retry-After': { schema: { type: 'integer' } } },
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    },
  }
}
