/** Renderer entry: connect to the host, build the store, keep the screen in sync with the address. */
import './zod-config'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app'
import { screenFromHash } from './features/shell/shell-slice'
import { connectBridge } from './lib/bridge'
import { createAppStore, StoreContext, subscribeToHost } from './store'
import './styles.css'

const host = connectBridge(window)
const store = createAppStore(host.bridge, { screen: screenFromHash(window.location.hash) })
store.getState().setConnection(host.status())
host.onStatus((status) => store.getState().setConnection(status))
subscribeToHost(store, host.bridge)
void store.getState().loadAppInfo()
// Sessions are loaded at start, not only on the Monitor screen, so a stall is noticed on any screen.
void store.getState().loadSessions()
window.addEventListener('hashchange', () => store.getState().navigate(screenFromHash(window.location.hash)))

const container = document.getElementById('root')
if (!container) throw new Error('index.html has no #root')
createRoot(container).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  </StrictMode>,
)
