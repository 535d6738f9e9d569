import { Validator } from '@seriousme/openapi-schema-validator'
import Ajv from 'ajv'
import { describe, expect, test } from 'vitest'

import { createApiClient } from '#app/domain/credit-api/api-clients.server.ts'
import { credit } from '#app/domain/hours/ledger.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { loader as getCheckLoader } from '#app/routes/api/credit-check.ts'
import { action as checkAction } from '#app/routes/api/credit-checks.ts'
import { action as batchAction } from '#app/routes/api/credit-checks-batch.ts'
import { loader as openApiLoader } from '#app/routes/api/openapi.ts'
import { createLearner, makeIdNumber } from '#test/factories/people.ts'
import { call, makeRequest, type Outcome } from '#test/fixtures/http.ts'

type Json = Record<string, unknown>

async function loadDocument(): Promise<{ res: Outcome; doc: Json }> {
  const res = await call(openApiLoader, makeRequest('/api/v1/openapi.json'))
  expect(res.status).toBe(200)
  return { res, doc: res.data as Json }
}

/** Inlines `#/components/schemas/*` references (the document has no recursive schemas). */
function resolveRefs(node: unknown, schemas: Record<string, unknown>, depth = 0): unknown {
  if (depth > 20) throw new Error('schema references nest too deep (recursive?)')
  if (Array.isArray(node)) return node.map((n) => resolveRefs(n, schemas, depth))
  if (node && typeof node === 'object') {
    const ref = (node as { $ref?: unknown }).$ref
    if (typeof ref === 'string') {
      const m = /^#\/components\/schemas\/([A-Za-z0-9_.-]+)$/.exec(ref)
      if (!m || !(m[1]! in schemas)) throw new Error(`unresolvable $ref ${ref}`)
      return resolveRefs(schemas[m[1]!], schemas, depth + 1)
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolveRefs(v, schemas, depth)]))
  }
  return node
}

function collectRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => collectRefs(n, out))
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v)
      else collectRefs(v, out)
    }
  }
  return out
}

/** Follows a local JSON pointer reference (#/a/b) into the document. */
function pointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined
  let at: unknown = doc
  for (const raw of ref.slice(2).split('/')) {
    const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~')
    if (!at || typeof at !== 'object' || !(part in at)) return undefined
    at = (at as Record<string, unknown>)[part]
  }
  return at
}

function schemaValidator(doc: Json) {
  const schemas = (doc.components as { schemas: Record<string, unknown> }).schemas
  const ajv = new Ajv({ allErrors: true })
  return (schema: unknown, value: unknown) => {
    const validate = ajv.compile(resolveRefs(schema, schemas) as object)
    const ok = validate(value)
    return { ok: Boolean(ok), errors: ajv.errorsText(validate.errors ?? null) }
  }
}

function componentSchema(doc: Json, name: string): Json {
  return (doc.components as { schemas: Record<string, Json> }).schemas[name]!
}

