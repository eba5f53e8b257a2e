/**
 * Debian's avahi-daemon as a reference peer on br-home, set up as reference/stack-on-this-machine.md §5
 * found works: a private dbus-daemon (so avahi-browse/avahi-publish work without the system bus), and the
 * daemon's /run and /etc/avahi/services bind-mounted inside `ip netns exec`'s private mount namespace,
 * so several daemons coexist and nothing is mounted on the host.
 */
import type { ChildProcess } from 'node:child_process'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { captureTail, waitForLine } from '../topology/shell'
import type { LabProcesses } from '../topology/types'
import { parseAvahiBrowse, type AvahiRecord } from './avahi-parse'

export type { AvahiRecord } from './avahi-parse'

/** A service for a static `services/*.service` file. */
export interface StaticService {
  name: string
  type: string
  port: number
  txt?: string[]
  subtypes?: string[]
  /** SRV target other than the daemon's own host name. */
  hostName?: string
}

/** A running `avahi-publish -s`. */
export interface AvahiPublication {
  /** The name avahi established (it renames on a conflict). */
  name: string
  pid: number | undefined
  stop(): Promise<void>
}

/** A running avahi-daemon peer. */
export interface AvahiPeer {
  ns: string
  address4: string
  address6: string
  /** Its host name, e.g. plx-avahi-1234-0.local. */
  hostName: string
  workDir: string
  /** Environment avahi clients need (the private bus). */
  env: Record<string, string>
  /** Writes a static service file (XML text or fields) and reloads the daemon; resolves once it is established. */
  publishStatic(service: StaticService | string, fileName?: string): Promise<string>
  /** Removes a static service file and reloads. */
  removeStatic(fileName: string): Promise<void>
  /** `avahi-publish -s name type port txt…`; resolves once established. */
  publish(name: string, type: string, port: number, txt?: string[], opts?: { host?: string; subtypes?: string[] }): Promise<AvahiPublication>
  /** `avahi-browse -rptk type` (ends at ALL_FOR_NOW, ~1 s, or is cut at `timeoutMs`). */
  browse(type: string, timeoutMs?: number): Promise<AvahiRecord[]>
  /** A long-running `avahi-browse -rpk type` that tracks what is listed now (resolved minus removed). */
  watch(type: string): AvahiWatch
  /** `avahi-publish -a -R host address`: an address record, e.g. for a static service's `hostName`. */
  publishAddress(host: string, address: string): Promise<AvahiPublication>
  pids(): number[]
  /** Stops avahi-daemon, then its bus, by PID. */
  stop(): Promise<void>
}

/** Where and as whom the peer runs. */
export interface AvahiPeerConfig {
  ns: string
  ifname: string
  address4: string
  address6: string
  hostName: string
  /** A short, empty scratch dir (Unix socket paths are limited to 108 bytes). */
  workDir: string
  /** Extra avahi-daemon.conf(5) `[server]` keys, e.g. `{ 'cache-entries-max': 20000 }` (the default cache holds 4,096 records). */
  serverOptions?: Record<string, string | number>
}

/** A running `avahi-browse -rpk` (see AvahiPeer.watch). */
export interface AvahiWatch {
  /** Resolved services listed now, one entry per (protocol, name). */
  current(): AvahiRecord[]
  /** Instance names listed now for one protocol (default IPv4). */
  names(protocol?: 'IPv4' | 'IPv6'): Set<string>
  /** Resolves with the ms since the watch started at which `done(current())` first held; rejects after `timeoutMs`. */
  until(done: (current: AvahiRecord[]) => boolean, timeoutMs: number): Promise<number>
  stop(): Promise<void>
}

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** Renders an avahi.service(5) file. */
export function serviceXml(s: StaticService): string {
  const lines = [
    '<?xml version="1.0" standalone="no"?>',
    '<!DOCTYPE service-group SYSTEM "avahi-service.dtd">',
    '<service-group>',
    `  <name>${xml(s.name)}</name>`,
    '  <service>',
    `    <type>${xml(s.type)}</type>`,
    ...(s.subtypes ?? []).map((t) => `    <subtype>${xml(t)}</subtype>`),
    ...(s.hostName ? [`    <host-name>${xml(s.hostName)}</host-name>`] : []),
    `    <port>${s.port}</port>`,
    ...(s.txt ?? []).map((t) => `    <txt-record>${xml(t)}</txt-record>`),
    '  </service>',
    '</service-group>',
  ]
  return `${lines.join('\n')}\n`
}

