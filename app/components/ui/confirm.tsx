import { Form } from '@remix-run/react'
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react'

import { useT } from '#app/i18n/index.ts'

/**
 * Irreversible actions ask first. The form that does the action carries `confirm=yes`, and the
 * action refuses a submission without it (`isConfirmed`), so a stray click, an old page or a
 * forged post changes nothing.
 *
 * Without JavaScript the trigger is the `<summary>` of a `<details>`: it opens the question with
 * the real form and its confirm button (two clicks, no script). Once hydrated, the trigger opens
 * the same form in a native modal `<dialog>` instead (focus is kept inside it, Escape cancels).
 */
export const CONFIRM_FIELD = 'confirm'
export const CONFIRM_VALUE = 'yes'

/** Whether a submitted form carries the confirmation its irreversible action requires. */
export function isConfirmed(formData: FormData): boolean {
  return formData.get(CONFIRM_FIELD) === CONFIRM_VALUE
}

type FormProps = { id?: string; onSubmit?: (event: FormEvent<HTMLFormElement>) => void; noValidate?: boolean }

export type ConfirmProps = {
  /** The trigger's text (e.g. "撤销"). */
  label: string
  /** An accessible name for the trigger when `label` alone is ambiguous in a table (e.g. "撤销 张三的密钥"). */
  triggerLabel?: string
  /** The question, as the dialog's title. */
  title: string
  /** What will happen and that it cannot be undone. */
  body?: ReactNode
  /** The confirm button's text (e.g. "确认撤销"). */
  confirmLabel: string
  /** The submit button's intent. */
  intent: string
  /** Hidden fields identifying what is acted on. */
  fields?: Record<string, string | number>
  /** Visible fields (e.g. a reason), shown inside the question. */
  children?: ReactNode
  /** From Conform's `getFormProps(form)` when the form has fields. */
  formProps?: FormProps
  action?: string
  /** Open from the start: the server refused the fields inside (e.g. a missing reason). */
  defaultOpen?: boolean
  busy?: boolean
  /** The trigger's look: a link in a table row, or a button. */
  variant?: 'link' | 'button' | 'button-secondary'
  /** The confirm button's look: danger for destructive actions. */
  tone?: 'danger' | 'primary'
}

function useHydrated() {
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])
  return hydrated
}

export function Confirm(props: ConfirmProps) {
  const hydrated = useHydrated()
  return hydrated ? <ConfirmDialog {...props} /> : <ConfirmDetails {...props} />
}

const TRIGGER_CLASS = { link: 'link-button', button: 'button', 'button-secondary': 'button button-secondary' } as const

function ConfirmForm({
  fields,
  children,
  formProps,
  action,
  intent,
  confirmLabel,
  busy,
  tone = 'danger',
  cancel,
}: ConfirmProps & { cancel?: ReactNode }) {
  return (
    <Form method="post" action={action} className="stack" {...formProps}>
      {Object.entries(fields ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <input type="hidden" name={CONFIRM_FIELD} value={CONFIRM_VALUE} />
      {children}
      <div className="confirm-actions">
        {cancel}
        <button
          type="submit"
          name="intent"
          value={intent}
          className={tone === 'danger' ? 'button button-danger' : 'button'}
          disabled={busy}
        >
          {confirmLabel}
        </button>
      </div>
    </Form>
  )
}

/** Without JavaScript (and before hydration): a disclosure holding the question and the form. */
function ConfirmDetails(props: ConfirmProps) {
  const t = useT()
  const titleId = useId()
  const variant = props.variant ?? 'link'
  return (
    <details className="confirm" open={props.defaultOpen}>
      <summary className={TRIGGER_CLASS[variant]} aria-label={props.triggerLabel}>
        {props.label}
      </summary>
      <div className="confirm-panel" role="group" aria-labelledby={titleId}>
        <p className="confirm-title" id={titleId}>
          <strong>{props.title}</strong>
        </p>
        {props.body ? <div className="confirm-body">{props.body}</div> : null}
        <ConfirmForm {...props} />
        <p className="small muted">{t('confirm.cancelHint')}</p>
      </div>
    </details>
  )
}

/** With JavaScript: a button opening a native modal dialog. */
function ConfirmDialog(props: ConfirmProps) {
  const t = useT()
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const variant = props.variant ?? 'link'
  const { defaultOpen } = props

  // Reopen with the server's errors when it refused the fields inside (a missing reason).
  useEffect(() => {
    const dialog = ref.current
    if (defaultOpen && dialog && !dialog.open) dialog.showModal()
  }, [defaultOpen])

  const formProps: FormProps = {
    ...props.formProps,
    onSubmit: (event) => {
      props.formProps?.onSubmit?.(event)
      if (!event.defaultPrevented) ref.current?.close()
    },
  }
  return (
    <>
      <button
        type="button"
        className={TRIGGER_CLASS[variant]}
        aria-haspopup="dialog"
        aria-label={props.triggerLabel}
        onClick={() => ref.current?.showModal()}
      >
        {props.label}
      </button>
      <dialog ref={ref} className="confirm-dialog" aria-labelledby={titleId}>
        <h2 id={titleId} className="confirm-title">
          {props.title}
        </h2>
        {props.body ? <div className="confirm-body">{props.body}</div> : null}
        <ConfirmForm
          {...props}
          formProps={formProps}
          cancel={
            <button type="button" className="button button-secondary" onClick={() => ref.current?.close()}>
              {t('confirm.cancel')}
            </button>
          }
        />
      </dialog>
    </>
  )
}
