/** Diagnose: for now, the live interface list; the checks and support bundle come later and say so. */
import { Screen } from '../../ui/screen'
import { InterfaceList } from '../network/interface-list'

/** Renders the Diagnose screen. */
export function DiagnoseScreen() {
  return (
    <Screen title="Diagnose" lede="Why an accessory cannot be seen or reached, starting with this computer’s networks.">
      <InterfaceList />
      <p className="muted small note">
        Multicast self-tests, VPN and permission checks, and the support bundle are not in this build yet.
      </p>
    </Screen>
  )
}
