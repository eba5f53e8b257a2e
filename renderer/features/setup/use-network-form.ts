/**
 * The network chooser's state: which network is chosen (listed or typed), the typed name, the password
 * (this component's state only, cleared once sent), field errors, and where focus goes after "Re-enter the
 * password" or "Choose another network".
 */
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react'
import type { CredentialsRequest, SetupNetwork, SetupView } from '../../../shared/provisioning/view'
import { networkChoices, parseCredentials, type CredentialsErrors, type CredentialsForm } from './credentials-model'

/** A listed network by name, or "Other network…". */
export type NetworkChoice = { kind: 'listed'; ssid: string } | { kind: 'other' }

type Focus = { on: 'passphrase' | 'list'; n: number }

const isListed = (networks: readonly SetupNetwork[], ssid: string | undefined) => networks.some((n) => n.ssid === ssid)

function initialChoice(view: SetupView, networks: readonly SetupNetwork[]): NetworkChoice | null {
  if (view.error?.action === 'reenter-passphrase' && view.chosenSsid) {
    return isListed(networks, view.chosenSsid) ? { kind: 'listed', ssid: view.chosenSsid } : { kind: 'other' }
  }
  return networks.length === 0 ? { kind: 'other' } : null
}

function formFor(choice: NetworkChoice, selected: SetupNetwork | undefined, hiddenName: string, passphrase: string): CredentialsForm {
  if (choice.kind === 'other') return { ssid: hiddenName, passphrase, isHidden: true, isSecured: false }
  const isSecured = selected?.secured ?? false
  return { ssid: choice.ssid, passphrase: isSecured ? passphrase : '', isHidden: false, isSecured }
}

/** State and handlers of the network form for `view`; `send` gets a valid request. */
export function useNetworkForm(view: SetupView, send: (request: CredentialsRequest) => Promise<unknown>) {
  const networks = useMemo(() => networkChoices(view.networks), [view.networks])
  const [choice, setChoice] = useState<NetworkChoice | null>(() => initialChoice(view, networks))
  const [hiddenName, setHiddenName] = useState(() => (view.error?.action === 'reenter-passphrase' && !isListed(networks, view.chosenSsid) ? view.chosenSsid ?? '' : ''))
  const [passphrase, setPassphrase] = useState('')
  const [errors, setErrors] = useState<CredentialsErrors>({})
  const [focus, setFocus] = useState<Focus | null>(null)
  const passphraseInput = useRef<HTMLInputElement>(null)
  const nameInput = useRef<HTMLInputElement>(null)
  const list = useRef<HTMLFieldSetElement>(null)
  const focusList = () => list.current?.querySelector<HTMLInputElement>('input[type="radio"]')?.focus()
  useEffect(() => {
    if (focus?.on === 'passphrase') passphraseInput.current?.focus()
    if (focus?.on === 'list') list.current?.querySelector<HTMLInputElement>('input[type="radio"]')?.focus()
  }, [focus])

  const selected = choice?.kind === 'listed' ? networks.find((n) => n.ssid === choice.ssid) : undefined
  const choose = (next: NetworkChoice | null) => {
    setChoice(next)
    setPassphrase('')
    setErrors({})
  }
  const reenter = () => {
    const chosen = view.chosenSsid ?? ''
    choose(isListed(networks, chosen) ? { kind: 'listed', ssid: chosen } : { kind: 'other' })
    if (!isListed(networks, chosen)) setHiddenName(chosen)
    setFocus((f) => ({ on: 'passphrase', n: (f?.n ?? 0) + 1 }))
  }
  const chooseAgain = () => {
    choose(null)
    setFocus((f) => ({ on: 'list', n: (f?.n ?? 0) + 1 }))
  }
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (!choice) {
      setErrors({ ssid: 'Choose a network, or “Other network…” to type its name.' })
      return focusList()
    }
    const parsed = parseCredentials(formFor(choice, selected, hiddenName, passphrase))
    if (!parsed.ok) {
      setErrors(parsed.errors)
      if (parsed.errors.ssid && choice.kind === 'other') nameInput.current?.focus()
      else if (parsed.errors.passphrase) passphraseInput.current?.focus()
      return
    }
    setErrors({})
    setPassphrase('')
    await send(parsed.request)
  }
  return {
    networks, choice, selected, hiddenName, setHiddenName, passphrase, setPassphrase, errors,
    refs: { passphraseInput, nameInput, list }, choose, reenter, chooseAgain, submit,
  }
}
