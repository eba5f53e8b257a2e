/**
 * Benchmark: how long a fresh avahi-daemon takes until `avahi-browse -rpk` lists every device of a crowd.
 * Each run builds its own lab (crowd node + avahi node), prints one JSON line, and tears down. As root:
 *   npx esbuild tests/lab/crowd/measure.ts --bundle --platform=node --format=esm --packages=external \
 *     --outfile=node_modules/.cache/crowd-measure.mjs && node node_modules/.cache/crowd-measure.mjs [250,1000] [runs] [silent|announce]
 * silent: the crowd is up and quiet, then avahi-browse starts (a browser joining a busy network).
 * announce: avahi-browse runs first, then the crowd starts and announces (devices powering on).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startAvahiPeer } from '../peers/avahi'
import { createLab } from '../topology'
import { startCrowd, type CrowdHandle } from './index'
import { labProcesses } from './node-process'

const out = (line: object) => void process.stdout.write(`${JSON.stringify(line)}\n`)

async function measure(count: number, mode: 'silent' | 'announce'): Promise<Record<string, unknown>> {
  const lab = await createLab({ accessories: [{ id: 'crowd', hasAp: false, startOnHome: true }, { id: 'avahi', hasAp: false, startOnHome: true }] })
  const workDir = await mkdtemp(join(tmpdir(), `${lab.prefix}-measure-`))
  let crowd: CrowdHandle | undefined
  try {
    const node = lab.accessories[1]
    if (!node?.sta.homeAddress4) throw new Error('avahi node missing')
    const avahi = await startAvahiPeer(labProcesses(lab), {
      ns: node.ns, ifname: node.sta.ifname, address4: node.sta.homeAddress4, address6: node.sta.homeAddress6,
      hostName: `plx-measure-${process.pid}`, workDir, serverOptions: { 'cache-entries-max': 16_384, 'objects-per-client-max': 16_384 },
    })
    const start = () => startCrowd(lab, { node: 'crowd', count, announce: mode === 'announce' })
    if (mode === 'silent') crowd = await start()
    const t0 = performance.now()
    const watch = avahi.watch('_esp_local_ctrl._tcp')
    const progress: number[] = []
    const sampler = setInterval(() => progress.push(watch.names().size), 1000)
    if (mode === 'announce') crowd = await start()
    try {
      await watch.until((list) => list.filter((r) => r.protocol === 'IPv4').length >= count, 120_000)
      const allMs = Math.round(performance.now() - t0)
      const packets = crowd?.packets() ?? []
      const cpu = (await lab.exec(node.ns, 'sh', ['-c', 'for p in $(ip netns pids "$1"); do echo "$(cat /proc/$p/comm) $(cut -d" " -f14,15 /proc/$p/stat)"; done', 'sh', node.ns])).stdout
      const udp = (await lab.exec(node.ns, 'cat', ['/proc/net/snmp'])).stdout.split('\n').filter((l) => l.startsWith('Udp:'))
      return {
        count, mode, allMs, perSecond: progress, packets: packets.length, maxPacketBytes: Math.max(...packets.map((p) => p.bytes)),
        avahiCpuTicks: cpu.trim().split('\n'), avahiRcvbufErrors: Number(udp[1]?.split(' ')[5] ?? -1), load: (await import('node:os')).loadavg()[0],
      }
    } finally {
      clearInterval(sampler)
      await watch.stop()
    }
  } finally {
    await crowd?.close()
    await lab.dispose()
    await rm(workDir, { recursive: true, force: true })
  }
}

const counts = (process.argv[2] ?? '250,1000').split(',').map(Number)
const runs = Number(process.argv[3] ?? 3)
const mode = process.argv[4] === 'announce' ? 'announce' : 'silent'
for (const count of counts) {
  for (let i = 0; i < runs; i++) out(await measure(count, mode).catch((error: unknown) => ({ count, mode, error: String(error) })))
}
