/**
 * Choose the home network for the accessory: the networks it sees (strongest first, signal bars, a lock
 * for secured ones), Rescan, "Other network…" for a hidden name, and the password with Show/Hide. A wrong
 * password or a network it cannot find is shown here with its one next step. The password stays in this
 * component's state and is cleared as soon as it is sent.
 */
import { useId, type RefObject } from 'react'
import type { SetupNetwork, SetupView } from '../../../shared/provisioning/view'
import { useAppStore } from '../../store'
import { PassphraseField } from './passphrase-field'
import { SecurityMark, SignalBars } from './signal-bars'
import { useNetworkForm, type NetworkChoice } from './use-network-form'

interface NetworkListProps {
  id: string
  networks: readonly SetupNetwork[]
  choice: NetworkChoice | null
  onChoose: (choice: NetworkChoice) => void
  error: string | undefined
  listRef: RefObject<HTMLFieldSetElement | null>
}

function NetworkList({ id, networks, choice, onChoose, error, listRef }: NetworkListProps) {
  return (
    <fieldset ref={listRef} className="network-list" aria-describedby={error ? `${id}-choice-error` : undefined}>
      <legend>Networks the accessory sees, strongest first</legend>
      {networks.length === 0 ? <p className="muted small">The accessory did not list any networks. Type your network’s name below.</p> : null}
      {networks.map((n) => (
        <label key={n.ssid} className="network-option">
          <input type="radio" name={`${id}-network`} checked={choice?.kind === 'listed' && choice.ssid === n.ssid} onChange={() => onChoose({ kind: 'listed', ssid: n.ssid })} />
          <span className="network-name">{n.ssid}</span>
          <SignalBars signal={n.signal} />
          <SecurityMark secured={n.secured} security={n.security} />
        </label>
      ))}
      <label className="network-option">
        <input type="radio" name={`${id}-network`} checked={choice?.kind === 'other'} onChange={() => onChoose({ kind: 'other' })} />
        <span className="network-name">Other network…</span>
        <span className="muted small">A network that hides its name</span>
      </label>
      {error ? <p id={`${id}-choice-error`} className="field-error">{error}</p> : null}
    </fieldset>
  )
}

/** Renders the network list and form for the flow's choose-network step. */
export function NetworkChooser({ view }: { view: SetupView }) {
  const id = useId()
  const send = useAppStore((s) => s.sendSetupCredentials)
  const rescan = useAppStore((s) => s.rescanSetup)
  const busy = useAppStore((s) => s.setupBusy)
  const refusal = useAppStore((s) => (s.setupActionError?.request === 'credentials' || s.setupActionError?.request === 'rescan' ? s.setupActionError.message : null))
  const form = useNetworkForm(view, send)
  const { choice, selected, errors } = form
  const isOther = choice?.kind === 'other'
  const error = view.error?.action === 'reenter-passphrase' || view.error?.action === 'choose-network' ? view.error : undefined
  return (
    <form className="panel network-chooser" noValidate onSubmit={(e) => void form.submit(e)} aria-labelledby={`${id}-title`}>
      <div className="panel-header">
        <h2 id={`${id}-title`}>Choose the network for the accessory</h2>
        <button type="button" className="button-quiet" onClick={() => void rescan()} disabled={busy !== null}>Rescan</button>
      </div>
      {error ? (
        <div className="setup-error" role="alert">
          <p>{error.message}</p>
          {error.action === 'reenter-passphrase'
            ? <button type="button" onClick={form.reenter}>Re-enter the password</button>
            : <button type="button" onClick={form.chooseAgain}>Choose another network</button>}
        </div>
      ) : null}
      <NetworkList id={id} networks={form.networks} choice={choice} onChoose={form.choose} error={isOther ? undefined : errors.ssid} listRef={form.refs.list} />
      {isOther ? (
        <div className="field setup-field">
          <label htmlFor={`${id}-ssid`}>Network name</label>
          <input id={`${id}-ssid`} ref={form.refs.nameInput} type="text" value={form.hiddenName} onChange={(e) => form.setHiddenName(e.target.value)}
            autoComplete="off" spellCheck={false} aria-invalid={errors.ssid !== undefined} aria-describedby={errors.ssid ? `${id}-ssid-error` : undefined} />
          {errors.ssid ? <span id={`${id}-ssid-error`} className="field-error">{errors.ssid}</span> : null}
        </div>
      ) : null}
      {isOther || selected?.secured ? (
        <PassphraseField
          label={selected ? `Password for “${selected.ssid}”` : 'Password'}
          value={form.passphrase}
          onChange={form.setPassphrase}
          error={errors.passphrase}
          inputRef={form.refs.passphraseInput}
          {...(isOther && { hint: 'Leave it empty if the network is open.' })}
        />
      ) : null}
      {selected && !selected.secured ? <p className="muted small">“{selected.ssid}” is open: no password needed.</p> : null}
      <div className="setup-actions">
        <button type="submit" disabled={busy !== null}>{busy === 'credentials' ? 'Sending…' : 'Send to the accessory'}</button>
      </div>
      {refusal ? <p className="error-text" role="alert">Could not do that: {refusal}</p> : null}
    </form>
  )
}
