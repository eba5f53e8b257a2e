/**
 * The error decoder: paste an errno, a Winsock or DNS-SD code, an ESP provisioning status, an HTTP status or a
 * whole error message; the host answers with every plausible reading, each with its meaning and next step.
 * No reading is "Unknown code". The pasted text is shown back as text only.
 */
import { useId, useState, type FormEvent } from 'react'
import type { DecodedErrorView } from '../../../shared/diagnose/view'
import { plural } from '../discover/discover-format'
import { useAppStore } from '../../store'
import { MAX_DECODE_TEXT, type DecoderState } from './diagnose-slice'

/** Characters of the pasted text quoted back in "Unknown code". */
const QUOTE_MAX = 120

function quote(text: string): string {
  return text.length > QUOTE_MAX ? `${text.slice(0, QUOTE_MAX - 1)}…` : text
}

function Reading({ reading }: { reading: DecodedErrorView }) {
  return (
    <li className="decoder-reading">
      <h3 className="decoder-reading-title">{reading.name} <span className="muted mono">{reading.code}</span></h3>
      <p className="muted small">{reading.source}</p>
      <p>{reading.meaning}</p>
      <p className="check-advice-text"><strong>Next step:</strong> {reading.nextStep}</p>
      {reading.steps && reading.steps.length > 0 ? <ol className="check-steps">{reading.steps.map((s, i) => <li key={i}>{s}</li>)}</ol> : null}
    </li>
  )
}

function announcement(decoder: DecoderState): string {
  if (decoder.status === 'loading') return 'Looking it up…'
  if (decoder.status !== 'ready') return ''
  return decoder.readings.length === 0 ? 'Unknown code.' : `${plural(decoder.readings.length, 'reading')} found.`
}

function Answer({ decoder }: { decoder: DecoderState }) {
  if (decoder.status === 'error') return <p className="error-text" role="alert">Could not look it up: {decoder.error}</p>
  if (decoder.status !== 'ready') return null
  if (decoder.readings.length === 0) {
    return (
      <div className="decoder-unknown">
        <h3>Unknown code</h3>
        <p>
          Porchlight does not recognise “<span className="mono">{quote(decoder.query)}</span>”. Copy it exactly as shown
          into the support ticket, with what you were doing when it appeared.
        </p>
      </div>
    )
  }
  return <ul className="decoder-readings">{decoder.readings.map((r, i) => <Reading key={`${r.source}-${r.code}-${i}`} reading={r} />)}</ul>
}

/** Renders the error decoder panel. */
export function ErrorDecoder() {
  const id = useId()
  const decoder = useAppStore((s) => s.diagnoseDecoder)
  const decode = useAppStore((s) => s.decodeError)
  const [text, setText] = useState('')
  const [blank, setBlank] = useState(false)
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const isBlank = text.trim() === ''
    setBlank(isBlank)
    if (!isBlank) void decode(text)
  }
  return (
    <section className="panel error-decoder" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Error decoder</h2>
      <form className="decoder-form" onSubmit={submit} noValidate>
        <div className="field decoder-field">
          <label htmlFor={`${id}-text`}>Paste an error code or message</label>
          <textarea
            id={`${id}-text`}
            rows={2}
            maxLength={MAX_DECODE_TEXT}
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={blank}
            aria-describedby={`${id}-hint${blank ? ` ${id}-error` : ''}`}
          />
          <span id={`${id}-hint`} className="field-hint">
            For example EHOSTUNREACH, errno -111, WSAECONNREFUSED, -65563, a provisioning status, HTTP 404, or a whole message.
          </span>
          {blank ? <span id={`${id}-error`} className="field-error">Paste a code or message first.</span> : null}
        </div>
        <button type="submit" disabled={decoder.status === 'loading'}>Explain</button>
      </form>
      <p className="visually-hidden" aria-live="polite">{announcement(decoder)}</p>
      <Answer decoder={decoder} />
    </section>
  )
}
