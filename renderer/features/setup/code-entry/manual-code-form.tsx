/**
 * Typing the setup code from a label: the code (hidden by default, with a show/hide toggle), an optional
 * security 2 username, and where to look for the code on an accessory without a screen. The field is
 * cleared once the code is accepted so the secret does not linger in the page.
 */
import { useId, useRef, useState, type FormEvent } from 'react'
import { parseManualCode } from '../../../../shared/pairing/setup-code'
import type { SetupCodeInput } from '../../../../shared/provisioning/view'

/** Props of ManualCodeForm. */
export interface ManualCodeFormProps {
  onCode: (code: SetupCodeInput) => void
  disabled: boolean
}

type FieldError = { field: 'pop' | 'username'; message: string }

/** Where the code is printed on a display-less accessory. */
export function WhereIsTheCode() {
  const id = useId()
  return (
    <aside className="code-entry-help" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>No screen on the accessory? The code is printed on it</h4>
      <ul>
        <li>on a label on the device, often underneath it or on the back</li>
        <li>on the box it came in</li>
        <li>on the quick-start card or in the manual</li>
        <li>sometimes on a sticker inside the battery compartment</li>
      </ul>
      <p>
        The QR code and the printed code are the same secret: scan one or type the other. Keep it private — anyone
        with it and within range can set up the accessory.
      </p>
    </aside>
  )
}

/** Renders the manual entry form. */
export function ManualCodeForm({ onCode, disabled }: ManualCodeFormProps) {
  const id = useId()
  const [pop, setPop] = useState('')
  const [username, setUsername] = useState('')
  const [shown, setShown] = useState(false)
  const [error, setError] = useState<FieldError | null>(null)
  const popInput = useRef<HTMLInputElement>(null)
  const userInput = useRef<HTMLInputElement>(null)

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const parsed = parseManualCode(pop, username)
    if (!parsed.ok) {
      const field = parsed.error.code === 'code-invalid-username' ? 'username' : 'pop'
      setError({ field, message: parsed.error.message })
      const input = field === 'pop' ? popInput.current : userInput.current
      input?.focus()
      return
    }
    setError(null)
    setPop('')
    setShown(false)
    onCode(parsed.value)
  }

  const errorId = `${id}-error`
  const described = (field: FieldError['field'], hint?: string) => [hint ?? '', error?.field === field ? errorId : ''].filter(Boolean).join(' ') || undefined

  return (
    <form className="code-entry-manual" noValidate onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Type the code</h3>
      <div className="field code-entry-field">
        <label htmlFor={`${id}-pop`}>Setup code (proof of possession)</label>
        <div className="code-entry-secret">
          <input
            ref={popInput}
            id={`${id}-pop`}
            type={shown ? 'text' : 'password'}
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            maxLength={256}
            disabled={disabled}
            value={pop}
            aria-invalid={error?.field === 'pop'}
            aria-describedby={described('pop')}
            onChange={(e) => setPop(e.target.value)}
          />
          <button type="button" aria-pressed={shown} aria-controls={`${id}-pop`} aria-label={shown ? 'Hide code' : 'Show code'} disabled={disabled} onClick={() => setShown((s) => !s)}>
            {shown ? 'Hide' : 'Show'}
          </button>
        </div>
      </div>
      <div className="field code-entry-field">
        <label htmlFor={`${id}-user`}>Username (security 2 only, optional)</label>
        <input
          ref={userInput}
          id={`${id}-user`}
          type="text"
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          maxLength={256}
          disabled={disabled}
          value={username}
          aria-invalid={error?.field === 'username'}
          aria-describedby={described('username', `${id}-user-hint`)}
          onChange={(e) => setUsername(e.target.value)}
        />
        <span id={`${id}-user-hint`} className="field-hint">Leave it empty unless the label shows a username.</span>
      </div>
      {error ? <p id={errorId} className="field-error" role="alert">{error.message}</p> : null}
      <button type="submit" disabled={disabled}>Use this code</button>
      <WhereIsTheCode />
    </form>
  )
}
