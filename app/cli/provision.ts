/**
 * `porchlight provision (--qr PAYLOAD | --pop CODE [--username NAME]) --ssid SSID --passphrase-file FILE
 * [--device ID | --address HOST:PORT] [--json]` (issue #5 point 7): runs the same onboarding flow as the
 * wizard, answering its questions from the flags. Progress goes to stdout (one JSON object per line with
 * --json); exit 0 only when the accessory was confirmed on the network. The passphrase comes from a file so
 * it never sits in argv or shell history; neither it nor the setup code is ever printed.
 */
import type { Core } from '../../main/core'
import { parseManualCode, parseSetupPayload } from '../../shared/pairing/setup-code'
import { CredentialsRequest, type SetupCodeInput, type SetupTarget, type SetupView } from '../../shared/provisioning/view'
import { parseHostPort } from './monitor'

/** Raw flag values of the command. */
export interface ProvisionFlags {
  qr?: string | undefined
  pop?: string | undefined
  username?: string | undefined
  ssid?: string | undefined
  passphraseFile?: string | undefined
  device?: string | undefined
  address?: string | undefined
}

/** Parsed, validated options. */
export interface ProvisionOptions {
  code: SetupCodeInput
  ssid: string
  passphraseFile: string
  target: { kind: 'address'; host: string; port: number } | { kind: 'device'; deviceId: string } | { kind: 'from-code' }
  json: boolean
}

/** Where the command writes, reads the passphrase, and when it is interrupted. */
export interface ProvisionIo {
  out: (text: string) => void
  err: (text: string) => void
  readFile: (path: string) => Promise<string>
  stopSignal: Promise<void>
  sleep: (ms: number) => Promise<void>
}

/** Turns flags into options, or a one-line reason for exit code 2 (never containing the code itself). */
export function parseProvisionFlags(flags: ProvisionFlags, json: boolean): { ok: true; options: ProvisionOptions } | { ok: false; message: string } {
  if ((flags.qr === undefined) === (flags.pop === undefined)) return { ok: false, message: 'give exactly one of --qr PAYLOAD or --pop CODE' }
  if (flags.username !== undefined && flags.pop === undefined) return { ok: false, message: '--username goes with --pop (a QR payload carries its own)' }
  const parsed = flags.qr !== undefined ? parseSetupPayload(flags.qr) : parseManualCode(flags.pop ?? '', flags.username)
  if (!parsed.ok) return { ok: false, message: parsed.error.message }
  if (flags.ssid === undefined || flags.ssid.length === 0 || new TextEncoder().encode(flags.ssid).length > 32) return { ok: false, message: '--ssid NAME is required (1–32 bytes)' }
  if (flags.passphraseFile === undefined) return { ok: false, message: '--passphrase-file FILE is required (an empty file means an open network)' }
  if (flags.device !== undefined && flags.address !== undefined) return { ok: false, message: 'give at most one of --device ID or --address HOST:PORT' }
  const address = flags.address === undefined ? undefined : parseHostPort(flags.address)
  if (flags.address !== undefined && !address) return { ok: false, message: `--address '${flags.address}' is not HOST:PORT (IPv6 as [addr%zone]:port)` }
  const target: ProvisionOptions['target'] = address ? { kind: 'address', ...address } : flags.device !== undefined ? { kind: 'device', deviceId: flags.device } : { kind: 'from-code' }
  return { ok: true, options: { code: parsed.value, ssid: flags.ssid, passphraseFile: flags.passphraseFile, target, json } }
}

/** Reads the passphrase: one trailing newline dropped; empty = open network; checked like the wizard checks it. */
async function readPassphrase(io: ProvisionIo, file: string): Promise<{ ok: true; value: string | undefined } | { ok: false; message: string }> {
  let text: string
  try {
    text = await io.readFile(file)
  } catch (error) {
    return { ok: false, message: `could not read --passphrase-file (${(error as NodeJS.ErrnoException).code ?? 'error'})` }
  }
  const value = text.replace(/\r?\n$/, '')
  if (value.length === 0) return { ok: true, value: undefined }
  const checked = CredentialsRequest.shape.passphrase.safeParse(value)
  return checked.success ? { ok: true, value } : { ok: false, message: 'the passphrase in --passphrase-file must have 8–63 characters (or 64 hex digits)' }
}

