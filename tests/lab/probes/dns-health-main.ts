/**
 * The DNS health check in the lab, both sides:
 *   node dns-health-main.js serve ADDRESS PORT split|consistent|udp-only
 *     a DNS server (tests/main/diagnose/fixtures/resolver/split-dns-server.ts) answering `porch.lab` A with
 *     198.18.0.50 over UDP and, in `split` mode, 198.18.0.51 over TCP; `udp-only` listens on UDP only; every
 *     other name is NXDOMAIN. Prints READY, then runs until stopped by PID.
 *   node dns-health-main.js check '{"resolvers":["198.18.0.10"],"names":["porch.lab"],"timeoutMs":1000}'
 *     runs runDnsHealth with the real UDP and TCP transport and prints the checks as one JSON line.
 */
import { runDnsHealth } from '../../../main/diagnose/dns-health'
import { runCommand } from '../../../main/util/exec'
import { startSplitDnsServer } from '../../main/diagnose/fixtures/resolver/split-dns-server'

const [mode, ...args] = process.argv.slice(2)
if (mode === 'serve') {
  const [host = '', port = '53', behaviour = 'consistent'] = args
  await startSplitDnsServer({
    host, port: Number(port), tcp: behaviour !== 'udp-only',
    answer: (q, transport) => q.name.toLowerCase() === 'porch.lab' && q.type === 'A'
      ? { answers: [{ name: q.name, type: 'A', ttl: 60, data: behaviour === 'split' && transport === 'tcp' ? '198.18.0.51' : '198.18.0.50' }] }
      : { rcode: 'NXDOMAIN' },
  })
  process.stdout.write('READY\n')
} else if (mode === 'check') {
  const options = JSON.parse(args[0] ?? '{}') as { resolvers?: string[]; names?: string[]; timeoutMs?: number }
  const checks = await runDnsHealth({ platform: process.platform, run: runCommand, ...options })
  process.stdout.write(`${JSON.stringify(checks)}\n`)
} else {
  process.stderr.write('usage: dns-health-main.js serve ADDRESS PORT MODE | check JSON\n')
  process.exitCode = 2
}
