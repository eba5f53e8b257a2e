/** A screen or panel with nothing to show yet, saying honestly why and what to do instead. */
import type { ReactNode } from 'react'

/** Props of EmptyState. */
export interface EmptyStateProps {
  title: string
  children: ReactNode
  action?: ReactNode
}

/** Renders the empty state as a labelled region. */
export function EmptyState({ title, children, action }: EmptyStateProps) {
  return (
    <section className="empty-state" aria-label={title}>
      <h2>{title}</h2>
      <div className="empty-state-body">{children}</div>
      {action ? <div className="empty-state-action">{action}</div> : null}
    </section>
  )
}