function daemonConf(c: AvahiPeerConfig): string {
  return `[server]\nhost-name=${c.hostName}\nuse-ipv4=yes\nuse-ipv6=yes\nallow-interfaces=${c.ifname}\nenable-dbus=yes\n` +
    `ratelimit-interval-usec=1000000\nratelimit-burst=1000\n` +
    Object.entries(c.serverOptions ?? {}).map(([key, value]) => `${key}=${value}\n`).join('') +
    `[wide-area]\nenable-wide-area=no\n` +
    `[publish]\npublish-hinfo=no\npublish-workstation=no\n`
}

function busConf(socket: string): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/><allow own="*"/><allow send_destination="*"/><allow receive_sender="*"/>
  </policy>
</busconfig>
`
}

/** Starts the private bus and avahi-daemon; resolves once the daemon reports "Server startup complete". */
export async function startAvahiPeer(lab: LabProcesses, c: AvahiPeerConfig): Promise<AvahiPeer> {
  const d = c.workDir
  await Promise.all([mkdir(join(d, 'run', 'avahi-daemon'), { recursive: true }), mkdir(join(d, 'services'), { recursive: true })])
  const socket = join(d, 'dbus.sock')
  await Promise.all([writeFile(join(d, 'avahi-daemon.conf'), daemonConf(c)), writeFile(join(d, 'dbus.conf'), busConf(socket))])
  const env = { DBUS_SYSTEM_BUS_ADDRESS: `unix:path=${socket}` }
  const started: ChildProcess[] = []
  const stop = async () => {
    for (const child of [...started].reverse()) await lab.stop(child)
  }
  try {
    const bus = lab.spawn(c.ns, 'dbus-daemon', [`--config-file=${join(d, 'dbus.conf')}`, '--nofork', '--print-address=1'])
    started.push(bus)
    await waitForLine(bus, /unix:path=/, 5000, 'dbus-daemon')
    captureTail(bus)
    // avahi-daemon's pid file and socket dir (/run/avahi-daemon) is compiled in and may not exist on the host;
    // creating it would touch the host, so this private mount namespace gets its own /run instead (one per
    // daemon, so several coexist). Positional parameters keep the paths out of the shell's parser; `exec`
    // makes the daemon this PID.
    const script = 'mount --bind "$1" /run && mount --bind "$2" /etc/avahi/services && exec avahi-daemon -f "$3" --no-drop-root --no-chroot --no-rlimits'
    const daemon = lab.spawn(c.ns, 'sh', ['-c', script, 'sh', join(d, 'run'), join(d, 'services'), join(d, 'avahi-daemon.conf')], { env })
    started.push(daemon)
    captureTail(daemon)
    await waitForLine(daemon, /Server startup complete/, 8000, 'avahi-daemon')
    return makePeer(lab, c, env, daemon, started, stop)
  } catch (error) {
    await stop()
    throw error
  }
}

function makePeer(lab: LabProcesses, c: AvahiPeerConfig, env: Record<string, string>, daemon: ChildProcess,
  started: ChildProcess[], stop: () => Promise<void>): AvahiPeer {
  const publications = new Set<ChildProcess>()
  let counter = 0
  // Listen before signalling, so only what the daemon logs after this SIGHUP counts.
  const reload = async (until: RegExp) => {
    const logged = waitForLine(daemon, until, 5000, 'avahi-daemon reload')
    if (daemon.pid !== undefined) process.kill(daemon.pid, 'SIGHUP')
    await logged
  }
  return {
    ns: c.ns,
    address4: c.address4,
    address6: c.address6,
    hostName: `${c.hostName}.local`,
    workDir: c.workDir,
    env,
    async publishStatic(service, fileName = `svc${counter++}.service`) {
      const text = typeof service === 'string' ? service : serviceXml(service)
      await writeFile(join(c.workDir, 'services', fileName), text)
      const escaped = fileName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      await reload(new RegExp(`${escaped}\\) successfully established`))
      return fileName
    },
    async removeStatic(fileName) {
      await rm(join(c.workDir, 'services', fileName), { force: true })
      await reload(/Loading service file|Files changed, reloading|Got SIGHUP/)
    },
    async publish(name, type, port, txt = [], opts = {}) {
      const args = ['-s', ...(opts.host ? ['-H', opts.host] : []), ...(opts.subtypes ?? []).map((s) => `--subtype=${s}`), name, type, String(port), ...txt]
      const child = lab.spawn(c.ns, 'avahi-publish', args, { env })
      publications.add(child)
      try {
        const line = await waitForLine(child, /Established under name '/, 8000, 'avahi-publish')
        captureTail(child)
        return { name: /Established under name '(.*)'/.exec(line)?.[1] ?? name, pid: child.pid, stop: () => lab.stop(child) }
      } catch (error) {
        await lab.stop(child)
        throw error
      }
    },
    async browse(type, timeoutMs = 5000) {
      const r = await lab.exec(c.ns, 'avahi-browse', ['-rptk', type], { timeoutMs, env })
      return parseAvahiBrowse(r.stdout)
    },
    watch(type) {
      const child = lab.spawn(c.ns, 'avahi-browse', ['-rpk', type], { env })
      publications.add(child)
      return watchOutput(child, async () => {
        publications.delete(child)
        await lab.stop(child)
      })
    },
    async publishAddress(host, address) {
      const child = lab.spawn(c.ns, 'avahi-publish', ['-a', '-R', host, address], { env })
      publications.add(child)
      try {
        await waitForLine(child, /Established under name '/, 8000, 'avahi-publish -a')
        captureTail(child)
        return { name: host, pid: child.pid, stop: () => lab.stop(child) }
      } catch (error) {
        await lab.stop(child)
        throw error
      }
    },
    pids: () => [...started, ...publications].flatMap((p) => (p.pid !== undefined && p.exitCode === null && p.signalCode === null ? [p.pid] : [])),
    async stop() {
      await Promise.all([...publications].map((p) => lab.stop(p)))
      await stop()
    },
  }
}

/** Follows avahi-browse -p output: `=` lines add or replace a service, `-` lines remove it. */
function watchOutput(child: ChildProcess, stop: () => Promise<void>): AvahiWatch {
  const started = performance.now()
  const listed = new Map<string, AvahiRecord>()
  const waiters = new Set<() => void>()
  let partial = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n')
    partial = lines.pop() ?? ''
    for (const line of lines) {
      const fields = line.split(';')
      // A removal has no resolved fields: parse it as an empty resolved line to reuse the name unescaping.
      const parsed = line.startsWith('=;') ? parseAvahiBrowse(line) : line.startsWith('-;') ? parseAvahiBrowse(`=;${fields.slice(1, 6).join(';')};;;0;`) : []
      for (const r of parsed) {
        if (line.startsWith('=;')) listed.set(`${r.protocol}|${r.name}`, r)
        else listed.delete(`${r.protocol}|${r.name}`)
      }
    }
    if (lines.length > 0) for (const w of [...waiters]) w()
  })
  child.stderr?.resume()
  const current = () => [...listed.values()]
  return {
    current,
    names: (protocol = 'IPv4') => new Set(current().filter((r) => r.protocol === protocol).map((r) => r.name)),
    until: (done, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!done(current())) return
          finish()
          resolve(Math.round(performance.now() - started))
        }
        const timer = setTimeout(() => {
          finish()
          reject(new Error(`avahi-browse: condition not met within ${timeoutMs} ms (${listed.size} listed)`))
        }, timeoutMs)
        const finish = () => {
          clearTimeout(timer)
          waiters.delete(check)
        }
        waiters.add(check)
        check()
      }),
    stop,
  }
}
