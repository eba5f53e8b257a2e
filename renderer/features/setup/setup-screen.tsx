/**
 * Set up: pair an accessory and put it on the user's Wi-Fi, confirmed on the network before it says done.
 * Loads `setup:current` on mount (a flow restored after a crash shows up too) and follows `setup:changed`
 * through the store; shows the start form when there is no flow, and the paired accessories below.
 */
import { useEffect, type ReactNode } from 'react'
import { useAppStore } from '../../store'
import { Screen } from '../../ui/screen'
import { useCodeMemory } from './code-memory'
import { PairedAccessories } from './paired-accessories'
import { SetupFlow } from './setup-flow'
import { SetupStart } from './setup-start'

const LEDE = 'Pair a new accessory and put it on your Wi-Fi, confirmed on your network before it says done.'

/** Renders the Set up screen. */
export function SetupScreen() {
  const load = useAppStore((s) => s.loadSetup)
  const view = useAppStore((s) => s.setupView)
  const state = useAppStore((s) => s.setupLoad)
  const error = useAppStore((s) => s.setupLoadError)
  const memory = useCodeMemory()
  useEffect(() => {
    void load()
  }, [load])

  let body: ReactNode
  if (view) body = <SetupFlow view={view} memory={memory} />
  else if (state === 'ready') body = <SetupStart memory={memory} />
  else if (state === 'error') {
    body = (
      <div className="banner banner-error" role="alert">
        <p>Could not ask Porchlight whether a setup is under way: {error}</p>
        <button type="button" onClick={() => void load()}>Try again</button>
      </div>
    )
  } else body = <p className="muted" role="status">Checking for a setup under way…</p>
  return (
    <Screen title="Set up" lede={LEDE}>
      <div className="setup-layout">
        {body}
        <PairedAccessories />
      </div>
    </Screen>
  )
}
