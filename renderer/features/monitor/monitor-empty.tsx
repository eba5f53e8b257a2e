/** The Monitor screen with nothing watched: what monitoring does, and where to start it. */
import { EmptyState } from '../../ui/empty-state'

/** Renders the empty state. */
export function MonitorEmpty() {
  return (
    <EmptyState title="No connections watched yet" action={<a href="#/discover">Find an accessory in Discover</a>}>
      <p>
        Monitoring keeps a connection open to an accessory and sends it a small heartbeat every second or so.
        You see at once when it stops answering, how long each gap lasted, how often it had to reconnect, and
        how its round-trip time changes.
      </p>
      <p>
        To watch a device, open it in Discover and choose Monitor connection, or enter its address below.
        Porchlight tells you, on any screen, when a watched accessory stalls or goes offline.
      </p>
    </EmptyState>
  )
}
