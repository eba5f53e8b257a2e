/**
 * Monitor: live connection health of watched accessories. Loads `session:list` on mount, then follows
 * `session:changed` through the store. One card per session, then the form to watch an address.
 */
import { useEffect, type ReactNode } from 'react'
import { useAppStore } from '../../store'
import { EmptyState } from '../../ui/empty-state'
import { Screen } from '../../ui/screen'
import { plural } from '../discover/discover-format'
import { useNow } from '../discover/use-now'
import { MonitorEmpty } from './monitor-empty'
import { SessionCard } from './session-card'
import { WatchForm } from './watch-form'

const LEDE = 'Live connection health of the accessories you watch: whether they answer, how fast, and every gap and reconnect.'

function SessionList() {
  const sessions = useAppStore((s) => s.monitorSessions)
  const now = useNow(1000, sessions.size > 0)
  return (
    <>
      <p className="monitor-count">{plural(sessions.size, 'connection')} watched</p>
      <ul className="session-list" aria-label="Watched connections">
        {[...sessions.values()].map((session) => (
          <li key={session.id}><SessionCard session={session} now={now} /></li>
        ))}
      </ul>
    </>
  )
}

/** Renders the Monitor screen. */
export function MonitorScreen() {
  const load = useAppStore((s) => s.loadSessions)
  const loadState = useAppStore((s) => s.monitorLoad)
  const error = useAppStore((s) => s.monitorError)
  const count = useAppStore((s) => s.monitorSessions.size)
  useEffect(() => {
    void load()
  }, [load])

  let body: ReactNode
  if (count > 0) {
    body = <SessionList />
  } else if (loadState === 'error') {
    body = (
      <EmptyState title="Could not load watched connections" action={<button type="button" onClick={() => void load()}>Try again</button>}>
        <p>{error}</p>
      </EmptyState>
    )
  } else if (loadState === 'ready') {
    body = <MonitorEmpty />
  } else {
    body = <p className="muted" role="status">Loading watched connections…</p>
  }
  return (
    <Screen title="Monitor" lede={LEDE}>
      {count > 0 && loadState === 'error' ? <p className="banner banner-error" role="alert">Could not refresh the list: {error}</p> : null}
      {body}
      <WatchForm />
    </Screen>
  )
}