/** Runs the command; resolves to the exit code. */
export async function runProvision(core: Pick<Core, 'setup' | 'setupRestored' | 'discovery' | 'events'>, options: ProvisionOptions, io: ProvisionIo): Promise<number> {
  const passphrase = await readPassphrase(io, options.passphraseFile)
  if (!passphrase.ok) return io.err(`porchlight: ${passphrase.message}`), 2
  await core.setupRestored
  const target = await resolveTarget(core, options, io)
  if (!target.ok) return io.err(`porchlight: ${target.message}`), 1
  const started = await core.setup.start({ target: target.value, code: options.code })
  if (!('step' in started)) return io.err(`porchlight: ${started.message}`), 1
  const flow = core.setup.flow()
  if (!flow) return io.err('porchlight: the setup did not start'), 1
  const print = printer(options.json, io)
  let answered = false
  let stopReason: string | undefined
  const react = (view: SetupView) => {
    print(view)
    if (view.phase !== 'waiting' || stopReason) return
    if (flow.awaiting.includes('credentials') && !answered) {
      answered = true
      flow.give({ kind: 'credentials', ssid: options.ssid, ...(passphrase.value !== undefined && { passphrase: passphrase.value }) })
    } else if (view.error) {
      // A question only a person can answer (a corrected password or code): stop, and let the flow restore the network.
      stopReason = view.error.message
      flow.cancel()
    }
  }
  const off = core.events.subscribe((event, payload) => {
    if (event === 'setup:changed' && (payload as { view: SetupView | null }).view?.id === flow.view.id) react(flow.view)
  })
  react(flow.view)
  void io.stopSignal.then(() => {
    stopReason ??= 'interrupted'
    flow.cancel()
  })
  const final = await flow.finished
  off()
  print(final)
  const confirmed = final.outcome === 'confirmed'
  if (options.json) io.out(JSON.stringify({ event: 'result', outcome: confirmed ? 'confirmed' : stopReason ? 'failed' : final.outcome, ...(final.confirmed && { confirmed: final.confirmed }), ...((final.error || stopReason) && { error: final.error?.message ?? stopReason }) }))
  else if (confirmed) io.out(`Confirmed: ${final.confirmed?.name ?? 'the accessory'} is on “${options.ssid}” at ${final.confirmed?.address ?? '?'}`)
  if (!confirmed) io.err(`porchlight: ${stopReason ?? final.error?.message ?? 'setup did not finish'}`)
  return confirmed ? 0 : 1
}

/**
 * Prints each new history line once, and each notice once as it appears: the manual-join reason, "no internet
 * here is expected", "rejoin your usual network from the Wi-Fi menu" — a person at a terminal needs them too.
 */
function printer(json: boolean, io: ProvisionIo): (view: SetupView) => void {
  let printed = 0
  const noticed = new Set<string>()
  return (view) => {
    for (const line of view.history.slice(printed)) io.out(json ? JSON.stringify({ event: 'step', step: line.step, text: line.text, at: line.at }) : `${line.step.padEnd(18)} ${line.text}`)
    printed = view.history.length
    for (const text of [...(view.manualJoin ? [view.manualJoin.reason] : []), ...view.notices]) {
      if (noticed.has(text)) continue
      noticed.add(text)
      io.out(json ? JSON.stringify({ event: 'notice', text }) : `${'note'.padEnd(18)} ${text}`)
    }
  }
}

async function resolveTarget(core: Pick<Core, 'setup' | 'discovery'>, options: ProvisionOptions, io: ProvisionIo): Promise<{ ok: true; value: SetupTarget } | { ok: false; message: string }> {
  const t = options.target
  if (t.kind === 'address') return { ok: true, value: { kind: 'on-network', host: t.host, port: t.port } }
  if (t.kind === 'device') {
    for (let waited = 0; waited <= 10_000; waited += 500) {
      const lan = (await core.setup.candidates()).candidates.find((c) => c.target.kind === 'on-network' && (c.deviceId === t.deviceId || c.key === `lan:${t.deviceId}`))
      if (lan) return { ok: true, value: lan.target }
      await io.sleep(500)
    }
    return { ok: false, message: `device ${t.deviceId} was not found offering provisioning on the network (browsed _esp_wifi_prov._tcp for 10 s)` }
  }
  const name = options.code.serviceName
  if (name) return { ok: true, value: { kind: 'softap', ssid: name, ...(options.code.apPassphrase && { apPassphrase: options.code.apPassphrase }) } }
  const aps = (await core.setup.candidates()).candidates.filter((c) => c.target.kind === 'softap')
  const only = aps[0]
  if (aps.length === 1 && only) return { ok: true, value: only.target }
  return { ok: false, message: aps.length === 0 ? 'no accessory setup network is in range; give --device or --address for one on the network' : `several accessory setup networks are in range (${aps.map((a) => a.name).join(', ')}); use the QR payload, which names one` }
}
