/**
 * The wizard's step list: which steps a flow goes through (by category and whether it joins an accessory
 * AP), what each is called and says while it runs, and where the flow stands — for the stepper and the
 * live region. Pure; names and SSIDs end up in strings that are rendered as text only.
 */
import type { SetupStep, SetupView } from '../../../shared/provisioning/view'

/** Short labels of the steps, as the stepper lists them. */
export const STEP_LABELS: Record<SetupStep, string> = {
  'remember-network': 'Note this computer’s network',
  'join-accessory': 'Join the accessory’s network',
  'manual-join': 'Join the accessory’s network by hand',
  'secure-session': 'Open a secure session',
  scan: 'Find networks',
  'choose-network': 'Choose your network',
  sending: 'Send it to the accessory',
  'device-connecting': 'Accessory joins your network',
  returning: 'Return this computer to its network',
  confirming: 'Confirm it on your network',
  storing: 'Remember the accessory',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
}

/** Where a step stands in the stepper. */
export type StepState = 'done' | 'current' | 'pending' | 'stopped'

/** One line of the stepper. */
export interface StepperItem {
  step: SetupStep
  label: string
  state: StepState
}

const ORDER = new Map<SetupStep, number>([
  ['remember-network', 0], ['join-accessory', 1], ['manual-join', 1], ['secure-session', 2], ['scan', 3],
  ['choose-network', 4], ['sending', 5], ['device-connecting', 6], ['returning', 7], ['confirming', 8],
  ['storing', 9], ['done', 10], ['failed', 11], ['cancelled', 11],
])
const rank = (step: SetupStep) => ORDER.get(step) ?? 0
const TERMINAL = new Set<SetupStep>(['done', 'failed', 'cancelled'])

/** The steps this flow goes through, in order (a SoftAP flow joins and returns; stand-alone and gateway send no network). */
export function plannedSteps(view: SetupView): SetupStep[] {
  const joinsAp = view.accessory.ssid !== undefined
  const byHand = view.step === 'manual-join' || view.manualJoin !== undefined || view.history.some((e) => e.step === 'manual-join')
  const join: SetupStep[] = joinsAp ? [byHand ? 'manual-join' : 'join-accessory'] : []
  const deliver: SetupStep[] = view.category === 'bound' || view.category === 'on-lan' ? ['scan', 'choose-network', 'sending', 'device-connecting'] : []
  const back: SetupStep[] = joinsAp && view.category !== 'gateway' ? ['returning'] : []
  return ['remember-network', ...join, 'secure-session', ...deliver, ...back, 'confirming', 'storing', 'done']
}

/** The step a finished-but-not-done flow stopped at: its last real step (the clean-up's return trip is not it). */
export function stoppedAt(view: SetupView): SetupStep | undefined {
  for (let i = view.history.length - 1; i >= 0; i--) {
    const step = view.history[i]?.step
    if (step !== undefined && !TERMINAL.has(step) && step !== 'returning') return step
  }
  return undefined
}

/** The stepper: steps before the current one ticked, the current one highlighted, or where a flow stopped. */
export function stepperFor(view: SetupView): StepperItem[] {
  const steps = plannedSteps(view)
  const isStopped = view.step === 'failed' || view.step === 'cancelled'
  const at = isStopped ? stoppedAt(view) : view.step
  const atRank = at === undefined ? -1 : rank(at)
  return steps.map((step) => {
    let state: StepState
    if (view.step === 'done') state = 'done'
    else if (rank(step) < atRank) state = 'done'
    else if (rank(step) === atRank) state = isStopped ? 'stopped' : 'current'
    else state = 'pending'
    return { step, label: STEP_LABELS[step], state }
  })
}

/** What the live region says about the flow now: the step and its number, or how it ended. */
export function stepAnnouncement(view: SetupView): string {
  if (view.step === 'done') return 'Setup finished: the accessory is confirmed.'
  if (view.step === 'failed') return 'Setup stopped: see what to do next.'
  if (view.step === 'cancelled') return 'Setup cancelled.'
  const steps = plannedSteps(view)
  const index = steps.findIndex((s) => rank(s) === rank(view.step))
  const where = index >= 0 ? `Step ${index + 1} of ${steps.length}: ` : ''
  const waiting = view.phase === 'waiting' ? ' Waiting for you.' : ''
  return `${where}${STEP_LABELS[view.step]}.${waiting}`
}

/** A plain-language line about what a running step is doing. */
export function stepDescription(view: SetupView): string {
  const ap = view.accessory.ssid ?? view.accessory.name
  switch (view.step) {
    case 'remember-network': return 'Noting which network this computer is on, so it can return there at the end.'
    case 'join-accessory': return `Joining the accessory’s own network “${ap}”.`
    case 'manual-join': return `Waiting for this computer to join “${ap}”.`
    case 'secure-session': return 'Opening an encrypted session with the accessory using its setup code.'
    case 'scan': return 'Asking the accessory which networks it can see…'
    case 'choose-network': return 'Choose the network the accessory should join.'
    case 'sending': return `Sending “${view.chosenSsid ?? 'your network'}” and its password to the accessory, encrypted.`
    case 'device-connecting': return `The accessory is joining “${view.chosenSsid ?? 'your network'}”. This can take up to a minute.`
    case 'returning': return view.originalNetwork ? `Returning this computer to “${view.originalNetwork}”.` : 'Leaving the accessory’s network.'
    case 'confirming': return 'Looking for the accessory on your network: Porchlight says done only once it answers there.'
    case 'storing': return 'Remembering the accessory for next time.'
    case 'done': return 'Done.'
    case 'failed': return 'Setup stopped.'
    case 'cancelled': return 'Setup was cancelled.'
  }
}
