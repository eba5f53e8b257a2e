/** What kind of accessory this is, which shapes the flow; each choice says in one line what it means. */
import { useId } from 'react'
import type { AccessoryCategory } from '../../../shared/provisioning/view'
import { CATEGORY_TEXT } from './setup-model'

/** Props of CategoryPicker. */
export interface CategoryPickerProps {
  options: readonly AccessoryCategory[]
  value: AccessoryCategory
  onChange: (category: AccessoryCategory) => void
}

/** Renders the choices as a radio group, or the one category as a sentence when there is no choice. */
export function CategoryPicker({ options, value, onChange }: CategoryPickerProps) {
  const id = useId()
  if (options.length <= 1) {
    const only = CATEGORY_TEXT[options[0] ?? value]
    return <p className="category-only"><strong>{only.label}:</strong> {only.hint}</p>
  }
  return (
    <fieldset className="category-picker">
      <legend>Kind of accessory</legend>
      {options.map((category) => (
        <label key={category} className="category-option">
          <input type="radio" name={`${id}-category`} checked={value === category} onChange={() => onChange(category)}
            aria-labelledby={`${id}-${category}-label`} aria-describedby={`${id}-${category}-hint`} />
          <span id={`${id}-${category}-label`} className="category-label">{CATEGORY_TEXT[category].label}</span>
          <span id={`${id}-${category}-hint`} className="muted small category-hint">{CATEGORY_TEXT[category].hint}</span>
        </label>
      ))}
    </fieldset>
  )
}
