/**
 * `npm run sim`: one simulated ESP provisioning accessory on a local address, for firmware developers and
 * support staff to practise against (and for Espressif's own esp_prov to talk to). It changes no network:
 * a right passphrase just makes it report Connected.
 *
 *   npm run sim -- --security 2 --pop abcd1234 --port 8080 --networks 'HomeWiFi:correct horse,Cafe:'
 */
import { parseArgs } from 'node:util'
import { systemClock } from '../../main/util/clock'
import { AccessoryConfig, Faults } from './accessory/config'
import { startAccessory, type DeviceEvent } from './accessory/device'

const USAGE = `Usage: npm run sim -- --security <0|1|2> [options]

Serves one simulated ESP Unified Provisioning accessory over HTTP until Ctrl+C.

Options:
  --security 0|1|2        protocomm security scheme (required)
  --pop CODE              proof of possession (security 1) or SRP password (security 2)
  --username NAME         SRP username for security 2 (default wifiprov)
  --sec-patch 0|1         security 2 AES-GCM nonce scheme: 1 patched (default), 0 legacy
  --host ADDRESS          address to listen on (default 127.0.0.1)
  --port N                port (default 8080; 0 picks one)
  --networks LIST         networks it can see: 'SSID:passphrase,…' ('SSID:' is open)
  --join-delay MS         how long joining takes before the outcome (default 1500)
  --attempts N            extra connection attempts after a wrong password (default 0)
  --slow MS               delay every reply
  --reboot-on ENDPOINT    reboot once when this endpoint is called (e.g. prov-config)
  --ap-vanishes           log that the AP would vanish right after Apply`

function fail(message: string): never {
  process.stderr.write(`sim: ${message}\n\n${USAGE}\n`)
  process.exit(2)
}

/** Parses 'SSID:pass,SSID2:' into network specs; a passphrase may contain ':' but not ','. */
function parseNetworks(list: string): { ssid: string; passphrase?: string }[] {
  return list.split(',').filter(Boolean).map((item) => {
    const at = item.indexOf(':')
    const ssid = at < 0 ? item : item.slice(0, at)
    const passphrase = at < 0 ? '' : item.slice(at + 1)
    return passphrase ? { ssid, passphrase } : { ssid }
  })
}

function parse() {
  const { values } = parseArgs({
    strict: true,
    options: {
      security: { type: 'string' }, pop: { type: 'string' }, username: { type: 'string' }, 'sec-patch': { type: 'string' },
      host: { type: 'string' }, port: { type: 'string' }, networks: { type: 'string' }, 'join-delay': { type: 'string' },
      attempts: { type: 'string' }, slow: { type: 'string' }, 'reboot-on': { type: 'string' }, 'ap-vanishes': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    process.exit(0)
  }
  if (values.security === undefined) fail('--security is required')
  const networks = parseNetworks(values.networks ?? 'PorchlightDemo:porchlight-demo')
  const parsed = AccessoryConfig.safeParse({
    id: 'sim', deviceId: '02706c78f00d', name: 'PROV_78F00D',
    security: Number(values.security), secPatchVersion: Number(values['sec-patch'] ?? 1),
    ...(values.pop !== undefined && { pop: values.pop }), ...(values.username !== undefined && { username: values.username }),
    networks: networks.map((n, i) => ({ ...n, rssi: -45 - 9 * i, channel: [1, 6, 11][i % 3] })),
    http: { host: values.host ?? '127.0.0.1', port: Number(values.port ?? 8080) },
    joinDelayMs: Number(values['join-delay'] ?? 1500), connectAttempts: Number(values.attempts ?? 0),
    faults: Faults.parse({ slowResponsesMs: Number(values.slow ?? 0), apVanishesAfterApply: values['ap-vanishes'] === true,
      ...(values['reboot-on'] !== undefined && { rebootOn: values['reboot-on'] }) }),
  })
  if (!parsed.success) fail(parsed.error.issues.map((i) => `${i.path.join('.') || 'argument'}: ${i.message}`).join('; '))
  if (parsed.data.security === 2 && !parsed.data.pop) fail('security 2 needs --pop (the SRP password)')
  return parsed.data
}

const config = (() => {
  try {
    return parse()
  } catch (error) {
    return fail((error as Error).message)
  }
})()

const log = (event: DeviceEvent) => process.stderr.write(`${new Date().toISOString()} ${JSON.stringify(event)}\n`)
const device = await startAccessory(config, {
  clock: systemClock,
  emit: log,
  effects: {
    // `npm run sim` touches no network: the "home" address is a documentation address (RFC 5737).
    joinHome: async () => '192.0.2.10',
    leaveAp: async () => {
      process.stderr.write('(the provisioning AP would go off the air now)\n')
    },
    restoreAp: async () => undefined,
    homeHosts: async () => [],
    startHomeServices: async () => undefined,
    stopHomeServices: async () => undefined,
    applyServiceFaults: () => undefined,
  },
}).catch((error: NodeJS.ErrnoException) => fail(error.code === 'EADDRINUSE' ? `port ${config.http.port} is already in use; pick another with --port` : error.message))

const host = config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host
process.stdout.write([
  `Simulated accessory ${config.name} listening on http://${host}:${device.port}`,
  `  security ${config.security}${config.security === 2 ? ` (patch ${config.secPatchVersion}, username ${config.username})` : ''}${config.pop ? ', proof of possession set' : ''}`,
  `  sees: ${config.networks.map((n) => `${n.ssid} (${n.passphrase ? 'WPA2' : 'open'})`).join(', ') || 'no networks'}`,
  `  esp_prov: esp_prov.py --transport httpd --service_name ${host}:${device.port} --sec_ver ${config.security} …`,
  'Press Ctrl+C to stop.',
  '',
].join('\n'))
const stop = () => void device.stop().then(() => process.exit(0))
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
