/**
 * Host checks in the lab (issue #6 item 9): a tunnel interface owning the app host's default route makes
 * the `vpn` check warn and name it; once the tunnel is gone the check passes. The checks run as a probe
 * process inside the app namespace, reading it with the real tools, as the app would on a Linux machine.
 */
import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DiagnoseCheck } from '../../shared/diagnose/view'
import { skipReasonOrFail } from '../helpers/require-lab'
import { bundleEntry, labPath } from './bundle'
import { createLab, labUnavailableReason, type Lab } from './topology'

// The tunnel is a tun device: the lab's kernel may lack wireguard/ipip, but tun is needed by every VPN client.
const skip = labUnavailableReason() ?? skipReasonOrFail(existsSync('/dev/net/tun') ? undefined : 'no /dev/net/tun (the tun module is not loaded)')
if (skip) process.stderr.write(`lab host-check tests skipped: ${skip}\n`)

describe.skipIf(skip !== undefined)(`lab: host checks${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let lab: Lab

  beforeAll(async () => {
    lab = await createLab({ accessories: [] })
  }, 30_000)

  afterAll(async () => {
    await lab?.dispose()
  }, 30_000)

  /** Runs `ip ARGS` in the app namespace (only there: never on the host) and expects it to succeed. */
  async function appIp(...args: string[]): Promise<void> {
    const r = await lab.exec(lab.app.ns, 'ip', args)
    expect(r.code, `ip ${args.join(' ')}: ${r.stderr}`).toBe(0)
  }

  async function hostChecks(): Promise<Record<string, DiagnoseCheck>> {
    const entry = await bundleEntry(labPath('probes', 'host-checks-main.ts'))
    const r = await lab.exec(lab.app.ns, process.execPath, [entry], { timeoutMs: 15_000 })
    expect(r.code, r.stderr).toBe(0)
    const checks = DiagnoseCheck.array().parse((JSON.parse(r.stdout) as { checks: unknown }).checks)
    return Object.fromEntries(checks.map((c) => [c.id, c]))
  }

  it('a tunnel owning the default route makes the VPN check warn and name it; removing it clears the warning', async () => {
    try {
      await appIp('tuntap', 'add', 'dev', 'tun0', 'mode', 'tun')
      await appIp('link', 'set', 'tun0', 'up')
      await appIp('addr', 'add', '198.18.9.2/24', 'dev', 'tun0')
      await appIp('-6', 'addr', 'add', 'fd00:9::2/64', 'dev', 'tun0', 'nodad')
      await appIp('route', 'add', 'default', 'dev', 'tun0')
      await appIp('-6', 'route', 'add', 'default', 'dev', 'tun0')

      const withTunnel = await hostChecks()
      expect(withTunnel.vpn).toMatchObject({
        status: 'warn',
        summary: expect.stringContaining('tun0 owns the IPv4 and IPv6 default routes'),
        facts: { tunnels: ['tun0'], owners: [{ family: 'IPv4', interfaces: ['tun0'], how: 'default-route' }, { family: 'IPv6', interfaces: ['tun0'], how: 'default-route' }] },
      })
      expect(withTunnel.vpn?.summary).toContain('Local discovery and connections to accessories may fail or go through the VPN.')
      expect(withTunnel['default-route-ipv4']).toMatchObject({ status: 'warn', facts: { interfaces: ['tun0'], kinds: ['tunnel'] } })
      expect(withTunnel.interfaces?.facts?.interfaces).toContainEqual(expect.objectContaining({ name: 'tun0', kind: 'tunnel' }))
    } finally {
      await lab.exec(lab.app.ns, 'ip', ['link', 'del', 'tun0'])
    }

    const without = await hostChecks()
    expect(without.vpn).toMatchObject({ status: 'pass', facts: { tunnels: [], owners: [] } })
    // The lab has no router: no default route at all, which is a warning for IPv4 and normal for IPv6.
    expect(without['default-route-ipv4']?.status).toBe('warn')
    expect(without['default-route-ipv6']?.status).toBe('skip')
    // Nothing fails in the plain lab (the CLI exits 0 when no check fails).
    expect(Object.values(without).filter((c) => c.status === 'fail')).toEqual([])
  }, 40_000)
})
