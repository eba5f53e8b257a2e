/**
 * A minimal ESP Unified Provisioning client written straight from the reference (§1.2–1.8), used by lab tests
 * to drive simulated accessories: proto-ver, the session handshake (cookie kept), scan, set/apply config and
 * status polling. It is deliberately plain — the app's resilient driver is a separate piece; this one only
 * proves the device side speaks the protocol the spec describes.
 */
import { Agent, request } from 'node:http'
import { Status, WifiStationState } from '../../main/provisioning/esp/constants'
import { decodeLocalCtrl, encodeLocalCtrl } from '../../main/provisioning/esp/local-ctrl-messages'
import { parseProtoVer, type ProtoVerInfo } from '../../main/provisioning/esp/proto-ver'
import { createSecurity0Client } from '../../main/provisioning/esp/security0'
import { createSecurity1Client } from '../../main/provisioning/esp/security1'
import { createSecurity2Client } from '../../main/provisioning/esp/security2'
import type { EspClientSecurity } from '../../main/provisioning/esp/security-common'
import { decodeWiFiConfig, decodeWiFiCtrl, decodeWiFiScan, encodeWiFiConfig, encodeWiFiCtrl, encodeWiFiScan, type WiFiConfigMessage } from '../../main/provisioning/esp/wifi-messages'

/** What the spec client needs to open a session. */
export interface SpecCredentials {
  security?: 0 | 1 | 2
  pop?: string
  username?: string
}

