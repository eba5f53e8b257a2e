/**
 * The last setup code, kept in component memory only (state of the Set up screen) so "Start again" need not
 * ask for it while the screen stays open. Never in the store, never rendered; gone when the screen closes.
 */
import { useState } from 'react'
import type { SetupCodeInput } from '../../../shared/provisioning/view'

/** Holds the last code the user entered. */
export interface CodeMemory {
  recall: () => SetupCodeInput | null
  remember: (code: SetupCodeInput | null) => void
}

/** Returns a code memory that lives as long as the calling component. */
export function useCodeMemory(): CodeMemory {
  const [memory] = useState<CodeMemory>(() => {
    let code: SetupCodeInput | null = null
    return {
      recall: () => code,
      remember: (next) => {
        code = next
      },
    }
  })
  return memory
}
