/**
 * Bench runner: bonjour-service (the library most Node apps use) browsing one type inside a lab namespace.
 * Prints `start`, then `up`/`down` per service with wall-clock times. Usage: node bonjour.js TYPE
 */
import { Bonjour } from 'bonjour-service'

const [name = 'esp_local_ctrl', protocol = 'tcp'] = (process.argv[2] ?? '_esp_local_ctrl._tcp').replace(/^_/, '').split('._')
const print = (value: object) => process.stdout.write(`${JSON.stringify(value)}\n`)
const bonjour = new Bonjour()
print({ ev: 'start', t: Date.now() })
const browser = bonjour.find({ type: name, protocol: protocol as 'tcp' | 'udp' })
browser.on('up', (service: { name: string; addresses?: string[]; txt?: Record<string, unknown> }) =>
  print({ ev: 'up', t: Date.now(), name: service.name, resolved: (service.addresses ?? []).length > 0, txtId: service.txt?.id ?? null }),
)
browser.on('down', (service: { name: string }) => print({ ev: 'down', t: Date.now(), name: service.name }))
process.stdin.resume()
process.stdin.on('end', () => {
  bonjour.destroy()
  process.exit(0)
})
