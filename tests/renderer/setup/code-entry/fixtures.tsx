/**
 * Rendering CodeEntry for tests, with canary secrets and a console spy: every console method is watched and
 * `consoleText()` returns all it was given, so a test can assert no secret ever reached it.
 */
import { cleanup, render } from '@testing-library/react'
import { afterEach, beforeEach, expect, vi, type MockInstance } from 'vitest'
import { CodeEntry, type CodeEntryProps } from '../../../../renderer/features/setup/code-entry/code-entry'
import type { SetupCodeInput } from '../../../../shared/provisioning/view'

/** A PoP that must never appear in the page text, an error or the console. */
export const CANARY_POP = 'canary-pop-3b7d51'
/** A SoftAP password that must never appear either. */
export const CANARY_AP = 'canary-ap-pass-88'
/** The IDF-style payload carrying the canaries. */
export const PAYLOAD = JSON.stringify({ ver: 'v1', name: 'PROV_CE03C0', pop: CANARY_POP, transport: 'softap', password: CANARY_AP })
/** What PAYLOAD parses to. */
export const PAYLOAD_CODE: SetupCodeInput = { serviceName: 'PROV_CE03C0', pop: CANARY_POP, transport: 'softap', apPassphrase: CANARY_AP }

const METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const

/** Spies on every console method (silently) until `restore`. */
export function watchConsole() {
  const spies: MockInstance[] = METHODS.map((m) => vi.spyOn(console, m).mockImplementation(() => undefined))
  return {
    text: () => spies.flatMap((s) => s.mock.calls.flat().map((arg) => (arg instanceof Error ? `${arg.message} ${arg.stack ?? ''}` : String(arg)))).join('\n'),
    restore: () => spies.forEach((s) => s.mockRestore()),
  }
}

/**
 * Registers, for the calling test file, a console watch around every test: after each one the page is cleaned
 * up, neither canary may have reached the console, and the stubbed `navigator[stubbed]` is removed.
 */
export function guardConsoleAgainstCanaries(stubbed: 'mediaDevices' | 'clipboard'): void {
  let watched: ReturnType<typeof watchConsole>
  beforeEach(() => {
    watched = watchConsole()
  })
  afterEach(() => {
    cleanup()
    expect(watched.text()).not.toContain(CANARY_POP)
    expect(watched.text()).not.toContain(CANARY_AP)
    watched.restore()
    Reflect.deleteProperty(navigator, stubbed)
  })
}

/** Renders CodeEntry and records the codes it hands over. */
export function renderCodeEntry(props: Partial<CodeEntryProps> = {}) {
  const codes: SetupCodeInput[] = []
  const view = render(<CodeEntry onCode={(code) => codes.push(code)} {...props} />)
  return { ...view, codes }
}

/** Every visible text and every input value in the document: where a leaked secret would show. */
export function pageText(): string {
  const values = Array.from(document.querySelectorAll('input')).map((i) => i.value)
  return `${document.body.textContent ?? ''}\n${values.join('\n')}`
}
