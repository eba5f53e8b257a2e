/**
 * The evidence behind a check: JSON-safe facts as a definition list, arrays as lists, nested objects as
 * nested definition lists. Keys and values are text (they can carry device names and TXT values from the
 * network); very deep or very long values are cut short rather than flooding the screen.
 */
import { Fragment } from 'react'
import type { FactValue, Facts } from '../../../shared/diagnose/view'
import { factLabel, formatScalar } from './diagnose-format'

/** Nesting shown as lists; deeper values are shown as one line of JSON text. */
const MAX_DEPTH = 4
/** Items of one list or object shown before "and N more". */
const MAX_ITEMS = 50
/** Characters of a flattened deep value shown. */
const MAX_FLAT = 300

function More({ hidden }: { hidden: number }) {
  return hidden > 0 ? <p className="muted small">…and {hidden} more</p> : null
}

function flat(value: FactValue): string {
  const text = JSON.stringify(value)
  return text.length > MAX_FLAT ? `${text.slice(0, MAX_FLAT - 1)}…` : text
}

function FactValueView({ value, depth }: { value: FactValue; depth: number }) {
  if (value === null || typeof value !== 'object') return <span className="fact-value">{formatScalar(value)}</span>
  if (depth >= MAX_DEPTH) return <span className="fact-value mono">{flat(value)}</span>
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="muted">None</span>
    return (
      <>
        <ul className="fact-list">
          {value.slice(0, MAX_ITEMS).map((item, i) => <li key={i}><FactValueView value={item} depth={depth + 1} /></li>)}
        </ul>
        <More hidden={value.length - MAX_ITEMS} />
      </>
    )
  }
  return <FactList facts={value} depth={depth + 1} />
}

/** Renders facts as a definition list (nested for objects). */
export function FactList({ facts, depth = 0 }: { facts: Facts; depth?: number }) {
  const entries = Object.entries(facts)
  if (entries.length === 0) return <span className="muted">None</span>
  return (
    <>
      <dl className="facts check-facts">
        {entries.slice(0, MAX_ITEMS).map(([key, value]) => (
          <Fragment key={key}>
            <dt>{factLabel(key)}</dt>
            <dd><FactValueView value={value} depth={depth} /></dd>
          </Fragment>
        ))}
      </dl>
      <More hidden={entries.length - MAX_ITEMS} />
    </>
  )
}
