/**
 * Onboarding as the renderer holds it: the current flow's view (loaded with `setup:current`, kept live from
 * `setup:changed`), the candidates to set up, the requests that drive a flow, and the paired accessories.
 * Secrets — the setup code, the AP passphrase, the home network's passphrase — pass through the actions to
 * the bridge and are never kept here; "Start again" keeps only the target (without its passphrase) and
 * the category.
 */
import type { StateCreator } from 'zustand'
import type { Bridge, Result } from '../../../shared/ipc'
import type {
  AccessoryCategory, CredentialsRequest, SetupCandidate, SetupCandidates, SetupChange, SetupCodeInput, SetupTarget, SetupView, TrustedAccessoryView,
} from '../../../shared/provisioning/view'
import type { AppState } from '../../store'
import { withoutSecret } from './setup-model'

/** Requests that drive a flow; one at a time is in flight. */
export type SetupRequest = 'start' | 'credentials' | 'code' | 'rescan' | 'joined' | 'cancel' | 'dismiss'

/** Loading state of a list. */
export type LoadState = 'idle' | 'loading' | 'ready' | 'error'

/** What "Start again" needs besides the code (which the wizard asks for again, or keeps in component memory). */
export interface SetupStart {
  target: SetupTarget
  category: AccessoryCategory
}

/** State and actions of the setup slice. */
export interface SetupSlice {
  setupView: SetupView | null
  setupLoad: LoadState
  setupLoadError: string | null
  /** The request in flight, if any. */
  setupBusy: SetupRequest | null
  /** The last request's refusal, in the host's words, and which request it was. */
  setupActionError: { request: SetupRequest; message: string } | null
  setupCandidates: SetupCandidates | null
  setupCandidatesLoad: LoadState
  setupCandidatesError: string | null
  /** Target (no AP passphrase) and category of the last start. */
  setupLastStart: SetupStart | null
  /** A device another screen asked to set up (Discover's "Set up"); the start form selects it. */
  setupPreselect: SetupCandidate | null
  setupTrusted: readonly TrustedAccessoryView[]
  setupTrustedLoad: LoadState
  setupTrustedError: string | null
  /** The device whose Forget is in flight. */
  setupForgetting: string | null
  loadSetup: () => Promise<void>
  applySetupChange: (change: SetupChange) => void
  loadSetupCandidates: () => Promise<void>
  /** Starts a flow; the code goes to the host only. */
  startSetup: (target: SetupTarget, code: SetupCodeInput, category: AccessoryCategory) => Promise<boolean>
  sendSetupCredentials: (request: CredentialsRequest) => Promise<boolean>
  sendSetupCode: (code: SetupCodeInput) => Promise<boolean>
  rescanSetup: () => Promise<boolean>
  confirmSetupJoined: () => Promise<boolean>
  cancelSetup: () => Promise<boolean>
  /** Forgets the finished flow so a new one can be set up. */
  dismissSetup: () => Promise<boolean>
  /** Has the start form select this candidate (another screen's "Set up" button, which then opens Set up). */
  preselectSetup: (candidate: SetupCandidate) => void
  clearSetupPreselect: () => void
  loadTrusted: () => Promise<void>
  forgetTrusted: (deviceId: string) => Promise<boolean>
}

/** True when `next` may replace `current`: another flow, or the same flow no older than what is shown. */
export function isNewerView(current: SetupView | null, next: SetupView): boolean {
  return current === null || current.id !== next.id || next.updatedAt >= current.updatedAt
}

