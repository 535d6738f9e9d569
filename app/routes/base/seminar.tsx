import { getFormProps, getInputProps, getSelectProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import type { z } from 'zod'

import { requireBaseStaff } from '#app/auth/auth.server.ts'
import { ANSWERED_ELSEWHERE, FormAlert, Notice, TextField, useErrorText } from '#app/components/form.tsx'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { MarkAttendanceSchema } from '#app/domain/seminars/checkin.schema.ts'
import { hostSeminar, markAttendance, type MarkCode, rosterWithAttendance } from '#app/domain/seminars/checkin.server.ts'
import { MAX_REASON } from '#app/domain/seminars/checkin.ts'
import { MAX_VENUE, MoveBlockSchema, VenueSchema } from '#app/domain/seminars/host-edit.schema.ts'
import { type HostEditCode, moveBlock, updateVenue } from '#app/domain/seminars/host-edit.server.ts'
import { formatDate, formatHours, pageTitle, useLang, useT } from '#app/i18n/index.ts'
import { getDb } from '#app/lib/db.server.ts'

// URL /base/seminars/:seminarId: one hosted seminar: its blocks with the venue codes' screens,
// the roster with attendance per block, marking attendance by hand (with a reason), and the
// details the host may change (the venue, the times of a block that has not started).
export const meta = pageTitle('seminarHost.seminar')

function seminarIdOf(params: { seminarId?: string }): number {
  if (!/^\d{1,12}$/.test(params.seminarId ?? '')) throw new Response('Not Found', { status: 404 })
  return Number(params.seminarId)
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireBaseStaff(request)
  const seminarId = seminarIdOf(params)
  const db = getDb()
  // Scoped by the staff member's base: another base's seminar does not exist here.
  const seminar = await hostSeminar(db, user.baseId, seminarId)
  if (!seminar) throw new Response('Not Found', { status: 404 })
  const roster = await rosterWithAttendance(db, seminarId)
  const now = new Date()
  return {
    seminar: {
      id: seminar.id,
      title: seminar.title,
      level: seminar.level,
      startDate: seminar.start_date,
      endDate: seminar.end_date,
      venue: seminar.venue,
      status: seminar.status,
      capacity: seminar.capacity,
      hours: seminar.declared_hours,
      finalisedAt: seminar.finalised_at ? seminar.finalised_at.toISOString() : null,
    },
    blocks: seminar.blocks.map((b) => ({
      id: b.id,
      day: b.day,
      part: b.part,
      startsAt: b.starts_at.toISOString(),
      endsAt: b.ends_at.toISOString(),
      hours: b.credit_hours,
      started: now >= b.starts_at,
      startClock: chinaClock(b.starts_at),
      endClock: chinaClock(b.ends_at),
      signedIn: b.signedIn,
      signedOut: b.signedOut,
      attended: b.attended,
    })),
    roster: roster.map((r) => ({
      personId: r.personId,
      name: r.name,
      idNumberMasked: r.idNumberMasked,
      status: r.status,
      blocks: Object.fromEntries(
        Object.entries(r.blocks).map(([blockId, a]) => [
          blockId,
          { attended: a.attended, corrected: a.corrected, in: a.signedInAt !== null, out: a.signedOutAt !== null },
        ]),
      ),
    })),
  }
}

/** China clock time of an instant ('HH:MM'), the value of a time field. */
function chinaClock(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(11, 16)
}

/** `key` says which form the answer is for: `venue`, `move-<blockId>` or `<personId>-<blockId>` (marking). */
type ActionData = { key: string; result: SubmissionResult; done?: boolean; unchanged?: boolean }

const FIELD_OF: Partial<Record<MarkCode, string>> = { reason_required: 'reason', reason_too_long: 'reason' }
const EDIT_FIELD_OF: Partial<Record<HostEditCode, string>> = {
  venue_required: 'venue',
  venue_too_long: 'venue',
  bad_times: 'endsAt',
  past: 'startsAt',
  other_half: 'startsAt',
}

async function editAction(user: { accountId: number; baseId: number }, seminarId: number, formData: FormData) {
  const intent = formData.get('intent')
  const now = new Date()
  const submission =
    intent === 'venue'
      ? parseWithZod(formData, { schema: VenueSchema, disableAutoCoercion: true })
      : parseWithZod(formData, { schema: MoveBlockSchema, disableAutoCoercion: true })
  const key = intent === 'venue' ? 'venue' : `move-${String(formData.get('blockId'))}`
  if (submission.status !== 'success') return data<ActionData>({ key, result: submission.reply() }, { status: 400 })
  const v = submission.value
  // Always the signed-in staff member's own base: no form field can point at another one.
  const r =
    v.intent === 'venue'
      ? await updateVenue(getDb(), user, seminarId, v.venue, now)
      : await moveBlock(getDb(), user, seminarId, v.blockId, { startsAt: v.startsAt, endsAt: v.endsAt }, now)
  if (!r.ok) {
    if (r.code === 'not_host' || r.code === 'not_found') throw new Response('Not Found', { status: 404 })
    const message = `seminarHost.code.${r.code}`
    const field = EDIT_FIELD_OF[r.code]
    return data<ActionData>(
      { key, result: field ? submission.reply({ fieldErrors: { [field]: [message] } }) : submission.reply({ formErrors: [message] }) },
      { status: 409 },
    )
  }
  return data<ActionData>({ key, result: submission.reply(), done: true, unchanged: !r.changed })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireBaseStaff(request)
  const seminarId = seminarIdOf(params)
  const formData = await request.formData()
  const intent = formData.get('intent')
  if (intent === 'venue' || intent === 'move') return editAction(user, seminarId, formData)
  const submission = parseWithZod(formData, { schema: MarkAttendanceSchema, disableAutoCoercion: true })
  const key = `${String(formData.get('personId'))}-${String(formData.get('blockId'))}`
  if (submission.status !== 'success') return data<ActionData>({ key, result: submission.reply() }, { status: 400 })
  const v = submission.value
  // Always the signed-in staff member's own base: no form field can point at another one.
  const r = await markAttendance(getDb(), user, seminarId, v.blockId, v.personId, v.attended, v.reason, new Date())
  if (!r.ok) {
    if (r.code === 'not_host' || r.code === 'not_found') throw new Response('Not Found', { status: 404 })
    const message = `seminarHost.code.${r.code}`
    const field = FIELD_OF[r.code]
    return data<ActionData>(
      { key, result: field ? submission.reply({ fieldErrors: { [field]: [message] } }) : submission.reply({ formErrors: [message] }) },
      { status: 409 },
    )
  }
  return data<ActionData>({ key, result: submission.reply({ resetForm: true }), done: true })
}

type Cell = { attended: boolean; corrected: boolean; in: boolean; out: boolean } | undefined

function MarkForm({ personId, blockId, cell, label }: { personId: number; blockId: number; cell: Cell; label: string }) {
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const key = `${personId}-${blockId}`
  const mine = actionData?.key === key ? actionData : undefined
  const [form, fields] = useForm<z.input<typeof MarkAttendanceSchema>>({
    id: `mark-${key}`,
    lastResult: mine?.result,
    defaultValue: { attended: cell?.attended ? 'no' : 'yes' },
  })
  const formError = useErrorText(form.errors)
  const reasonError = useErrorText(fields.reason.errors)
  const attendedError = useErrorText(fields.attended.errors)
  const { key: reasonKey, ...reasonInput } = getInputProps(fields.reason, { type: 'text' })
  const { key: attendedKey, ...attendedSelect } = getSelectProps(fields.attended)
  return (
    <details className="confirm" open={Boolean(mine && !mine.done)}>
      <summary className="link-button small" aria-label={label}>
        {t('seminarHost.mark')}
      </summary>
      <Form method="post" className="stack small" {...getFormProps(form)}>
        {mine?.done ? <Notice>{t('seminarHost.marked')}</Notice> : null}
        {formError ? <FormAlert>{formError}</FormAlert> : null}
        <input type="hidden" name="blockId" value={blockId} />
        <input type="hidden" name="personId" value={personId} />
        <div className={`field${attendedError ? ' field-invalid' : ''}`}>
          <label htmlFor={fields.attended.id}>{t('seminarHost.mark.attended')}</label>
          <select key={attendedKey} {...attendedSelect} required>
            <option value="yes">{t('seminarHost.mark.yes')}</option>
            <option value="no">{t('seminarHost.mark.no')}</option>
          </select>
          {attendedError ? (
            <p className="field-error" id={fields.attended.errorId} role="alert">
              {attendedError}
            </p>
          ) : null}
        </div>
        <div className={`field${reasonError ? ' field-invalid' : ''}`}>
          <label htmlFor={fields.reason.id}>
            {t('seminarHost.mark.reason')}
            <span className="required" aria-hidden="true">
              {' '}
              *
            </span>
          </label>
          <input key={reasonKey} {...reasonInput} maxLength={MAX_REASON} required />
          {reasonError ? (
            <p className="field-error" id={fields.reason.errorId} role="alert">
              {reasonError}
            </p>
          ) : null}
        </div>
        <button type="submit" name="intent" value="mark" className="button" disabled={busy}>
          {t('seminarHost.mark.submit')}
        </button>
      </Form>
    </details>
  )
}

/** The answer of the action for the form `key`; on another form's answer, a result that clears old errors. */
function useAnswerFor(key: string) {
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const mine = actionData?.key === key ? actionData : undefined
  return { mine, lastResult: mine ? mine.result : actionData ? ANSWERED_ELSEWHERE : undefined }
}

function VenueForm({ venue }: { venue: string }) {
  const t = useT()
  const busy = useNavigation().state === 'submitting'
  const { mine, lastResult } = useAnswerFor('venue')
  const [form, fields] = useForm<z.input<typeof VenueSchema>>({ id: 'venue-form', lastResult, defaultValue: { venue } })
  const formError = useErrorText(form.errors)
  return (
    <Form method="post" className="stack" {...getFormProps(form)}>
      {mine?.done ? <Notice>{t(mine.unchanged ? 'seminarHost.venue.unchanged' : 'seminarHost.venue.saved')}</Notice> : null}
      {formError ? <FormAlert>{formError}</FormAlert> : null}
      <TextField meta={fields.venue} label={t('seminarHost.venue.label')} maxLength={MAX_VENUE} required />
      <button type="submit" name="intent" value="venue" className="button" disabled={busy}>
        {t('seminarHost.venue.submit')}
      </button>
    </Form>
  )
}

function MoveForm({ blockId, startClock, endClock, label }: { blockId: number; startClock: string; endClock: string; label: string }) {
  const t = useT()
  const busy = useNavigation().state === 'submitting'
  const { mine, lastResult } = useAnswerFor(`move-${blockId}`)
  const [form, fields] = useForm<z.input<typeof MoveBlockSchema>>({
    id: `move-${blockId}`,
    lastResult,
    defaultValue: { startsAt: startClock, endsAt: endClock },
  })
  const formError = useErrorText(form.errors)
  return (
    <details className="confirm" open={Boolean(mine && !mine.done)}>
      <summary className="link-button small" aria-label={label}>
        {t('seminarHost.move')}
      </summary>
      <Form method="post" className="stack small" {...getFormProps(form)}>
        {formError ? <FormAlert>{formError}</FormAlert> : null}
        <input type="hidden" name="blockId" value={blockId} />
        <TextField meta={fields.startsAt} type="time" label={t('seminarHost.move.startsAt')} hint={t('seminarHost.move.hint')} required />
        <TextField meta={fields.endsAt} type="time" label={t('seminarHost.move.endsAt')} hint={t('seminarHost.move.hint')} required />
        <button type="submit" name="intent" value="move" className="button" disabled={busy}>
          {t('seminarHost.move.submit')}
        </button>
      </Form>
    </details>
  )
}

export default function BaseSeminar() {
  const { seminar, blocks, roster } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const t = useT()
  const lang = useLang()
  const day = (d: string) => formatDate(lang, d, 'day')
  const time = (d: string) => formatDate(lang, d, 'time')
  const blockName = (b: (typeof blocks)[number]) => t('seminarHost.block', { day: day(b.day), part: t(`seminarHost.part.${b.part}`) })
  type Block = (typeof blocks)[number]
  type Person = (typeof roster)[number]
  const blockColumns: Column<Block>[] = [
    { key: 'block', header: t('seminarHost.col.block'), rowHeader: true, cell: (b) => blockName(b) },
    {
      key: 'times',
      header: t('seminarHost.col.times'),
      cell: (b) => (
        <>
          {time(b.startsAt)}–{time(b.endsAt)}
          {actionData?.key === `move-${b.id}` && actionData.done ? (
            <Notice>{t(actionData.unchanged ? 'seminarHost.move.unchanged' : 'seminarHost.move.saved')}</Notice>
          ) : null}
          {b.started ? (
            <div className="small muted">{t('seminarHost.move.locked')}</div>
          ) : (
            <MoveForm
              blockId={b.id}
              startClock={b.startClock}
              endClock={b.endClock}
              label={t('seminarHost.move.label', { block: blockName(b) })}
            />
          )}
        </>
      ),
    },
    { key: 'hours', header: t('seminars.col.hours'), numeric: true, width: '5rem', cell: (b) => formatHours(b.hours) },
    {
      key: 'counts',
      header: t('seminarHost.col.counts'),
      cell: (b) => t('seminarHost.counts', { in: b.signedIn, out: b.signedOut, attended: b.attended }),
    },
    {
      key: 'codes',
      header: t('seminarHost.col.codes'),
      main: true,
      cell: (b) => (
        <>
          <Link to={`/base/seminars/${seminar.id}/blocks/${b.id}/qr?dir=in`}>{t('seminarHost.showIn')}</Link> ·{' '}
          <Link to={`/base/seminars/${seminar.id}/blocks/${b.id}/qr?dir=out`}>{t('seminarHost.showOut')}</Link>
        </>
      ),
    },
  ]
  const rosterColumns: Column<Person>[] = [
    { key: 'name', header: t('seminarHost.col.name'), rowHeader: true, nowrap: true, cell: (p) => p.name },
    { key: 'id', header: t('seminarHost.col.idNumber'), nowrap: true, cell: (p) => <span className="mono">{p.idNumberMasked}</span> },
    { key: 'status', header: t('seminarHost.col.status'), nowrap: true, cell: (p) => t(`seminarHost.status.${p.status}`) },
    ...blocks.map((b): Column<Person> => ({
      key: `block-${b.id}`,
      header: blockName(b),
      cell: (p) => {
        const cell = p.blocks[String(b.id)]
        return (
          <>
            <span aria-label={t(cell?.attended ? 'seminarHost.attended' : 'seminarHost.absent')}>{cell?.attended ? '✓' : '—'}</span>
            {cell && (cell.in || cell.out) ? (
              <span className="small muted">
                {' '}
                {[cell.in ? t('seminarHost.scan.in') : null, cell.out ? t('seminarHost.scan.out') : null].filter(Boolean).join(' · ')}
              </span>
            ) : null}
            {cell?.corrected ? <span className="small muted"> {t('seminarHost.corrected')}</span> : null}
            {p.status === 'confirmed' ? (
              <MarkForm
                personId={p.personId}
                blockId={b.id}
                cell={cell}
                label={t('seminarHost.mark.label', { name: p.name, block: blockName(b) })}
              />
            ) : null}
          </>
        )
      },
    })),
  ]
  return (
    <>
      <p className="small">
        <Link to="/base/seminars">← {t('seminarHost.title')}</Link>
      </p>
      <h1>{seminar.title}</h1>
      <p className="small">
        <Link to={`/base/seminars/${seminar.id}/results`}>{t('seminarHost.results')}</Link> ·{' '}
        <Link to={`/base/seminars/${seminar.id}/package`}>{t('seminarHost.package')}</Link>
      </p>

      <section className="panel" aria-labelledby="seminar-facts">
        <h2 id="seminar-facts">{t('seminarHost.facts')}</h2>
        <dl className="facts">
          <div>
            <dt>{t('seminars.col.level')}</dt>
            <dd>{t(`seminars.level.${seminar.level}`)}</dd>
          </div>
          <div>
            <dt>{t('seminars.col.dates')}</dt>
            <dd>
              {day(seminar.startDate)} – {day(seminar.endDate)}
            </dd>
          </div>
          <div>
            <dt>{t('seminars.col.venue')}</dt>
            <dd>{seminar.venue}</dd>
          </div>
          <div>
            <dt>{t('seminars.col.hours')}</dt>
            <dd>{formatHours(seminar.hours)}</dd>
          </div>
          <div>
            <dt>{t('seminars.col.status')}</dt>
            <dd>
              {t(`seminars.status.${seminar.status}`)}
              {seminar.finalisedAt ? ` · ${t('seminarHost.finalisedAt', { at: formatDate(lang, seminar.finalisedAt, 'dateTime') })}` : null}
            </dd>
          </div>
        </dl>
      </section>

      <section className="panel" aria-labelledby="seminar-blocks">
        <h2 id="seminar-blocks">{t('seminarHost.blocks')}</h2>
        <p className="muted">{t('seminarHost.blocks.lead')}</p>
        {blocks.length === 0 ? (
          <p className="muted">{t('seminarHost.blocks.none')}</p>
        ) : (
          <DataTable columns={blockColumns} rows={blocks} rowKey={(b) => b.id} caption={t('seminarHost.blocks')} />
        )}
      </section>

      <section className="panel" aria-labelledby="seminar-edit">
        <h2 id="seminar-edit">{t('seminarHost.edit')}</h2>
        <p className="muted">{t('seminarHost.edit.lead')}</p>
        <VenueForm venue={seminar.venue} />
      </section>

      <section className="panel" aria-labelledby="seminar-roster">
        <h2 id="seminar-roster">{t('seminarHost.roster')}</h2>
        <p className="muted">{t('seminarHost.roster.lead')}</p>
        {roster.length === 0 ? (
          <p className="muted">{t('seminarHost.roster.none')}</p>
        ) : (
          <DataTable columns={rosterColumns} rows={roster} rowKey={(p) => p.personId} caption={t('seminarHost.roster')} />
        )}
      </section>
    </>
  )
}
