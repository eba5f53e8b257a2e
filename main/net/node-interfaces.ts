/**
 * The portable fallback: `os.networkInterfaces()`, which every platform has.
 *
 * It lists only interfaces that have an address and carries no link flags, so kinds other than loopback
 * stay `unknown` here rather than being guessed from names (see classify.ts).
 */
import type { NetworkInterfaceInfo } from 'node:os'
import type { NetInterface } from '../../shared/net/interfaces'
import { prefixFromNetmask, scopeOf } from './address'

/** Converts Node's interface table into the contract's model. */
export function fromNodeInterfaces(table: NodeJS.Dict<NetworkInterfaceInfo[]>, platform: string): NetInterface[] {
  return Object.entries(table).map(([name, infos = []]) => {
    const isInternal = infos.length > 0 && infos.every((i) => i.internal)
    const mac = infos.find((i) => i.mac && i.mac !== '00:00:00:00:00:00')?.mac
    return {
      name,
      kind: isInternal ? 'loopback' : 'unknown',
      kindReason: isInternal ? 'internal (loopback) addresses only' : `link facts are not read on ${platform} yet`,
      ...(mac !== undefined && { mac }),
      // Node lists an interface only while it has an address, which implies it is up.
      isUp: true,
      isInternal,
      addresses: infos.map((i) => {
        const family = i.family === 'IPv4' ? 'IPv4' : 'IPv6'
        return {
          address: i.address,
          family,
          netmask: i.netmask,
          prefixLength: prefixFromNetmask(i.netmask),
          scope: scopeOf(family, i.address),
          ...(family === 'IPv6' && i.scopeid !== undefined && i.scopeid > 0 && { scopeId: i.scopeid }),
        }
      }),
    }
  })
}
