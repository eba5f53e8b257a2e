/** Signal as four bars and a lock for secured networks, each with a text equivalent for screen readers. */
import { signalBars } from './credentials-model'

/** Renders 0–4 bars for a 0–100 signal; the bars are drawn, the percentage is what assistive tech reads. */
export function SignalBars({ signal }: { signal: number }) {
  const bars = signalBars(signal)
  const percent = Math.max(0, Math.min(100, Math.round(signal)))
  return (
    <span className={`signal-bars signal-${bars}`} role="img" aria-label={`Signal ${percent} %`} title={`Signal ${percent} %`}>
      {[1, 2, 3, 4].map((n) => <span key={n} className={n <= bars ? 'signal-bar is-on' : 'signal-bar'} aria-hidden="true" />)}
    </span>
  )
}

/** Renders a lock and "Secured" (with the kind when known) for a secured network, "Open" otherwise. */
export function SecurityMark({ secured, security }: { secured: boolean; security?: string }) {
  if (!secured) return <span className="security-mark is-open">Open</span>
  return (
    <span className="security-mark is-secured">
      <svg className="lock-icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
        <path d="M4 7V5a4 4 0 0 1 8 0v2h1v8H3V7h1zm2 0h4V5a2 2 0 0 0-4 0v2z" fill="currentColor" />
      </svg>
      {security ? `Secured (${security})` : 'Secured'}
    </span>
  )
}
