/** "Set up" for a discovered device that offers Wi-Fi provisioning on the network: opens Set up with it selected. */
import type { DiscoveredDevice } from '../../../shared/discovery/view'
import { useAppStore } from '../../store'
import { useOpenScreen } from '../shell/use-open-screen'
import { lanCandidateFor } from './setup-model'

/** Renders the button, or nothing for a device that cannot be provisioned on the network. */
export function SetupDeviceButton({ device, describedBy }: { device: DiscoveredDevice; describedBy?: string }) {
  const preselect = useAppStore((s) => s.preselectSetup)
  const open = useOpenScreen()
  const candidate = lanCandidateFor(device)
  if (!candidate) return null
  const start = () => {
    preselect(candidate)
    open('setup')
  }
  return (
    <div className="detail-actions">
      <button type="button" className="button-quiet" onClick={start} aria-describedby={describedBy}>Set up</button>
    </div>
  )
}
