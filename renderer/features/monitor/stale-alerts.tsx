/**
 * The shell's notices that a watched accessory stopped answering or went offline: shown on every screen,
 * announced as alerts, each dismissible and with a way to its session on the Monitor screen. (The system
 * notification for the same event is sent by the monitor slice.)
 */
import { useAppStore } from '../../store'
import { formatTime } from '../discover/discover-format'
import { useOpenScreen } from '../shell/use-open-screen'
import type { StaleAlert } from './session-changes'

function focusScreenHeading() {
  document.getElementById('screen-title')?.focus({ preventScroll: true })
}

function Notice({ alert, onMonitor }: { alert: StaleAlert; onMonitor: boolean }) {
  const dismiss = useAppStore((s) => s.dismissAlert)
  const open = useOpenScreen()
  const what = alert.state === 'offline' ? 'is offline' : 'stopped answering'
  const close = () => {
    dismiss(alert.key)
    // The button that had focus is gone: hand focus to the screen rather than to the document body.
    focusScreenHeading()
  }
  const show = () => {
    dismiss(alert.key)
    open('monitor')
  }
  return (
    <div className={`stale-alert stale-${alert.state}`} role="alert">
      <p className="stale-alert-text">
        <strong className="stale-alert-label">{alert.label}</strong> {what} <span className="muted small">({formatTime(alert.at)})</span>
        <br />
        <span className="stale-alert-cause">{alert.cause}</span>
      </p>
      <div className="stale-alert-actions">
        {onMonitor ? null : <button type="button" onClick={show}>Show</button>}
        <button type="button" className="button-quiet" onClick={close}>Dismiss</button>
      </div>
    </div>
  )
}

/** Renders the open notices, oldest first; nothing when there are none. */
export function StaleAlerts() {
  const alerts = useAppStore((s) => s.monitorAlerts)
  const onMonitor = useAppStore((s) => s.screen === 'monitor')
  if (alerts.length === 0) return null
  return (
    <div className="stale-alerts">
      {alerts.map((alert) => <Notice key={alert.key} alert={alert} onMonitor={onMonitor} />)}
    </div>
  )
}
