/**
 * Watch an accessory by address: host, port, how to check it, and how often. Checked with the contract's
 * schema before anything is sent; each bad field says what it needs, and focus moves to the first one.
 */
import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react'
import type { ProtocolKind } from '../../../shared/session/view'
import { useAppStore } from '../../store'
import { FIELD_ORDER, INITIAL_WATCH_FORM, parseWatchForm, PROTOCOL_OPTIONS, type WatchField, type WatchFieldErrors, type WatchFormValues } from './watch-form-model'

interface FieldProps {
  name: WatchField
  label: string
  error: string | undefined
  hint?: string
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }) => ReactNode
}

function Field({ name, label, error, hint, children }: FieldProps) {
  const id = `${useId()}-${name}`
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ')
  return (
    <div className={`field watch-field watch-field-${name}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error !== undefined, 'aria-describedby': described || undefined })}
      {hint ? <span id={`${id}-hint`} className="field-hint">{hint}</span> : null}
      {error ? <span id={`${id}-error`} className="field-error">{error}</span> : null}
    </div>
  )
}

/** Renders the form. */
export function WatchForm() {
  const watch = useAppStore((s) => s.watch)
  const watching = useAppStore((s) => s.monitorWatching)
  const hostError = useAppStore((s) => s.monitorWatchError)
  const [values, setValues] = useState<WatchFormValues>(INITIAL_WATCH_FORM)
  const [errors, setErrors] = useState<WatchFieldErrors>({})
  const [done, setDone] = useState<string | null>(null)
  // The host's refusal is shown only for a request sent from here (Discover shows its own).
  const [sent, setSent] = useState(false)
  const form = useRef<HTMLFormElement>(null)
  const update = (patch: Partial<WatchFormValues>) => setValues((v) => ({ ...v, ...patch }))

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    setDone(null)
    const parsed = parseWatchForm(values)
    if (!parsed.ok) {
      setErrors(parsed.errors)
      const first = FIELD_ORDER.find((f) => parsed.errors[f] !== undefined)
      form.current?.querySelector<HTMLElement>(`.watch-field-${first} input, .watch-field-${first} select`)?.focus()
      return
    }
    setErrors({})
    setSent(true)
    const session = await watch(parsed.request)
    if (session) setDone(`Now watching ${session.label}.`)
  }

  return (
    <form ref={form} className="watch-form" noValidate onSubmit={(e) => void submit(e)} aria-labelledby="watch-form-title">
      <h2 id="watch-form-title">Watch an address</h2>
      <p className="muted small">For an accessory Discover does not list, or to watch a specific port.</p>
      <div className="watch-form-row">
        <Field name="host" label="Host or IP address" error={errors.host}>
          {(p) => <input {...p} type="text" autoComplete="off" spellCheck={false} value={values.host} onChange={(e) => update({ host: e.target.value })} />}
        </Field>
        <Field name="port" label="Port" error={errors.port}>
          {(p) => <input {...p} type="text" inputMode="numeric" className="input-short" value={values.port} onChange={(e) => update({ port: e.target.value })} />}
        </Field>
        <Field name="protocol" label="Check with" error={errors.protocol}>
          {(p) => (
            <select {...p} value={values.protocol} onChange={(e) => update({ protocol: e.target.value as ProtocolKind })}>
              {PROTOCOL_OPTIONS.map((o) => <option key={o.kind} value={o.kind}>{o.label}</option>)}
            </select>
          )}
        </Field>
        {values.protocol === 'tcp-heartbeat' ? (
          <Field name="requestHex" label="Bytes to send (hex)" error={errors.requestHex} hint="Any reply counts as alive.">
            {(p) => <input {...p} type="text" className="mono" spellCheck={false} value={values.requestHex} onChange={(e) => update({ requestHex: e.target.value })} />}
          </Field>
        ) : null}
        {values.protocol === 'http-poll' ? (
          <Field name="path" label="Path" error={errors.path} hint="Any status below 500 counts as alive.">
            {(p) => <input {...p} type="text" spellCheck={false} value={values.path} onChange={(e) => update({ path: e.target.value })} />}
          </Field>
        ) : null}
        <Field name="interval" label="Check every (seconds)" error={errors.interval}>
          {(p) => <input {...p} type="text" inputMode="decimal" className="input-short" value={values.intervalSeconds} onChange={(e) => update({ intervalSeconds: e.target.value })} />}
        </Field>
        <button type="submit" disabled={watching}>{watching ? 'Starting…' : 'Watch'}</button>
      </div>
      {sent && hostError ? <p className="error-text" role="alert">Could not start watching: {hostError}</p> : null}
      <p className="watch-form-status" role="status">{done ?? ''}</p>
    </form>
  )
}
