import { networkInterfaces } from 'node:os'
import { describe, expect, it } from 'vitest'
import { createInterfaceReader } from '../../../main/net/interfaces'
import { NetInterface } from '../../../shared/net/interfaces'

const nodeTable = () => ({
  lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4' as const, mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
  en0: [
    { address: '198.18.4.2', netmask: '255.255.254.0', family: 'IPv4' as const, mac: 'f0:18:98:00:00:01', internal: false, cidr: '198.18.4.2/23' },
    { address: 'fe80::1c2a:1', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6' as const, mac: 'f0:18:98:00:00:01', internal: false, cidr: 'fe80::1c2a:1/64', scopeid: 5 },
  ],
})

describe('createInterfaceReader', () => {
  it('on macOS/Windows uses Node’s table, marks loopback, and does not guess other kinds from names', async () => {
    const read = createInterfaceReader({ platform: 'darwin', nodeTable })
    const list = await read()
    expect(list.map((i) => [i.name, i.kind])).toEqual([['en0', 'unknown'], ['lo', 'loopback']])
    expect(list[0]?.addresses[0]).toMatchObject({ prefixLength: 23, scope: 'global' })
    expect(list[0]?.addresses[1]).toMatchObject({ scope: 'link', scopeId: 5 })
  })

  it('on Linux falls back to Node’s table when iproute2 is missing or fails', async () => {
    const missing = createInterfaceReader({ platform: 'linux', nodeTable, run: () => Promise.reject(new Error('spawn ip ENOENT')) })
    expect((await missing()).map((i) => i.name)).toEqual(['en0', 'lo'])
    const failing = createInterfaceReader({ platform: 'linux', nodeTable, run: async () => ({ stdout: '', stderr: 'x', exitCode: 1 }) })
    expect((await failing()).map((i) => i.name)).toEqual(['en0', 'lo'])
  })

  it('reads this machine for real: every interface Node sees is listed, with the same addresses', async () => {
    const list = await createInterfaceReader()()
    for (const i of list) expect(NetInterface.safeParse(i).success).toBe(true)
    const byName = new Map(list.map((i) => [i.name, i]))
    for (const [name, infos = []] of Object.entries(networkInterfaces())) {
      const listed = byName.get(name)
      expect(listed, `interface ${name}`).toBeDefined()
      expect(new Set(listed?.addresses.map((a) => a.address))).toEqual(new Set(infos.map((i) => i.address)))
    }
  })
})
