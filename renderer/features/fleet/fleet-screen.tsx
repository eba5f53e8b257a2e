/** Fleet: batch commissioning for technicians. Not built yet, and it says so. */
import { Screen } from '../../ui/screen'
import { EmptyState } from '../../ui/empty-state'

/** Renders the Fleet screen. */
export function FleetScreen() {
  return (
    <Screen title="Fleet" lede="Commission many devices from their label codes, with per-device status and a report at the end.">
      <EmptyState title="Batch onboarding is not in this build yet">
        <p>Fleet work builds on single-device onboarding, which is not available in this version either.</p>
      </EmptyState>
    </Screen>
  )
}
