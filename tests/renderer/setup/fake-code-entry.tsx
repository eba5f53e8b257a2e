/**
 * Stands in for `CodeEntry` (renderer/features/setup/code-entry, built separately) with the same props: a
 * text field whose submit hands over `{ pop }`, or the parsed object when the text is QR JSON.
 */
import { useState, type FormEvent } from 'react'
import type { SetupCodeInput } from '../../../shared/provisioning/view'

/** Props of the real CodeEntry. */
export interface CodeEntryProps {
  onCode(code: SetupCodeInput): void
  expectedName?: string
  disabled?: boolean
}

/** The fake: "Setup code" field and "Use code" button. */
export function CodeEntry({ onCode, expectedName, disabled }: CodeEntryProps) {
  const [text, setText] = useState('')
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    onCode(text.trim().startsWith('{') ? (JSON.parse(text) as SetupCodeInput) : { pop: text })
    setText('')
  }
  return (
    <form aria-label="Setup code entry" data-expected-name={expectedName ?? ''} onSubmit={submit}>
      <label>Setup code <input value={text} onChange={(e) => setText(e.target.value)} /></label>
      <button type="submit" disabled={disabled}>Use code</button>
    </form>
  )
}
