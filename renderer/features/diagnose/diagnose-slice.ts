/**
 * Diagnose as the renderer holds it: the last report (host checks, and one device's drill-down when a device
 * was chosen), the run in flight with its progress from `diagnose:progressed`, the support bundle made from
 * the report, and the error decoder's last answer. Failures are kept as the host's plain-language message.
 */
import type { StateCreator } from 'zustand'
import type { DecodedErrorView, DiagnoseProgress, DiagnoseReport, SupportBundle } from '../../../shared/diagnose/view'
import type { Bridge } from '../../../shared/ipc'
import type { AppState } from '../../store'

/** Longest text `diagnose:decode` accepts (its payload schema). */
export const MAX_DECODE_TEXT = 4096

/** The error decoder's last request and answer. */
export interface DecoderState {
  /** The text that was decoded (trimmed), so the answer can say what it answers. */
  query: string
  status: 'idle' | 'loading' | 'ready' | 'error'
  readings: readonly DecodedErrorView[]
  error: string | null
}

/** State and actions of the diagnose slice. */
export interface DiagnoseSlice {
  diagnoseRun: 'idle' | 'running' | 'ready' | 'error'
  diagnoseReport: DiagnoseReport | null
  /** Why the last run failed, in the host's words (the previous report, if any, stays). */
  diagnoseError: string | null
  /** The step under way; null when no run is in flight. */
  diagnoseProgress: DiagnoseProgress | null
  /** The device chosen for the drill-down; null checks this computer only. */
  diagnoseDeviceId: string | null
  diagnoseBundleState: 'idle' | 'working' | 'ready' | 'error'
  /** The last bundle made from the current report (cleared when a new report arrives). */
  diagnoseBundle: SupportBundle | null
  diagnoseBundleError: string | null
  diagnoseDecoder: DecoderState
  setDiagnoseDevice: (deviceId: string | null) => void
  /** Runs the checks, with the chosen device's drill-down when one is chosen. */
  runDiagnose: () => Promise<void>
  /** Chooses a device, opens the Diagnose screen and runs the checks for it (for other screens' buttons). */
  diagnoseDevice: (deviceId: string) => Promise<void>
  applyDiagnoseProgress: (progress: DiagnoseProgress) => void
  /** Asks the host for a support bundle of the current report; null when there is none or the host refused. */
  exportSupportBundle: (redactHardwareIds: boolean) => Promise<SupportBundle | null>
  decodeError: (text: string) => Promise<void>
}

const IDLE_DECODER: DecoderState = { query: '', status: 'idle', readings: [], error: null }

/** Creates the slice around a bridge. */
export function createDiagnoseSlice(bridge: Bridge): StateCreator<AppState, [], [], DiagnoseSlice> {
  // Only the newest request of each kind may write its answer (a re-run, a second export, a new paste).
  let runId = 0
  let bundleId = 0
  let decodeId = 0
  return (set, get) => ({
    diagnoseRun: 'idle',
    diagnoseReport: null,
    diagnoseError: null,
    diagnoseProgress: null,
    diagnoseDeviceId: null,
    diagnoseBundleState: 'idle',
    diagnoseBundle: null,
    diagnoseBundleError: null,
    diagnoseDecoder: IDLE_DECODER,
    setDiagnoseDevice: (diagnoseDeviceId) => set({ diagnoseDeviceId }),
    runDiagnose: async () => {
      const id = ++runId
      const deviceId = get().diagnoseDeviceId
      set({ diagnoseRun: 'running', diagnoseError: null, diagnoseProgress: null })
      const result = await bridge.invoke('diagnose:run', deviceId === null ? {} : { deviceId })
      if (id !== runId) return
      if (!result.ok) return set({ diagnoseRun: 'error', diagnoseError: result.error.message, diagnoseProgress: null })
      bundleId++
      set({
        diagnoseRun: 'ready',
        diagnoseReport: result.value,
        diagnoseProgress: null,
        diagnoseBundleState: 'idle',
        diagnoseBundle: null,
        diagnoseBundleError: null,
      })
    },
    diagnoseDevice: (deviceId) => {
      set({ diagnoseDeviceId: deviceId })
      get().navigate('diagnose')
      return get().runDiagnose()
    },
    applyDiagnoseProgress: (progress) => {
      // Progress of a run this window did not start (or that already answered) is not ours to show.
      if (get().diagnoseRun === 'running') set({ diagnoseProgress: progress })
    },
    exportSupportBundle: async (redactHardwareIds) => {
      const report = get().diagnoseReport
      if (!report) return null
      const id = ++bundleId
      set({ diagnoseBundleState: 'working', diagnoseBundleError: null })
      const result = await bridge.invoke('diagnose:bundle', { report, redactHardwareIds })
      if (id !== bundleId) return null
      if (!result.ok) {
        set({ diagnoseBundleState: 'error', diagnoseBundleError: result.error.message })
        return null
      }
      set({ diagnoseBundleState: 'ready', diagnoseBundle: result.value })
      return result.value
    },
    decodeError: async (text) => {
      const query = text.trim().slice(0, MAX_DECODE_TEXT)
      const id = ++decodeId
      if (query === '') return set({ diagnoseDecoder: IDLE_DECODER })
      set({ diagnoseDecoder: { query, status: 'loading', readings: [], error: null } })
      const result = await bridge.invoke('diagnose:decode', { text: query })
      if (id !== decodeId) return
      set({
        diagnoseDecoder: result.ok
          ? { query, status: 'ready', readings: result.value, error: null }
          : { query, status: 'error', readings: [], error: result.error.message },
      })
    },
  })
}
