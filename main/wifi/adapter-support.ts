/**
 * What the nmcli, netsh and macOS adapters share: running a tool as a value (never a throw), secrets in
 * 0600 files that are always removed, one operation at a time, and the verified-join wait — a join counts
 * only once the OS reports the computer on that network *with an address* (an exit code alone proves
 * nothing: netsh and networksetup return success before, or without, associating).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Clock } from '../util/clock'
import type { CommandOutput, RunCommand } from '../util/exec'
import type { CurrentWifi, HostWifi, JoinOptions, WifiError, WifiResult } from './port'

/** Addresses (without prefix) the OS has on an interface now; injected so tests need no real interfaces. */
export type AddressesOf = (interfaceName: string) => Promise<readonly string[]>

/** What every OS adapter receives. */
export interface OsWifiDeps {
  run: RunCommand
  clock: Clock
  /** Default: `os.networkInterfaces()`. */
  addressesOf?: AddressesOf
  /** Where secret files are written (default `os.tmpdir()`, which is per-user on Windows and macOS). */
  tmpDir?: string
  /** Poll interval while verifying a join (default 500 ms). */
  pollMs?: number
  /** Bound of a join when the caller gives none (default 30 s: association plus DHCP). */
  joinTimeoutMs?: number
}

/** A failed WifiResult. */
export const failure = (error: WifiError): { ok: false; error: WifiError } => ({ ok: false, error })

/** A successful WifiResult. */
export const success = <T>(value: T): { ok: true; value: T } => ({ ok: true, value })

/** An `adapter-failed` result with a next step and the tool's words as detail. */
export const adapterFailed = (message: string, detail?: string): { ok: false; error: WifiError } =>
  failure(detail === undefined ? { code: 'adapter-failed', message } : { code: 'adapter-failed', message, detail })

/** Removes every occurrence of each secret from a text that may reach an error or a log. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text
  for (const secret of secrets) if (secret) out = out.split(secret).join('[redacted]')
  return out
}

/** Runs a tool; a tool that cannot start (ENOENT, EACCES) becomes `no-wifi-adapter`, never a throw. */
export async function runTool(run: RunCommand, file: string, args: readonly string[], timeoutMs: number): Promise<WifiResult<CommandOutput>> {
  try {
    return success(await run(file, args, { timeoutMs }))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    // execFile's error message repeats the whole command line, so it never becomes the detail here.
    if ((error as { killed?: boolean }).killed) return adapterFailed(`${file} did not answer within ${Math.round(timeoutMs / 1000)} s. Try again.`, 'timeout')
    if (code === 'ENOENT') return failure({ code: 'no-wifi-adapter', message: `${file} is not installed here, so Porchlight cannot change this computer's Wi-Fi. Join the network from the Wi-Fi menu instead.` })
    return adapterFailed(`${file} could not be run. Join the network from the Wi-Fi menu instead.`, String(code ?? 'unknown error'))
  }
}

/** Default `addressesOf`: Node's view of the interface, loopback excluded. */
export const nodeAddressesOf: AddressesOf = async (name) => (networkInterfaces()[name] ?? []).filter((a) => !a.internal).map((a) => a.address)

/**
 * True when an interface is usable on its new network: an IPv4 address (DHCP, or 169.254/16 when DHCP
 * failed — the caller's reachability check decides then) or a routable IPv6 one. IPv6 link-local alone
 * does not count: macOS keeps fe80:: on en0 while Wi-Fi is on but associated with nothing.
 */
export function isAddressed(addresses: readonly string[]): boolean {
  return addresses.some((a) => !a.includes(':') || !/^fe80:/i.test(a))
}

