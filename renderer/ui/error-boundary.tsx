/**
 * Contains a screen's render failure so the navigation stays usable and the user is told what to do,
 * instead of React unmounting the whole window.
 */
import { Component, type ReactNode } from 'react'

/** Props of ErrorBoundary; `resetKey` changing (e.g. another screen) clears the error. */
export interface ErrorBoundaryProps {
  resetKey: string
  children: ReactNode
}

interface State {
  hasError: boolean
  key: string
}

/** Renders children, or a plain-language failure panel if they throw while rendering. */
export class ErrorBoundary extends Component<ErrorBoundaryProps, State> {
  override state: State = { hasError: false, key: this.props.resetKey }

  static getDerivedStateFromProps(props: ErrorBoundaryProps, state: State): Partial<State> | null {
    return props.resetKey === state.key ? null : { hasError: false, key: props.resetKey }
  }

  static getDerivedStateFromError(): Partial<State> {
    return { hasError: true }
  }

  override render(): ReactNode {
    if (!this.state.hasError) return this.props.children
    return (
      <section className="empty-state" role="alert" aria-label="This screen failed">
        <h2>This screen ran into a problem</h2>
        <p>Porchlight could not show this screen. Other screens still work; reloading usually fixes it.</p>
        <button type="button" onClick={() => window.location.reload()}>Reload</button>
      </section>
    )
  }
}
