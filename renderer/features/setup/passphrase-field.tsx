/**
 * A Wi-Fi password field with Show/Hide. The value lives in the parent form's own state only; the field
 * tells browsers and spell checkers not to keep or read it.
 */
import { useId, useState, type Ref } from 'react'

/** Props of PassphraseField. */
export interface PassphraseFieldProps {
  label: string
  value: string
  onChange: (value: string) => void
  error?: string | undefined
  hint?: string
  inputRef?: Ref<HTMLInputElement>
}

/** Renders the labelled field, its Show/Hide toggle, a hint and the field's error. */
export function PassphraseField({ label, value, onChange, error, hint, inputRef }: PassphraseFieldProps) {
  const id = useId()
  const [isShown, setShown] = useState(false)
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ')
  return (
    <div className="field setup-field passphrase-field">
      <label htmlFor={`${id}-input`}>{label}</label>
      <div className="passphrase-row">
        <input
          id={`${id}-input`}
          ref={inputRef}
          type={isShown ? 'text' : 'password'}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          autoComplete="off"
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          aria-invalid={error !== undefined}
          aria-describedby={described || undefined}
        />
        <button type="button" className="button-quiet" aria-controls={`${id}-input`} onClick={() => setShown((v) => !v)}>
          {isShown ? 'Hide password' : 'Show password'}
        </button>
      </div>
      {hint ? <span id={`${id}-hint`} className="field-hint">{hint}</span> : null}
      {error ? <span id={`${id}-error`} className="field-error">{error}</span> : null}
    </div>
  )
}
