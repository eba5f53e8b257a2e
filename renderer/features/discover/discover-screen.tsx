/** Discover: the live accessory list. Not built yet, and it says so. */
import { Screen } from '../../ui/screen'
import { EmptyState } from '../../ui/empty-state'

/** Renders the Discover screen. */
export function DiscoverScreen() {
  return (
    <Screen title="Discover" lede="Accessories that announce themselves on your networks, grouped by device.">
      <EmptyState title="Discovery is not in this build yet" action={<a href="#/diagnose">See your network interfaces in Diagnose</a>}>
        <p>
          This version of Porchlight does not browse for accessories yet, so an empty list here says nothing about
          your network. The mDNS/DNS-SD browser that searches every interface is the next piece being built.
        </p>
      </EmptyState>
    </Screen>
  )
}
