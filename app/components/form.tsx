import { useEffect, type ReactNode } from 'react'

type Common = {
  name: string
  label: string
  /** Already-translated error text for this field, if any. */
  error?: string
  hint?: string
  required?: boolean
}

function describedBy(name: string, hint?: string, error?: string) {
  return [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean).join(' ') || undefined
}

function FieldShell({ name, label, error, hint, required, children }: Common & { children: ReactNode }) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={name}>
        {label}
        {required ? (
          <span className="required" aria-hidden="true">
            {' '}*
          </span>
        ) : null}
      </label>
      {children}
      {hint ? (
        <p className="field-hint" id={`${name}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${name}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  )
}

export function TextField(
  props: Common & { type?: string; defaultValue?: string; autoComplete?: string; inputMode?: 'numeric' | 'text' | 'tel'; maxLength?: number },
) {
  const { name, error, hint, required, type = 'text', defaultValue, autoComplete, inputMode, maxLength } = props
  return (
    <FieldShell {...props}>
      <input
        id={name}
        name={name}
        type={type}
        defaultValue={defaultValue}
        autoComplete={autoComplete}
        inputMode={inputMode}
        maxLength={maxLength}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, hint, error)}
      />
    </FieldShell>
  )
}

export function SelectField(props: Common & { options: { value: string; label: string }[]; defaultValue?: string; placeholder: string }) {
  const { name, error, hint, required, options, defaultValue, placeholder } = props
  return (
    <FieldShell {...props}>
      <select
        id={name}
        name={name}
        defaultValue={defaultValue ?? ''}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, hint, error)}
      >
        <option value="" disabled>
          {placeholder}
        </option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  )
}

export function FormAlert({ children }: { children: ReactNode }) {
  return (
    <div className="alert alert-error" role="alert">
      {children}
    </div>
  )
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <div className="alert alert-success" role="status">
      {children}
    </div>
  )
}

/**
 * After a failed submit, move keyboard and screen-reader focus to the first invalid field, so
 * the error is announced where it must be fixed. `errors` is the action's field-error object.
 */
export function useFocusFirstError(errors: Record<string, string> | undefined) {
  useEffect(() => {
    if (!errors || Object.keys(errors).length === 0) return
    const first = document.querySelector<HTMLElement>('[aria-invalid="true"]')
    first?.focus()
  }, [errors])
}
