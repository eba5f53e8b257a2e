/** Set up: the pairing and Wi-Fi onboarding wizard. Not built yet, and it says so. */
import { Screen } from '../../ui/screen'
import { EmptyState } from '../../ui/empty-state'

/** Renders the Set up screen. */
export function SetupScreen() {
  return (
    <Screen title="Set up" lede="Pair a new accessory and put it on your Wi-Fi, confirmed on your network before it says done.">
      <EmptyState title="Onboarding is not in this build yet">
        <p>
          Porchlight cannot pair or provision accessories yet. Nothing on this screen will change your computer’s
          Wi-Fi connection in this version.
        </p>
      </EmptyState>
    </Screen>
  )
}
