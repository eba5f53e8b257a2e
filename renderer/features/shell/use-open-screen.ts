/**
 * Opening a screen from code (a button rather than a nav link). The address is the source of truth for
 * the screen (main.tsx follows `hashchange`), so the hash is moved too: otherwise the nav link of the
 * screen we came from would point at the address we are already on, and clicking it would do nothing.
 */
import { useCallback } from 'react'
import { useAppStore } from '../../store'
import type { Screen } from './shell-slice'

/** Returns a function that shows `screen` now and records it in the address (so Back returns). */
export function useOpenScreen(): (screen: Screen) => void {
  const navigate = useAppStore((s) => s.navigate)
  return useCallback((screen: Screen) => {
    navigate(screen)
    const hash = `#/${screen}`
    if (window.location.hash !== hash) window.location.hash = hash
  }, [navigate])
}
