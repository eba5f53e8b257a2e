/** The frame every screen uses: a focusable heading (focus lands here after navigation) and a lede. */
import { useEffect, useRef, type ReactNode } from 'react'

/** Props of Screen. */
export interface ScreenProps {
  title: string
  lede: string
  children: ReactNode
}

/** Renders a screen and moves focus to its heading when it opens, so keyboard and screen-reader users follow. */
export function Screen({ title, lede, children }: ScreenProps) {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    document.title = `${title} — Porchlight`
    heading.current?.focus({ preventScroll: true })
  }, [title])
  return (
    <article className="screen" aria-labelledby="screen-title">
      <header className="screen-header">
        <h1 id="screen-title" ref={heading} tabIndex={-1}>{title}</h1>
        <p className="lede">{lede}</p>
      </header>
      {children}
    </article>
  )
}
