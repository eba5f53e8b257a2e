/**
 * The start form's state: the candidates shown (the host's, plus one Discover asked for or one a QR code
 * names), the selection (or a typed accessory network), the setup code (this component's state only), the category, and what a start would send.
 */
import { useMemo, useState } from 'react'
import type { AccessoryCategory, SetupCandidate, SetupCodeInput, SetupTarget } from '../../../shared/provisioning/view'
import { TYPED_KEY } from './candidate-list'
import { MAX_SSID_BYTES } from './credentials-model'
import { categoriesFor, defaultCategory, targetFromCode } from './setup-model'

function typedTarget(ssid: string): SetupTarget | string {
  if (ssid === '') return 'Type the accessory network’s name.'
  if (new TextEncoder().encode(ssid).length > MAX_SSID_BYTES) return 'A network name has at most 32 characters.'
  return { kind: 'softap', ssid }
}

/** State and handlers of the start form; `listed` is the host's candidates, `preselect` one another screen chose. */
export function useStartForm(listed: readonly SetupCandidate[] | undefined, preselect: SetupCandidate | null) {
  // Candidates not in the host's list: one Discover asked for, or the network a QR code names (with its AP password).
  const [extra, setExtra] = useState<readonly SetupCandidate[]>(() => (preselect ? [preselect] : []))
  const [selectedKey, setSelectedKey] = useState<string | null>(() => preselect?.key ?? null)
  const [typedSsid, setTypedSsid] = useState('')
  const [code, setCode] = useState<SetupCodeInput | null>(null)
  const [codeNote, setCodeNote] = useState<string | null>(null)
  const [category, setCategory] = useState<AccessoryCategory | null>(null)
  const [formError, setFormError] = useState<string | null>(null)

  const candidates = useMemo(() => {
    const host = listed ?? []
    return [...extra.filter((e) => !host.some((c) => c.key === e.key)), ...host]
  }, [extra, listed])
  const selected = candidates.find((c) => c.key === selectedKey)
  const typed = selectedKey === TYPED_KEY ? typedTarget(typedSsid) : undefined
  const target: SetupTarget | undefined = selected?.target ?? (typeof typed === 'object' ? typed : undefined)
  const categories = target ? categoriesFor(target) : []
  const chosenCategory = !target ? null : category && categories.includes(category) ? category : defaultCategory(target)

  const select = (key: string) => {
    setSelectedKey(key)
    setFormError(null)
  }
  const onCode = (next: SetupCodeInput) => {
    setCode(next)
    const where = targetFromCode(next, candidates)
    if (where.kind === 'candidate') {
      select(where.key)
      setCodeNote('The accessory this code is for is selected above.')
    } else if (where.kind === 'named') {
      setExtra((e) => [where.candidate, ...e.filter((c) => c.key !== where.candidate.key)])
      select(where.candidate.key)
      setCodeNote(`“${where.candidate.name}” is not in range yet; it is selected above, and Porchlight looks for it when you start.`)
    } else if (where.kind === 'unsupported') {
      setCodeNote(`This code is for ${where.transport} setup, which Porchlight cannot do yet. If the accessory also has a setup network, choose it above.`)
    } else setCodeNote(null)
  }
  /** What to start with, or null after showing why not. */
  const request = (): { target: SetupTarget; code: SetupCodeInput; category: AccessoryCategory } | null => {
    if (!target || !chosenCategory) {
      setFormError(typeof typed === 'string' ? typed : 'Choose the accessory to set up.')
      return null
    }
    setFormError(null)
    return { target, code: code ?? {}, category: chosenCategory }
  }
  return {
    candidates, selectedKey, selected, select, typedSsid, setTypedSsid, typedError: formError !== null && typeof typed === 'string' ? typed : undefined,
    formError: formError !== null && typeof typed !== 'string' ? formError : null,
    code, codeNote, onCode, categories, chosenCategory, setCategory, request,
  }
}
