import { inflateSync } from 'node:zlib'

import { UnrecoverableError } from 'bullmq'
import { Redis } from 'ioredis'
import { afterEach, describe, expect, test } from 'vitest'

import { formatCode } from '#app/domain/hours/certificates/certificate.ts'
import { renderCertificate, requestCertificate, verifyCertificate } from '#app/domain/hours/certificates/certificates.server.ts'
import { ceYearOf, credit, type CreditInput, reverse } from '#app/domain/hours/ledger.server.ts'
import { maskIdNumber } from '#app/domain/shared/id-number.ts'
import { getDb } from '#app/lib/db.server.ts'
import * as pdfRoute from '#app/routes/hours/certificate-pdf.ts'
import * as certificatesPage from '#app/routes/hours/certificates.tsx'
import * as verifyPage from '#app/routes/public/verify.tsx'
import { cookieFor, createLearner } from '#test/factories/people.ts'
import { call, errorsOf, makeRequest } from '#test/fixtures/http.ts'
import { processJob } from '#workers/jobs/index.ts'
import { relayOutbox } from '#workers/outbox-relay.ts'
import { openQueues, startWorkers } from '#workers/runtime.ts'

const YEAR = 2025
const CODE = /^[A-HJ-NP-Z2-9]{16}$/

async function learner(name = '陈静') {
  const db = getDb()
  const who = await createLearner(db, { name })
  const { person_id: personId } = await db
    .selectFrom('accounts')
    .select('person_id')
    .where('id', '=', who.accountId)
    .executeTakeFirstOrThrow()
  return { ...who, personId, cookie: await cookieFor(db, who.accountId) }
}

let seq = 0
async function give(personId: number, hours: string, over: Partial<CreditInput> = {}) {
  seq += 1
  const { entry } = await getDb()
    .transaction()
    .execute((trx) =>
      credit(trx, {
        personId,
        hours,
        category: 'professional',
        sourceKind: 'online_course',
        occurredAt: new Date(`${YEAR}-06-01T10:00:00+08:00`),
        idempotencyKey: `test:${personId}:${seq}`,
        ...over,
      }),
    )
  return entry
}

/** A year with every way of earning: online, seminar, base training, external; one not counted; one reversed. */
async function typicalYear(personId: number) {
  await give(personId, '40')
  await give(personId, '24', { sourceKind: 'seminar' })
  await give(personId, '12.5', { category: 'public', sourceKind: 'online_course' })
  await give(personId, '20', { category: 'public', sourceKind: 'external' })
  await give(personId, '6', { sourceKind: 'base_training', notCountedReason: 'duplicate' })
  const wrong = await give(personId, '3', { sourceKind: 'seminar' })
  await getDb()
    .transaction()
    .execute((trx) => reverse(trx, { entryId: wrong.id, reason: '重复报送', actorAccountId: null }))
}

async function requestAs(cookie: string | undefined, year: string) {
  return call(certificatesPage.action, makeRequest('/hours/certificates', { form: { year }, cookie }))
}

const certificateRows = () => getDb().selectFrom('certificates').selectAll().orderBy('id').execute()
const outboxRows = () => getDb().selectFrom('outbox').selectAll().where('job_name', '=', 'certificate.render').orderBy('id').execute()

async function requestAndRender(who: { personId: number }, year = YEAR) {
  const r = await requestCertificate(getDb(), who.personId, year, { baseUrl: 'https://xueshi.example.cn' })
  if (!r.ok) throw new Error(r.code)
  expect(await renderCertificate(getDb(), r.id, { baseUrl: 'https://xueshi.example.cn' })).toBe('rendered')
  return r
}

/**
 * The text a PDF shows, decoded the way a viewer does: each content stream's text operators,
 * glyph codes mapped through the current font's ToUnicode CMap. Streams are inflated first.
 */
