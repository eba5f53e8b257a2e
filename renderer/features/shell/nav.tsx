/**
 * The main navigation: real links (`#/screen`) so Tab, Enter and the browser's back button work, plus
 * Up/Down/Home/End to move between items as in a native sidebar.
 */
import type { KeyboardEvent } from 'react'
import { useAppStore } from '../../store'
import { SCREENS, type Screen } from './shell-slice'

/** Visible labels and descriptions of the screens. */
export const SCREEN_LABELS: Record<Screen, { label: string; hint: string }> = {
  discover: { label: 'Discover', hint: 'Accessories on your networks' },
  setup: { label: 'Set up', hint: 'Pair and put an accessory on Wi-Fi' },
  monitor: { label: 'Monitor', hint: 'Live connection health' },
  diagnose: { label: 'Diagnose', hint: 'Why a device cannot be seen or reached' },
  fleet: { label: 'Fleet', hint: 'Commission many devices at once' },
}

function moveFocus(event: KeyboardEvent<HTMLUListElement>) {
  const links = [...event.currentTarget.querySelectorAll<HTMLAnchorElement>('a')]
  const at = links.indexOf(document.activeElement as HTMLAnchorElement)
  const target = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: links.length - 1 }[event.key]
  if (target === undefined) return
  event.preventDefault()
  links[(target + links.length) % links.length]?.focus()
}

/** Renders the sidebar navigation. */
export function Nav() {
  const current = useAppStore((s) => s.screen)
  return (
    <nav aria-label="Main">
      <ul className="nav-list" onKeyDown={moveFocus}>
        {SCREENS.map((screen) => (
          <li key={screen}>
            <a
              href={`#/${screen}`}
              className="nav-link"
              aria-current={screen === current ? 'page' : undefined}
              aria-describedby={`nav-hint-${screen}`}
            >
              <span className="nav-label">{SCREEN_LABELS[screen].label}</span>
              <span className="nav-hint" id={`nav-hint-${screen}`} aria-hidden="true">{SCREEN_LABELS[screen].hint}</span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  )
}