/** Creates the slice around a bridge. */
export function createSetupSlice(bridge: Bridge): StateCreator<AppState, [], [], SetupSlice> {
  let loadId = 0
  let candidatesId = 0
  let trustedId = 0
  return (set, get) => {
    const showView = (view: SetupView) => {
      if (isNewerView(get().setupView, view)) set({ setupView: view })
    }
    /** Runs one flow request; a view answer is shown, a refusal kept as the host's message. */
    const drive = async (request: SetupRequest, call: () => Promise<Result<SetupView>>): Promise<boolean> => {
      set({ setupBusy: request, setupActionError: null })
      const result = await call()
      if (!result.ok) {
        set({ setupBusy: null, setupActionError: { request, message: result.error.message } })
        return false
      }
      set({ setupBusy: null })
      showView(result.value)
      return true
    }
    return {
      setupView: null,
      setupLoad: 'idle',
      setupLoadError: null,
      setupBusy: null,
      setupActionError: null,
      setupCandidates: null,
      setupCandidatesLoad: 'idle',
      setupCandidatesError: null,
      setupLastStart: null,
      setupPreselect: null,
      setupTrusted: [],
      setupTrustedLoad: 'idle',
      setupTrustedError: null,
      setupForgetting: null,
      loadSetup: async () => {
        const id = ++loadId
        set({ setupLoad: 'loading' })
        const result = await bridge.invoke('setup:current')
        if (id !== loadId) return
        if (!result.ok) return set({ setupLoad: 'error', setupLoadError: result.error.message })
        set({ setupLoad: 'ready', setupLoadError: null })
        if (result.value) showView(result.value)
      },
      applySetupChange: ({ view }) => {
        // An event is newer than any answer still in flight: it wins over a pending `setup:current`.
        loadId++
        if (view === null) return set({ setupView: null, setupLoad: 'ready' })
        if (isNewerView(get().setupView, view)) set({ setupView: view, setupLoad: 'ready' })
      },
      loadSetupCandidates: async () => {
        const id = ++candidatesId
        set({ setupCandidatesLoad: 'loading' })
        const result = await bridge.invoke('setup:candidates')
        if (id !== candidatesId) return
        if (!result.ok) return set({ setupCandidatesLoad: 'error', setupCandidatesError: result.error.message })
        set({ setupCandidatesLoad: 'ready', setupCandidates: result.value, setupCandidatesError: null })
      },
      startSetup: (target, code, category) => {
        set({ setupLastStart: { target: withoutSecret(target), category } })
        return drive('start', () => bridge.invoke('setup:start', { target, code, category }))
      },
      sendSetupCredentials: (request) => drive('credentials', () => bridge.invoke('setup:credentials', request)),
      sendSetupCode: (code) => drive('code', () => bridge.invoke('setup:code', { code })),
      rescanSetup: () => drive('rescan', () => bridge.invoke('setup:rescan')),
      confirmSetupJoined: () => drive('joined', () => bridge.invoke('setup:joined')),
      cancelSetup: () => drive('cancel', () => bridge.invoke('setup:cancel')),
      dismissSetup: async () => {
        set({ setupBusy: 'dismiss', setupActionError: null })
        const result = await bridge.invoke('setup:dismiss')
        if (!result.ok) {
          set({ setupBusy: null, setupActionError: { request: 'dismiss', message: result.error.message } })
          return false
        }
        // Nothing dismissed while a flow runs: the host keeps it, and so do we.
        const view = get().setupView
        const isRunning = view !== null && view.phase !== 'finished'
        set({ setupBusy: null, ...(!(isRunning && !result.value.dismissed) && { setupView: null }) })
        return result.value.dismissed || !isRunning
      },
      preselectSetup: (candidate) => set({ setupPreselect: candidate }),
      clearSetupPreselect: () => set({ setupPreselect: null }),
      loadTrusted: async () => {
        const id = ++trustedId
        set({ setupTrustedLoad: 'loading' })
        const result = await bridge.invoke('trust:list')
        if (id !== trustedId) return
        if (!result.ok) return set({ setupTrustedLoad: 'error', setupTrustedError: result.error.message })
        set({ setupTrustedLoad: 'ready', setupTrusted: result.value, setupTrustedError: null })
      },
      forgetTrusted: async (deviceId) => {
        set({ setupForgetting: deviceId, setupTrustedError: null })
        const result = await bridge.invoke('trust:forget', { deviceId })
        set({ setupForgetting: null })
        if (!result.ok) {
          set({ setupTrustedError: result.error.message })
          return false
        }
        set({ setupTrusted: get().setupTrusted.filter((t) => t.deviceId !== deviceId) })
        return true
      },
    }
  }
}