function pdfText(pdf: Buffer): string {
  const s = pdf.toString('latin1')
  const objects = new Map<string, { dict: string; stream: string | null }>()
  for (const m of s.matchAll(/(\d+) 0 obj\s*([\s\S]*?)endobj/g)) {
    const body = m[2]!
    const at = body.indexOf('stream')
    if (at < 0) {
      objects.set(m[1]!, { dict: body, stream: null })
      continue
    }
    const dict = body.slice(0, at)
    let raw = body.slice(at + 'stream'.length).replace(/^\r?\n/, '')
    raw = raw.slice(0, raw.lastIndexOf('endstream')).replace(/\r?\n$/, '')
    const bytes = Buffer.from(raw, 'latin1')
    objects.set(m[1]!, { dict, stream: (/FlateDecode/.test(dict) ? inflateSync(bytes) : bytes).toString('latin1') })
  }
  const utf16 = (hex: string) => Buffer.from(hex, 'hex').swap16().toString('utf16le')
  const cmaps = new Map<string, Map<string, string>>()
  for (const m of s.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
    const fontObj = objects.get(m[2]!)
    const toUnicode = fontObj && /\/ToUnicode (\d+) 0 R/.exec(fontObj.dict)?.[1]
    const cmap = toUnicode ? objects.get(toUnicode)?.stream : null
    if (!cmap) continue
    const map = new Map<string, string>()
    // pdfkit writes ranges of 256 codes, each with an array of UTF-16BE strings: <0000> <00ff> [<5b66> <65f6> …]
    for (const r of cmap.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*\[([^\]]*)\]/gi)) {
      const start = parseInt(r[1]!, 16)
      ;[...r[3]!.matchAll(/<([0-9a-f ]*)>/gi)].forEach((u, i) =>
        map.set((start + i).toString(16).padStart(4, '0'), utf16(u[1]!.replace(/ /g, ''))),
      )
    }
    cmaps.set(m[1]!, map)
  }
  let text = ''
  for (const { dict, stream } of objects.values()) {
    // Page content streams only: not font programs (they have a /Subtype), not CMaps.
    if (!stream || /\/Subtype/.test(dict) || !/\bBT\b[\s\S]*\bET\b/.test(stream)) continue
    let font: Map<string, string> | undefined
    for (const op of stream.matchAll(/\/(F\d+)\s+[\d.]+\s+Tf|\[((?:<[0-9a-fA-F]*>|[-\d.\s])*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      if (op[1]) font = cmaps.get(op[1])
      const hexes = op[2] ? [...op[2].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]!) : op[3] !== undefined ? [op[3]] : []
      for (const hex of hexes) for (let i = 0; i + 4 <= hex.length; i += 4) text += font?.get(hex.slice(i, i + 4).toLowerCase()) ?? '\uFFFD'
    }
    text += '\n'
  }
  return text
}

let cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  const list = cleanups.reverse()
  cleanups = []
  for (const c of list) await c().catch(() => undefined)
})

