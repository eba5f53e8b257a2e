/**
 * The accessories that can be set up, as one radio group: accessory setup networks in range (signal, a lock
 * when the network has a password) and devices already on the LAN, plus "Other setup network…" to type an
 * accessory network's name. Names are untrusted text and render as text only.
 */
import type { SetupCandidate } from '../../../shared/provisioning/view'
import { candidateWhere } from './setup-model'
import { SecurityMark, SignalBars } from './signal-bars'

/** The key of the typed "Other setup network…" choice. */
export const TYPED_KEY = 'typed'

/** Props of CandidateList. */
export interface CandidateListProps {
  name: string
  candidates: readonly SetupCandidate[]
  selectedKey: string | null
  onSelect: (key: string) => void
  typedSsid: string
  onTypedSsid: (ssid: string) => void
  typedError?: string | undefined
}

function CandidateOption({ candidate, name, checked, onSelect }: { candidate: SetupCandidate; name: string; checked: boolean; onSelect: () => void }) {
  const isAp = candidate.target.kind === 'softap'
  return (
    <label className="candidate-option">
      <input type="radio" name={name} checked={checked} onChange={onSelect} />
      <span className="candidate-name">{candidate.name}</span>
      <span className="muted small candidate-where">{candidateWhere(candidate)}</span>
      {isAp && candidate.signal !== undefined ? <SignalBars signal={candidate.signal} /> : null}
      {isAp && candidate.apSecured !== undefined ? <SecurityMark secured={candidate.apSecured} /> : null}
    </label>
  )
}

/** Renders the candidates and the typed option. */
export function CandidateList({ name, candidates, selectedKey, onSelect, typedSsid, onTypedSsid, typedError }: CandidateListProps) {
  return (
    <fieldset className="candidate-list">
      <legend>Accessory to set up</legend>
      {candidates.map((c) => (
        <CandidateOption key={c.key} candidate={c} name={name} checked={selectedKey === c.key} onSelect={() => onSelect(c.key)} />
      ))}
      <label className="candidate-option">
        <input type="radio" name={name} checked={selectedKey === TYPED_KEY} onChange={() => onSelect(TYPED_KEY)} />
        <span className="candidate-name">Other setup network…</span>
        <span className="muted small">Type the name of the accessory’s own network (on its label)</span>
      </label>
      {selectedKey === TYPED_KEY ? (
        <div className="field setup-field">
          <label htmlFor={`${name}-typed`}>Accessory network name</label>
          <input id={`${name}-typed`} type="text" value={typedSsid} onChange={(e) => onTypedSsid(e.target.value)} autoComplete="off" spellCheck={false}
            placeholder="PROV_…" aria-invalid={typedError !== undefined} aria-describedby={typedError ? `${name}-typed-error` : undefined} />
          {typedError ? <span id={`${name}-typed-error`} className="field-error">{typedError}</span> : null}
        </div>
      ) : null}
    </fieldset>
  )
}