/** Writes `contents` to a fresh 0600 file in a fresh 0700 directory, runs `use`, and always removes both. */
export async function withSecretFile<T>(contents: string, fileName: string, use: (path: string) => Promise<T>, tmpDir = tmpdir()): Promise<T> {
  const dir = await mkdtemp(join(tmpDir, 'porchlight-'))
  try {
    const path = join(dir, fileName)
    await writeFile(path, contents, { mode: 0o600, flag: 'wx' })
    return await use(path)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Runs operations one at a time: a scan during a join would see the radio between networks. */
export function createSerial(): <T>(fn: () => Promise<T>) => Promise<T> {
  let chain: Promise<unknown> = Promise.resolve()
  return <T>(fn: () => Promise<T>) => {
    const next = chain.then(fn, fn)
    chain = next.catch(() => undefined)
    return next
  }
}

/** An adapter's operations before they are serialised and guarded against use after dispose. */
export interface AdapterOps {
  scan: HostWifi['scan']
  current: HostWifi['current']
  join(ssid: string, passphrase: string | undefined, options: JoinOptions): ReturnType<HostWifi['join']>
  rejoin(ssid: string, options: JoinOptions): ReturnType<HostWifi['rejoin']>
  forgetTemporary: HostWifi['forgetTemporary']
}

/** The HostWifi every OS adapter exposes: one operation at a time, and `no-wifi-adapter` once disposed. */
export function serialAdapter(ops: AdapterOps): HostWifi {
  const serial = createSerial()
  let isDisposed = false
  const guard = <T>(fn: () => Promise<WifiResult<T>>): Promise<WifiResult<T>> =>
    isDisposed ? Promise.resolve(failure({ code: 'no-wifi-adapter', message: 'The Wi-Fi adapter was closed; restart Porchlight.' })) : serial(fn)
  return {
    scan: () => guard(ops.scan),
    current: () => guard(ops.current),
    join: (ssid, passphrase, options = {}) => guard(() => ops.join(ssid, passphrase, options)),
    rejoin: (ssid, options = {}) => guard(() => ops.rejoin(ssid, options)),
    forgetTemporary: (ssid) => guard(() => ops.forgetTemporary(ssid)),
    dispose: () => {
      isDisposed = true
    },
  }
}

/** Sleeps on the injected clock. */
export const sleep = (clock: Clock, ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms))

/** What one verification poll saw: on the network (`CurrentWifi`), not yet (null), or a definite failure. */
export type JoinProbe = WifiResult<CurrentWifi | null>

/** Options of `verifyJoin`. */
export interface VerifyJoinOptions {
  ssid: string
  /** One look at the OS: the network it is on, null while not (yet) on `ssid`, or an error that ends the wait. */
  probe: () => Promise<JoinProbe>
  addressesOf: AddressesOf
  clock: Clock
  startedAt: number
  timeoutMs: number
  pollMs: number
}

/** Polls until the OS reports `ssid` with an address on its interface, a probe fails definitely, or time is up. */
export async function verifyJoin(options: VerifyJoinOptions): Promise<WifiResult<CurrentWifi>> {
  const { clock, startedAt, timeoutMs } = options
  for (;;) {
    const seen = await options.probe()
    if (!seen.ok) return seen
    if (seen.value && isAddressed(await options.addressesOf(seen.value.interfaceName))) return success(seen.value)
    if (clock.now() - startedAt >= timeoutMs) return joinTimeout(options.ssid, clock.now() - startedAt)
    await sleep(clock, Math.max(1, Math.min(options.pollMs, startedAt + timeoutMs - clock.now())))
  }
}

/** The `join-timeout` error. */
export function joinTimeout(ssid: string, afterMs: number): { ok: false; error: WifiError } {
  const seconds = Math.max(1, Math.round(afterMs / 1000))
  return failure({ code: 'join-timeout', afterMs: Math.round(afterMs), message: `This computer did not get onto "${ssid}" with an address within ${seconds} s. Move closer to it and try again.` })
}

/** The `network-not-found` error. */
export const notFound = (ssid: string) =>
  failure({ code: 'network-not-found', message: `No network named "${ssid}" is in range. Check the name, move closer to it, and try again.` })

/** The `wrong-passphrase` error. */
export const wrongPassphrase = (ssid: string) =>
  failure({ code: 'wrong-passphrase', message: `The network "${ssid}" did not accept the passphrase. Check it and try again.` })

/** WPA passphrases are 8–63 printable ASCII characters or 64 hex digits (IEEE 802.11i-2004, H.4.1). */
export function isValidPassphrase(passphrase: string): boolean {
  return /^[\x20-\x7e]{8,63}$/.test(passphrase) || /^[0-9a-fA-F]{64}$/.test(passphrase)
}

/** The error for a passphrase no WPA network can accept (also keeps newlines out of secret files). */
export const invalidPassphrase = (ssid: string) =>
  failure({ code: 'wrong-passphrase', message: `That is not a valid Wi-Fi password for "${ssid}": it must be 8 to 63 characters. Check it and try again.` })

/** Decodes nmcli's SSID-HEX / a WLAN profile's hex: bytes as UTF-8 (invalid bytes become U+FFFD). */
export function ssidFromHex(hex: string): string | undefined {
  if (!/^([0-9a-fA-F]{2})+$/.test(hex)) return undefined
  return Buffer.from(hex, 'hex').toString('utf8')
}

/** Whether Porchlight can drive this computer's Wi-Fi, for the UI; `reason` says why not (or what is limited). */
export interface WifiAvailability {
  available: boolean
  /** The code a Wi-Fi call would fail with when unavailable. */
  code?: WifiError['code']
  /** A sentence for the user: why not, what to do — or, when available, what is limited (macOS names). */
  reason?: string
}

/** An unavailable WifiAvailability from a WifiError. */
export const unavailable = (error: WifiError): WifiAvailability => ({ available: false, code: error.code, reason: error.message })