function jsonRequest(path: string, key: string | null, body: unknown): Request {
  const headers = new Headers({ 'Content-Type': 'application/json' })
  if (key !== null) headers.set('Authorization', `Bearer ${key}`)
  return new Request(`http://localhost/api/v1${path}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

async function apiKey(scopeRegion = '220000', rateLimitPerMinute?: number) {
  const r = await createApiClient(getDb(), { name: 'openapi test', scopeRegion, rateLimitPerMinute, actorAccountId: null })
  if (!r.ok) throw new Error(r.code)
  return r.key
}

async function learnerWithHours(overrides: Record<string, string> = {}) {
  const l = await createLearner(getDb(), overrides)
  const { person_id: personId } = await getDb()
    .selectFrom('accounts')
    .select('person_id')
    .where('id', '=', l.accountId)
    .executeTakeFirstOrThrow()
  let n = 0
  for (const year of [2022, 2023, 2024]) {
    for (const [category, hours] of [
      ['professional', '60'],
      ['public', '30'],
    ] as const) {
      await getDb()
        .transaction()
        .execute((trx) =>
          credit(trx, {
            personId,
            category,
            hours,
            sourceKind: 'external',
            idempotencyKey: `oas:${personId}:${n++}`,
            occurredAt: new Date(`${year}-05-01T10:00:00+08:00`),
            ceYear: year,
          }),
        )
    }
  }
  await getDb()
    .transaction()
    .execute((trx) =>
      credit(trx, {
        personId,
        category: 'professional',
        hours: '12.5',
        sourceKind: 'external',
        idempotencyKey: `oas:${personId}:${n++}`,
        occurredAt: new Date('2025-05-01T10:00:00+08:00'),
        ceYear: 2025,
      }),
    )
  return l
}

describe('OpenAPI document (/api/v1/openapi.json)', () => {
  test('is a valid OpenAPI 3.1 document with the three paths, served publicly', async () => {
    const { res, doc } = await loadDocument()
    expect(res.headers.get('Content-Type')).toMatch(/application\/json/)
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*')
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/)
    const validator = new Validator()
    const result = await validator.validate(structuredClone(doc))
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([])
    expect(result.valid).toBe(true)
    expect(validator.version).toBe('3.1')

    const paths = doc.paths as Record<string, Record<string, unknown>>
    expect(Object.keys(paths).sort()).toEqual(['/api/v1/credit-checks', '/api/v1/credit-checks/batch', '/api/v1/credit-checks/{checkId}'])
    expect(Object.keys(paths['/api/v1/credit-checks']!)).toEqual(['post'])
    expect(Object.keys(paths['/api/v1/credit-checks/batch']!)).toEqual(['post'])
    expect(Object.keys(paths['/api/v1/credit-checks/{checkId}']!)).toEqual(['get'])
    expect(doc.servers).toEqual([{ url: 'http://localhost' }])
    const schemes = (doc.components as { securitySchemes: Record<string, Json> }).securitySchemes
    expect(Object.values(schemes)).toContainEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }))
    // Every reference in the document points at something that exists.
    const refs = collectRefs(doc)
    expect(refs.length).toBeGreaterThan(0)
    for (const ref of refs) expect(pointer(doc, ref), ref).toBeDefined()
  })

  test('a real single-check answer and its stored copy conform to CheckAnswer, with no undocumented fields', async () => {
    const { doc } = await loadDocument()
    const validate = schemaValidator(doc)
    const key = await apiKey()
    const learner = await learnerWithHours()
    const known = await call(
      checkAction,
      jsonRequest('/credit-checks', key, { idNumber: learner.idNumber, applicationYear: 2026, titleLevel: 'senior' }),
    )
    const unknown = await call(checkAction, jsonRequest('/credit-checks', key, { idNumber: makeIdNumber(), applicationYear: 2026 }))
    const notSubject = await call(checkAction, jsonRequest('/credit-checks', key, { idNumber: learner.idNumber, applicationYear: 2022 }))
    expect(known.data.years.length).toBeGreaterThan(0)
    expect(known.data.eligible).toBe(false)
    const stored = await call(
      getCheckLoader,
      new Request(`http://localhost/api/v1/credit-checks/${known.data.checkId}`, { headers: { Authorization: `Bearer ${key}` } }),
      { checkId: known.data.checkId },
    )

    const checkAnswer = componentSchema(doc, 'CheckAnswer')
    const yearResult = componentSchema(doc, 'YearResult')
    const reason = componentSchema(doc, 'Reason')
    for (const [label, res] of [
      ['known', known],
      ['unknown', unknown],
      ['not subject', notSubject],
      ['stored', stored],
    ] as const) {
      expect(res.status, label).toBe(200)
      const v = validate(checkAnswer, res.data)
      expect(v.errors, label).toBe('No errors')
      expect(v.ok, label).toBe(true)
      // Documented fields only: a field the document does not describe is drift.
      const documented = Object.keys(checkAnswer.properties as Json)
      for (const k of Object.keys(res.data)) expect(documented, `${label}: ${k}`).toContain(k)
      for (const y of res.data.years)
        for (const k of Object.keys(y)) expect(Object.keys(yearResult.properties as Json), `${label}: years[].${k}`).toContain(k)
      for (const r of res.data.reasons)
        for (const k of Object.keys(r)) expect(Object.keys(reason.properties as Json), `${label}: reasons[].${k}`).toContain(k)
    }
    // The validator is not vacuous: a broken answer is refused.
    expect(validate(checkAnswer, { ...known.data, eligible: 'yes' }).ok).toBe(false)
    expect(validate(checkAnswer, { ...known.data, years: [{ ...known.data.years[0], earned: { total: 90 } }] }).ok).toBe(false)
    const { checkId: _c, ...withoutId } = known.data
    expect(validate(checkAnswer, withoutId).ok).toBe(false)
  })

  test('a real batch response conforms to the documented 200 schema of the batch path', async () => {
    const { doc } = await loadDocument()
    const validate = schemaValidator(doc)
    const key = await apiKey('220100')
    const local = await learnerWithHours()
    const yanbian = await createLearner(getDb(), { region: '222400' })
    const bad = makeIdNumber()
    const res = await call(
      batchAction,
      jsonRequest('/credit-checks/batch', key, {
        applicants: [
          { idNumber: local.idNumber, applicationYear: 2026 },
          { idNumber: makeIdNumber(), applicationYear: 2026 },
          { idNumber: bad.slice(0, 17) + (bad[17] === '0' ? '1' : '0'), applicationYear: 2026 },
          { idNumber: yanbian.idNumber, applicationYear: 2026 },
          { idNumber: local.idNumber, applicationYear: 2014 },
        ],
      }),
    )
    expect(res.status).toBe(200)
    expect(res.data.results.map((r: { ok: boolean }) => r.ok)).toEqual([true, true, false, false, false])
    const paths = doc.paths as Record<
      string,
      Record<string, { responses: Record<string, { content: Record<string, { schema: unknown }> }> }>
    >
    const schema = paths['/api/v1/credit-checks/batch']!.post!.responses['200']!.content['application/json']!.schema
    const v = validate(schema, res.data)
    expect(v.errors).toBe('No errors')
    expect(v.ok).toBe(true)
  })

  test('real 400, 401, 403, 404, 422 and 429 bodies conform to the Error schema', async () => {
    const { doc } = await loadDocument()
    const validate = schemaValidator(doc)
    const errorSchema = componentSchema(doc, 'Error')
    const key = await apiKey('220100')
    const limitedKey = await apiKey('220000', 1)
    const learner = await createLearner(getDb())
    const yanbian = await createLearner(getDb(), { region: '222400' })
    const id = learner.idNumber

    // Avoid the 429 case straddling a minute boundary of the fixed window.
    const intoMinute = Date.now() % 60_000
    if (intoMinute > 58_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 50))

    const cases: [number, string, Outcome][] = [
      [400, 'invalid_body', await call(checkAction, jsonRequest('/credit-checks', key, '{not json'))],
      [400, 'invalid_body', await call(checkAction, jsonRequest('/credit-checks', key, { applicationYear: 2026 }))],
      [400, 'invalid_id_number', await call(checkAction, jsonRequest('/credit-checks', key, { idNumber: '123', applicationYear: 2026 }))],
      [
        400,
        'batch_too_large',
        await call(
          batchAction,
          jsonRequest('/credit-checks/batch', key, {
            applicants: Array.from({ length: 1001 }, () => ({ idNumber: id, applicationYear: 2026 })),
          }),
        ),
      ],
      [401, 'unauthorized', await call(checkAction, jsonRequest('/credit-checks', null, { idNumber: id, applicationYear: 2026 }))],
      [
        401,
        'unauthorized',
        await call(checkAction, jsonRequest('/credit-checks', `xs_${'B'.repeat(40)}`, { idNumber: id, applicationYear: 2026 })),
      ],
      [
        403,
        'forbidden',
        await call(checkAction, jsonRequest('/credit-checks', key, { idNumber: yanbian.idNumber, applicationYear: 2026 })),
      ],
      [
        404,
        'not_found',
        await call(
          getCheckLoader,
          new Request('http://localhost/api/v1/credit-checks/chk_AAAAAAAAAAAAAAAA', { headers: { Authorization: `Bearer ${key}` } }),
          { checkId: 'chk_AAAAAAAAAAAAAAAA' },
        ),
      ],
      [
        422,
        'application_year_out_of_range',
        await call(checkAction, jsonRequest('/credit-checks', key, { idNumber: id, applicationYear: 2014 })),
      ],
    ]
    expect((await call(checkAction, jsonRequest('/credit-checks', limitedKey, { idNumber: id, applicationYear: 2026 }))).status).toBe(200)
    cases.push([
      429,
      'rate_limited',
      await call(checkAction, jsonRequest('/credit-checks', limitedKey, { idNumber: id, applicationYear: 2026 })),
    ])

    const paths = doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>
    const documentedStatuses = new Set(Object.values(paths).flatMap((p) => Object.values(p).flatMap((op) => Object.keys(op.responses))))
    for (const [status, code, res] of cases) {
      const label = `${status} ${code}`
      expect(res.status, label).toBe(status)
      expect(res.data.error.code, label).toBe(code)
      const v = validate(errorSchema, res.data)
      expect(v.errors, label).toBe('No errors')
      expect(v.ok, label).toBe(true)
      expect(documentedStatuses.has(String(status)), label).toBe(true)
    }
    expect(validate(errorSchema, { error: { code: 'x' } }).ok).toBe(false)
    expect(validate(errorSchema, { message: 'x' }).ok).toBe(false)
  })
})
