import { describe, expect, it } from 'vitest'
import { createCore } from '../../main/core'
import { AppInfo } from '../../shared/ipc'
import { NetInterface } from '../../shared/net/interfaces'

describe('handlers on a real core', () => {
  const core = createCore({ host: { kind: 'web', name: 'Porchlight', version: '1.2.3' }, watch: false })

  it('app:info reports version, platform and host kind in the contract’s shape', async () => {
    const result = await core.handlers['app:info'](undefined)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(AppInfo.parse(result.value)).toMatchObject({ version: '1.2.3', hostKind: 'web', platform: process.platform, arch: process.arch })
    expect(result.value.runtime.node).toBe(process.versions.node)
  })

  it('net:interfaces returns this machine’s interfaces, loopback included', async () => {
    const result = await core.handlers['net:interfaces'](undefined)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.value.every((i) => NetInterface.safeParse(i).success)).toBe(true)
    expect(result.value.some((i) => i.kind === 'loopback' && i.addresses.some((a) => a.address === '127.0.0.1'))).toBe(true)
    core.dispose()
  })
})