/** A client session against one device. */
export class SpecClient {
  private cookie: string | undefined
  private security: EspClientSecurity | undefined
  // One kept-alive socket: ESP's httpd has max_open_sockets = 1 and purges the least recently used one,
  // so a client that opens a second connection loses its first (reference §1.2).
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 })
  info: ProtoVerInfo | undefined

  constructor(private readonly baseUrl: string, private readonly timeoutMs = 5000) {}

  /** POSTs raw bytes to an endpoint; throws on a non-200 answer or a dropped connection. */
  post(endpoint: string, body: Uint8Array): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const headers = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/plain', 'Content-Length': body.length, ...(this.cookie && { Cookie: this.cookie }) }
      const req = request(`${this.baseUrl}/${endpoint}`, { method: 'POST', agent: this.agent, headers, timeout: this.timeoutMs }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('error', reject)
        res.on('end', () => {
          const setCookie = res.headers['set-cookie']?.[0]?.split(';')[0]
          if (setCookie?.startsWith('session=')) this.cookie = setCookie
          if (res.statusCode !== 200) return reject(new Error(`${endpoint}: HTTP ${res.statusCode}`))
          resolve(new Uint8Array(Buffer.concat(chunks)))
        })
      })
      req.on('timeout', () => req.destroy(new Error(`${endpoint}: no answer in ${this.timeoutMs} ms`)))
      req.on('error', (error) => reject(new Error(`${endpoint}: ${error.message}`)))
      req.end(body)
    })
  }

  /** Closes the kept-alive connection. */
  close(): void {
    this.agent.destroy()
  }

  /** Reads proto-ver, picks the security scheme from it, and completes the handshake. */
  async open(credentials: SpecCredentials): Promise<void> {
    const parsed = parseProtoVer(new TextDecoder().decode(await this.post('proto-ver', new TextEncoder().encode('---'))))
    if (!parsed.ok) throw new Error('proto-ver did not parse')
    this.info = parsed.value
    await this.handshake('prov-session', credentials.security ?? (parsed.value.secVer as 0 | 1 | 2 | undefined) ?? 1, parsed.value.secPatchVer === 1 ? 1 : 0, credentials)
  }

  /** Opens an esp_local_ctrl session on a provisioned device: version endpoint, then the handshake. */
  async openLocalCtrl(credentials: SpecCredentials): Promise<{ ver: string; sec_ver: number; sec_patch_ver: number }> {
    const text = new TextDecoder().decode(await this.post('esp_local_ctrl/version', new TextEncoder().encode('---')))
    const info = (JSON.parse(text) as { local_ctrl: { ver: string; sec_ver: number; sec_patch_ver: number } }).local_ctrl
    await this.handshake('esp_local_ctrl/session', (credentials.security ?? info.sec_ver) as 0 | 1 | 2, info.sec_patch_ver === 1 ? 1 : 0, credentials)
    return info
  }

  /** Reads every esp_local_ctrl property. */
  async properties(): Promise<{ name: string; flags: number; value: string }[]> {
    const count = decodeLocalCtrl(await this.call('esp_local_ctrl/control', encodeLocalCtrl({ type: 'cmdGetPropCount' })))
    if (!count.ok || count.value.type !== 'respGetPropCount') throw new Error('property count failed')
    const indices = Array.from({ length: count.value.count }, (_, i) => i)
    const values = decodeLocalCtrl(await this.call('esp_local_ctrl/control', encodeLocalCtrl({ type: 'cmdGetPropVals', indices })))
    if (!values.ok || values.value.type !== 'respGetPropVals') throw new Error('property values failed')
    return values.value.props.map((p) => ({ name: p.name, flags: p.flags, value: Buffer.from(p.value).toString(p.name === 'status' ? 'utf8' : 'hex') }))
  }

  /** Sets one esp_local_ctrl property; returns the status. */
  async setProperty(index: number, value: Uint8Array): Promise<number> {
    const reply = decodeLocalCtrl(await this.call('esp_local_ctrl/control', encodeLocalCtrl({ type: 'cmdSetPropVals', props: [{ index, value }] })))
    if (!reply.ok || reply.value.type !== 'respSetPropVals') throw new Error('set property failed')
    return reply.value.status
  }

  private async handshake(endpoint: string, version: 0 | 1 | 2, patchVersion: 0 | 1, credentials: SpecCredentials): Promise<void> {
    const security =
      version === 0 ? createSecurity0Client()
      : version === 1 ? createSecurity1Client(credentials.pop ? { pop: credentials.pop } : {})
      : createSecurity2Client({ username: credentials.username ?? 'wifiprov', password: credentials.pop ?? '', patchVersion })
    let request = security.start()
    for (let round = 0; round < 4; round++) {
      const step = security.next(await this.post(endpoint, request))
      if (step.kind === 'done') {
        this.security = security
        return
      }
      if (step.kind === 'error') throw new Error(`session: ${step.reason}`)
      request = step.request
    }
    throw new Error('session: too many rounds')
  }

  private async call(endpoint: string, plain: Uint8Array): Promise<Uint8Array> {
    if (!this.security) throw new Error('no session')
    return this.security.decrypt(await this.post(endpoint, this.security.encrypt(plain)))
  }

  /** Runs a blocking scan and reads every result page (count ≤ 4, as over BLE, to exercise paging). */
  async scan(): Promise<{ ssid: string; rssi: number; auth: number; channel: number }[]> {
    const start = decodeWiFiScan(await this.call('prov-scan', encodeWiFiScan({ type: 'cmdScanStart', blocking: true, passive: false, groupChannels: 5, periodMs: 120 })))
    if (!start.ok || start.value.status !== undefined && start.value.status !== Status.Success) throw new Error('scan start failed')
    const status = decodeWiFiScan(await this.call('prov-scan', encodeWiFiScan({ type: 'cmdScanStatus' })))
    if (!status.ok || status.value.type !== 'respScanStatus') throw new Error('scan status failed')
    const out: { ssid: string; rssi: number; auth: number; channel: number }[] = []
    for (let index = 0; index < status.value.resultCount; index += 4) {
      const page = decodeWiFiScan(await this.call('prov-scan', encodeWiFiScan({ type: 'cmdScanResult', startIndex: index, count: 4 })))
      if (!page.ok || page.value.type !== 'respScanResult') throw new Error('scan result failed')
      for (const e of page.value.entries) out.push({ ssid: new TextDecoder().decode(e.ssid).replace(/\0+$/, ''), rssi: e.rssi, auth: e.auth, channel: e.channel })
    }
    return out
  }

  /** Sends SetConfig then ApplyConfig; returns their statuses. */
  async sendCredentials(ssid: string, passphrase: string): Promise<{ set: number; apply: number }> {
    const enc = new TextEncoder()
    const set = await this.configCall({ type: 'cmdSetConfig', ssid: enc.encode(ssid), passphrase: enc.encode(passphrase) })
    if (set.type !== 'respSetConfig') throw new Error('unexpected SetConfig reply')
    if (set.status !== Status.Success) return { set: set.status, apply: -1 }
    const apply = await this.configCall({ type: 'cmdApplyConfig' })
    if (apply.type !== 'respApplyConfig') throw new Error('unexpected ApplyConfig reply')
    return { set: set.status, apply: apply.status }
  }

  /** One GetStatus. */
  async status(): Promise<Extract<WiFiConfigMessage, { type: 'respGetStatus' }>> {
    const reply = await this.configCall({ type: 'cmdGetStatus' })
    if (reply.type !== 'respGetStatus') throw new Error('unexpected GetStatus reply')
    return reply
  }

  /** Polls GetStatus until it is not Connecting (bounded). */
  async waitForOutcome(pollMs = 200, limit = 50): Promise<Extract<WiFiConfigMessage, { type: 'respGetStatus' }>> {
    for (let i = 0; i < limit; i++) {
      const status = await this.status()
      if (status.staState !== WifiStationState.Connecting) return status
      await new Promise((r) => setTimeout(r, pollMs))
    }
    throw new Error('still connecting after the poll limit')
  }

  /** prov-ctrl reset (after a failure, so new credentials are accepted). */
  async reset(): Promise<number> {
    const reply = decodeWiFiCtrl(await this.call('prov-ctrl', encodeWiFiCtrl({ type: 'cmdCtrlReset' })))
    if (!reply.ok) throw new Error('unexpected reset reply')
    return reply.value.status ?? Status.Success
  }

  /** The custom endpoint. */
  async custom(data: string): Promise<string> {
    return new TextDecoder().decode(await this.call('custom-data', new TextEncoder().encode(data)))
  }

  private async configCall(message: WiFiConfigMessage): Promise<WiFiConfigMessage> {
    const decoded = decodeWiFiConfig(await this.call('prov-config', encodeWiFiConfig(message)))
    if (!decoded.ok) throw new Error('config reply did not decode')
    return decoded.value
  }
}