describe('hours certificates (学时证明)', () => {
  test('a request writes a pending certificate with its facts snapshot and the render job, in one transaction', async () => {
    const who = await learner()
    await typicalYear(who.personId)
    const res = await requestAs(who.cookie, String(YEAR))
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe(`/hours/certificates?done=created&year=${YEAR}`)

    const [cert, ...more] = await certificateRows()
    expect(more).toEqual([])
    expect(cert).toMatchObject({ person_id: who.personId, ce_year: YEAR, status: 'pending', pdf: null, error: null, ready_at: null })
    expect(cert!.code).toMatch(CODE)
    const maxId = await getDb()
      .selectFrom('hour_entries')
      .select((eb) => eb.fn.max<number>('id').as('m'))
      .executeTakeFirstOrThrow()
    expect(cert!.ledger_high_water).toBe(Number(maxId.m))
    expect(cert!.facts).toEqual({
      name: '陈静',
      idNumberMasked: maskIdNumber(who.idNumber),
      year: YEAR,
      hours: { total: '96.5', professional: '64', public: '32.5' },
      byMethod: {
        online: { professional: '40', public: '12.5', total: '52.5' },
        // the reversed 3 hours were a seminar: they cancel out there; the uncounted 6 are left out
        face_to_face: { professional: '24', public: '0', total: '24' },
        other: { professional: '0', public: '20', total: '20' },
      },
      ledgerCounted: { professional: '64', public: '32.5' },
      requirement: { total: '90', professional: '60', public: '30' },
      publicCap: null,
      met: true,
      policyVersion: '2025.1',
      issuer: '吉林省专业技术人员继续教育平台',
      issuedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    })
    expect(JSON.stringify(cert!.facts)).not.toContain(who.idNumber)

    const jobs = await outboxRows()
    expect(jobs).toHaveLength(1)
    expect(jobs[0]!.payload).toEqual({ certificateId: cert!.id, baseUrl: 'http://localhost' })
    expect(jobs[0]!.dispatched_at).toBeNull()
  })

  test('the job renders an A4 PDF with an embedded CJK font subset, the facts, code and verify URL, and never the raw ID number', async () => {
    const who = await learner('赵磊')
    await typicalYear(who.personId)
    await requestAs(who.cookie, String(YEAR))
    const [job] = await outboxRows()
    expect(await processJob(getDb(), 'certificate.render', job!.payload)).toBe('rendered')

    const [cert] = await certificateRows()
    expect(cert!.status).toBe('ready')
    expect(cert!.ready_at).toBeInstanceOf(Date)
    const pdf = cert!.pdf!
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    const raw = pdf.toString('latin1')
    expect(raw).toMatch(/\/FontFile[23]/)
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansHans-Regular/)
    expect(raw).toContain('/MediaBox [0 0 595.28 841.89]')
    // A subset, not the 8 MB font.
    expect(pdf.length).toBeLessThan(400_000)

    const text = pdfText(pdf)
    const code = formatCode(cert!.code)
    for (const expected of [
      '学时证明',
      'Certificate of Continuing-Education Hours',
      `兹证明 赵磊（身份证号 ${maskIdNumber(who.idNumber)}）于 ${YEAR} 年度共取得继续教育学时 96.5 学时`,
      '其中专业科目 64 学时、公需科目 32.5 学时',
      '网授',
      '面授',
      '达标情况：已达标',
      '版本 2025.1',
      '出具单位：吉林省专业技术人员继续教育平台',
      `验证码：${code}`,
      `http://localhost/verify/${code}`,
      '任何人无需登录',
    ]) {
      expect(text).toContain(expected)
    }
    expect(text).not.toContain('\uFFFD')
    // The raw ID number appears nowhere: not in the bytes, not in the decoded text.
    expect(raw).not.toContain(who.idNumber)
    expect(text).not.toContain(who.idNumber)
    expect(text.replace(/\s/g, '')).not.toContain(who.idNumber)

    // Idempotent: a replayed job leaves the certificate as it is.
    expect(await processJob(getDb(), 'certificate.render', job!.payload)).toBe('already-ready')
    const [again] = await certificateRows()
    expect(again!.pdf!.equals(pdf)).toBe(true)
  })

  test('outbox → relay → a real BullMQ worker renders it; the list page shows 生成中 then 已生成', async () => {
    const who = await learner()
    await give(who.personId, '30')
    await requestAs(who.cookie, String(YEAR))
    const list = () => call(certificatesPage.loader, makeRequest('/hours/certificates', { cookie: who.cookie }))
    expect((await list()).data.certificates).toMatchObject([{ year: YEAR, status: 'pending' }])

    const connection = () => {
      const c = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null })
      cleanups.push(() => c.quit())
      return c
    }
    const queues = openQueues(connection(), process.env.XUESHI_REDIS_PREFIX!)
    cleanups.push(() => Promise.all(Object.values(queues).map((q) => q.close())))
    // The welcome notice from registration and the render job, which has a queue of its own.
    expect(await relayOutbox(getDb(), queues)).toBe(2)
    expect(await queues.pdf.getJobCounts('waiting')).toEqual({ waiting: 1 })
    expect(await queues.notices.getJobCounts('waiting')).toEqual({ waiting: 1 })
    const failures: string[] = []
    for (const worker of Object.values(startWorkers(getDb(), { connect: connection, prefix: process.env.XUESHI_REDIS_PREFIX! }))) {
      worker.on('failed', (job, err) => failures.push(`${job?.name}: ${err.message}`))
      cleanups.push(() => worker.close())
    }

    const deadline = Date.now() + 15_000
    let status = 'pending'
    while (status === 'pending') {
      if (failures.length) throw new Error(failures.join('; '))
      if (Date.now() > deadline) throw new Error('timed out waiting for the certificate')
      await new Promise((r) => setTimeout(r, 50))
      status = (await getDb().selectFrom('certificates').select('status').executeTakeFirstOrThrow()).status
    }
    expect(status).toBe('ready')
    expect((await list()).data.certificates).toMatchObject([{ year: YEAR, status: 'ready', superseded: false }])
  })

  test('download: the owner gets the PDF; another learner gets 404; signed out goes to the login page', async () => {
    const owner = await learner()
    const other = await learner('孙丽')
    await give(owner.personId, '30')
    const { id } = await requestAndRender(owner)
    const path = `/certificates/${id}.pdf`

    const res = await call(pdfRoute.loader, makeRequest(path, { cookie: owner.cookie }), { id: String(id) })
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('application/pdf')
    const cert = (await certificateRows())[0]!
    const code = formatCode(cert.code)
    expect(res.headers.get('Content-Disposition')).toBe(
      `attachment; filename="xueshi-certificate-${YEAR}-${code}.pdf"; filename*=UTF-8''${encodeURIComponent(`学时证明-${YEAR}-${code}.pdf`)}`,
    )
    expect(res.headers.get('Cache-Control')).toBe('private, no-store')
    expect(Number(res.headers.get('Content-Length'))).toBe(cert.pdf!.length)

    const stranger = await call(pdfRoute.loader, makeRequest(path, { cookie: other.cookie }), { id: String(id) })
    expect(stranger.status).toBe(404)
    expect(String(stranger.data)).not.toContain('%PDF')

    const anonymous = await call(pdfRoute.loader, makeRequest(path), { id: String(id) })
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('Location')).toBe(`/login?redirectTo=${encodeURIComponent(path)}`)

    for (const bad of ['abc', '0x1', '99999999', '1e3']) {
      expect((await call(pdfRoute.loader, makeRequest(`/certificates/${bad}.pdf`, { cookie: owner.cookie }), { id: bad })).status).toBe(404)
    }
  })

  test('a certificate still being generated cannot be downloaded yet', async () => {
    const who = await learner()
    await give(who.personId, '30')
    await requestAs(who.cookie, String(YEAR))
    const [cert] = await certificateRows()
    const res = await call(pdfRoute.loader, makeRequest(`/certificates/${cert!.id}.pdf`, { cookie: who.cookie }), { id: String(cert!.id) })
    expect(res.status).toBe(404)
  })

  test('verify page: public, states the facts with the ID masked; a later ledger entry marks it superseded', async () => {
    const who = await learner('孙丽')
    await typicalYear(who.personId)
    const { code } = await requestAndRender(who)

    const open = (c: string) => call(verifyPage.loader, makeRequest(`/verify/${c}`), { code: c })
    const res = await open(formatCode(code))
    expect(res.status).toBe(200)
    expect(res.data).toMatchObject({
      found: true,
      code: formatCode(code),
      superseded: false,
      facts: {
        name: '孙丽',
        idNumberMasked: maskIdNumber(who.idNumber),
        year: YEAR,
        hours: { total: '96.5', professional: '64', public: '32.5' },
        met: true,
        policyVersion: '2025.1',
      },
    })
    // Only what the certificate states: no database ids, no raw ID number.
    expect(Object.keys(res.data).sort()).toEqual(['code', 'facts', 'found', 'kind', 'superseded'])
    expect(JSON.stringify(res.data)).not.toContain(who.idNumber)
    expect(JSON.stringify(res.data)).not.toMatch(/person_?id/i)
    // Typed by hand: lower case, no dashes, spaces.
    expect((await open(code.toLowerCase())).data.found).toBe(true)

    // An hour credited later for that year supersedes the certificate…
    await give(who.personId, '2', { category: 'public' })
    expect((await open(formatCode(code))).data).toMatchObject({ found: true, superseded: true })
    // …and the learner's list says so too.
    const list = await call(certificatesPage.loader, makeRequest('/hours/certificates', { cookie: who.cookie }))
    expect(list.data.certificates).toMatchObject([{ status: 'ready', superseded: true }])
  })

  test('verify: entries for another year do not supersede; a reversal in the year does', async () => {
    const who = await learner()
    await give(who.personId, '30')
    const { code } = await requestAndRender(who)
    await give(who.personId, '10', { ceYear: YEAR - 1, occurredAt: new Date(`${YEAR - 1}-05-01T10:00:00+08:00`) })
    expect((await verifyCertificate(getDb(), code))!.superseded).toBe(false)
    const [entry] = await getDb().selectFrom('hour_entries').select('id').where('ce_year', '=', YEAR).execute()
    await getDb()
      .transaction()
      .execute((trx) => reverse(trx, { entryId: entry!.id, reason: '误报', actorAccountId: null }))
    expect((await verifyCertificate(getDb(), code))!.superseded).toBe(true)
  })

  test('verify: an unknown or malformed code is a clear 404 page', async () => {
    for (const c of ['ABCD-EFGH-JKLM-NPQR', 'nope', 'ABCD-EFGH-JKLM-NPQI', "'; drop table certificates; --"]) {
      const res = await call(verifyPage.loader, makeRequest(`/verify/${encodeURIComponent(c)}`), { code: c })
      expect(res.status).toBe(404)
      expect(res.data).toEqual({ found: false, code: c })
    }
  })

  test('requesting twice with no ledger change returns the same certificate; a change makes a new one', async () => {
    const who = await learner()
    await give(who.personId, '30')
    const first = await requestAs(who.cookie, String(YEAR))
    const second = await requestAs(who.cookie, String(YEAR))
    expect(second.status).toBe(302)
    expect(second.headers.get('Location')).toBe(`/hours/certificates?done=existing&year=${YEAR}`)
    expect(first.headers.get('Location')).toContain('done=created')
    expect(await certificateRows()).toHaveLength(1)
    expect(await outboxRows()).toHaveLength(1)

    // Still the same once it is ready.
    const [cert] = await certificateRows()
    await renderCertificate(getDb(), cert!.id, { baseUrl: 'http://localhost' })
    const third = await requestCertificate(getDb(), who.personId, YEAR, { baseUrl: 'http://localhost' })
    expect(third).toEqual({ ok: true, id: cert!.id, code: cert!.code, created: false })

    await give(who.personId, '1.5', { category: 'public' })
    const fourth = await requestCertificate(getDb(), who.personId, YEAR, { baseUrl: 'http://localhost' })
    expect(fourth).toMatchObject({ ok: true, created: true })
    expect(await certificateRows()).toHaveLength(2)
    expect(await outboxRows()).toHaveLength(2)
  })

  test('two simultaneous requests make one certificate', async () => {
    const who = await learner()
    await give(who.personId, '30')
    const results = await Promise.all(
      Array.from({ length: 5 }, () => requestCertificate(getDb(), who.personId, YEAR, { baseUrl: 'http://localhost' })),
    )
    expect(new Set(results.map((r) => (r.ok ? r.id : 0))).size).toBe(1)
    expect(results.filter((r) => r.ok && r.created)).toHaveLength(1)
    expect(await certificateRows()).toHaveLength(1)
    expect(await outboxRows()).toHaveLength(1)
  })

  test('an invalid year, a year without a policy or without hours: a clear error and nothing written', async () => {
    const who = await learner()
    await give(who.personId, '30')
    const future = String(ceYearOf(new Date()) + 1)
    const cases: [string, string][] = [
      ['abc', 'err.cert.invalid_year'],
      ['', 'err.cert.invalid_year'],
      ['2025.5', 'err.cert.invalid_year'],
      ['1999', 'err.cert.invalid_year'],
      [future, 'err.cert.invalid_year'],
      ['2010', 'err.cert.no_policy'],
      [String(YEAR - 1), 'err.cert.no_hours'],
    ]
    for (const [year, error] of cases) {
      const res = await requestAs(who.cookie, year)
      expect(res.status, year).toBe(400)
      expect(errorsOf(res), year).toEqual({ _form: error })
    }
    expect(await certificateRows()).toEqual([])
    expect(await outboxRows()).toEqual([])
    const anonymous = await requestAs(undefined, String(YEAR))
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('Location')).toMatch(/^\/login/)
    expect(await certificateRows()).toEqual([])
  })

  test('a rendering failure marks the certificate failed with the error; it is not verifiable; a new request makes a new one', async () => {
    const who = await learner()
    await give(who.personId, '30')
    const broken = await getDb()
      .insertInto('certificates')
      .values({
        code: 'ABCDEFGHJKLMNPQR',
        person_id: who.personId,
        ce_year: YEAR,
        facts: JSON.stringify({ name: '陈静' }),
        ledger_high_water: 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    expect(await renderCertificate(getDb(), broken.id, { baseUrl: 'http://localhost' })).toBe('failed')
    const [row] = await certificateRows()
    expect(row).toMatchObject({ status: 'failed', pdf: null })
    expect(row!.error).toBeTruthy()
    expect(await verifyCertificate(getDb(), 'ABCD-EFGH-JKLM-NPQR')).toBeNull()
    const list = await call(certificatesPage.loader, makeRequest('/hours/certificates', { cookie: who.cookie }))
    expect(list.data.certificates).toMatchObject([{ status: 'failed' }])
    expect((await requestCertificate(getDb(), who.personId, YEAR, { baseUrl: 'http://localhost' })).ok).toBe(true)
    expect(await certificateRows()).toHaveLength(2)
  })

  test('each learner lists only their own certificates; the job refuses a bad payload without retrying', async () => {
    const a = await learner()
    const b = await learner('孙丽')
    await give(a.personId, '30')
    await requestAs(a.cookie, String(YEAR))
    const listB = await call(certificatesPage.loader, makeRequest('/hours/certificates', { cookie: b.cookie }))
    expect(listB.data.certificates).toEqual([])
    expect(listB.data.years).toContain(YEAR)
    for (const bad of [
      {},
      { certificateId: 1 },
      { certificateId: 1, baseUrl: 'javascript:alert(1)' },
      { certificateId: 1, baseUrl: 'http://x.cn/path' },
      { certificateId: -1, baseUrl: 'http://x.cn' },
    ]) {
      await expect(processJob(getDb(), 'certificate.render', bad)).rejects.toBeInstanceOf(UnrecoverableError)
    }
    expect(await processJob(getDb(), 'certificate.render', { certificateId: 999999, baseUrl: 'http://x.cn' })).toBe('not-found')
  })
})
