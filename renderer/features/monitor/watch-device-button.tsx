/** "Monitor connection" for a discovered device: starts watching it, then opens the Monitor screen. */
import { useState } from 'react'
import { useAppStore } from '../../store'
import { useOpenScreen } from '../shell/use-open-screen'

/** Renders the button, and the host's reason when it could not start watching. */
export function WatchDeviceButton({ deviceId }: { deviceId: string }) {
  const watch = useAppStore((s) => s.watch)
  const watching = useAppStore((s) => s.monitorWatching)
  const hostError = useAppStore((s) => s.monitorWatchError)
  const open = useOpenScreen()
  const [failed, setFailed] = useState(false)
  const start = async () => {
    setFailed(false)
    const session = await watch({ target: { kind: 'device', deviceId } })
    if (session) open('monitor')
    else setFailed(true)
  }
  return (
    <div className="detail-actions">
      <button type="button" onClick={() => void start()} disabled={watching}>Monitor connection</button>
      {failed && hostError ? <p className="error-text" role="alert">Could not start monitoring: {hostError}</p> : null}
    </div>
  )
}
