/** The app shell: skip link, sidebar navigation, the current screen, the host connection banner and stale-connection notices. */
import type { MouseEvent } from 'react'
import { DiagnoseScreen } from './features/diagnose/diagnose-screen'
import { DiscoverScreen } from './features/discover/discover-screen'
import { FleetScreen } from './features/fleet/fleet-screen'
import { MonitorScreen } from './features/monitor/monitor-screen'
import { StaleAlerts } from './features/monitor/stale-alerts'
import { SetupScreen } from './features/setup/setup-screen'
import { Nav } from './features/shell/nav'
import type { Screen } from './features/shell/shell-slice'
import { useAppStore } from './store'
import { ErrorBoundary } from './ui/error-boundary'

const SCREEN_COMPONENTS: Record<Screen, () => React.JSX.Element> = {
  discover: DiscoverScreen,
  setup: SetupScreen,
  monitor: MonitorScreen,
  diagnose: DiagnoseScreen,
  fleet: FleetScreen,
}

function skipToContent(event: MouseEvent<HTMLAnchorElement>) {
  event.preventDefault()
  document.getElementById('screen-title')?.focus()
}

function ConnectionBanner() {
  const connection = useAppStore((s) => s.connection)
  if (connection === 'open' || connection === 'connecting') return null
  const text = connection === 'unauthorized'
    ? 'This page’s access token was not accepted. Open the address that `npm run web` printed, including its #token part.'
    : 'The connection to Porchlight was lost. Start it again and open the new address it prints.'
  return <div className="banner banner-error" role="alert">{text}</div>
}

function AppFooter() {
  const info = useAppStore((s) => s.appInfo)
  if (!info) return null
  return <p className="sidebar-footer muted small">{info.name} {info.version} · {info.hostKind} host · {info.platform}</p>
}

/** Renders the whole app. */
export function App() {
  const screen = useAppStore((s) => s.screen)
  const Current = SCREEN_COMPONENTS[screen]
  return (
    <div className="shell">
      <a href="#screen-title" className="skip-link" onClick={skipToContent}>Skip to content</a>
      <aside className="sidebar">
        <p className="brand"><span className="brand-mark" aria-hidden="true" />Porchlight</p>
        <Nav />
        <AppFooter />
      </aside>
      <main className="content">
        <ConnectionBanner />
        <StaleAlerts />
        <ErrorBoundary resetKey={screen}>
          <Current />
        </ErrorBoundary>
      </main>
    </div>
  )
}
