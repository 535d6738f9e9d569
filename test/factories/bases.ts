import type { Transaction } from 'kysely'

import type { ApplicationInput } from '#app/domain/bases/applications.schema.ts'
import { createApplication, forwardApplication, submitApplication } from '#app/domain/bases/applications.server.ts'
import { approveApplication } from '#app/domain/bases/decisions.server.ts'
import type { Actor } from '#app/domain/bases/lifecycle.ts'
import { creditCodeCheckChar } from '#app/domain/shared/id-number.ts'
import type { DB } from '#app/lib/db.server.ts'
import type { Database } from '#db/schema.ts'

let seq = 0

/** A valid, unique unified social credit code (GB 32100-2015 check character). */
export function makeCreditCode(): string {
  seq += 1
  const n = String((Date.now() % 1_000_000) * 1000 + seq)
    .padStart(9, '0')
    .slice(-9)
  const first17 = `12220100M${n}`.slice(0, 17)
  return first17 + creditCodeCheckChar(first17)
}

export function applicationInput(overrides: Partial<ApplicationInput> = {}): ApplicationInput {
  return {
    institutionName: '长春测试职业培训学院',
    creditCode: makeCreditCode(),
    regionCode: '220100',
    trainingFields: ['engineering'],
    classrooms: 6,
    seats: 240,
    onlinePlatform: true,
    faculty: [{ name: '王老师', title: '教授', field: '土木工程' }],
    courses: [{ title: 'BIM技术应用', category: 'professional', hours: 24 }],
    contact: { name: '李联系', phone: '13912345678' },
    ...overrides,
  }
}

export const tx = <T>(db: DB, fn: (trx: Transaction<Database>) => Promise<T>) => db.transaction().execute(fn)

/** An application carried to `forwarded` (created by `applicant`, forwarded by `hr`). */
export async function forwardedApplication(db: DB, applicant: Actor & { role: 'applicant' }, hr: Actor, input = applicationInput()) {
  const created = await tx(db, (t) => createApplication(t, applicant.accountId, input))
  if (!created.ok) throw new Error(`factory: ${created.code}`)
  const id = created.applicationId
  for (const step of [() => tx(db, (t) => submitApplication(t, applicant, id)), () => tx(db, (t) => forwardApplication(t, hr, id))]) {
    const r = await step()
    if (!r.ok) throw new Error(`factory: ${r.code}`)
  }
  return id
}

/** A base approved by `province` with its notice starting `on` (so designated from on + noticeDays). */
export async function approvedBase(
  db: DB,
  applicant: Actor & { role: 'applicant' },
  hr: Actor,
  province: Actor,
  on: string,
  input = applicationInput(),
) {
  const id = await forwardedApplication(db, applicant, hr, input)
  const r = await tx(db, (t) =>
    approveApplication(t, province, id, { decisionNumber: `吉人社基〔2026〕${++seq}号`, noticeStart: on }, { on }),
  )
  if (!r.ok) throw new Error(`factory: ${r.code}`)
  return { applicationId: id, ...r }
}
