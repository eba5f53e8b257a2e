/**
 * The portable fallback: `os.networkInterfaces()`, which every platform has.
 *
 * It lists only interfaces that have an address and carries no link flags, so kinds other than loopback
 * stay `unknown` here rather than being guessed from names (see classify.ts). The macOS and Windows readers
 * use the helpers below for the addresses, which Node reports with zones and netmasks already resolved.
 */
import type { NetworkInterfaceInfo } from 'node:os'
import type { InterfaceAddress, NetInterface } from '../../shared/net/interfaces'
import { prefixFromNetmask, scopeOf } from './address'

/** Node's interface table, keyed by interface name (the alias on Windows). */
export type NodeTable = NodeJS.Dict<NetworkInterfaceInfo[]>

/** Converts Node's interface table into the contract's model; `why` explains kinds left unknown. */
export function fromNodeInterfaces(table: NodeTable, platform: string, why?: string): NetInterface[] {
  return Object.entries(table).map(([name, infos = []]) => {
    const isInternal = infos.length > 0 && infos.every((i) => i.internal)
    const mac = nodeMac(infos)
    return {
      name,
      kind: isInternal ? 'loopback' : 'unknown',
      kindReason: isInternal ? 'internal (loopback) addresses only' : (why ?? `link facts are not read on ${platform} yet`),
      ...(mac !== undefined && { mac }),
      // Node lists an interface only while it has an address, which implies it is up.
      isUp: true,
      isInternal,
      addresses: nodeAddresses(infos),
    }
  })
}

/** The first real MAC Node reports for an interface (loopback and tunnels report all zeros). */
export function nodeMac(infos: readonly NetworkInterfaceInfo[]): string | undefined {
  return infos.find((i) => i.mac && i.mac !== '00:00:00:00:00:00')?.mac
}

/** Node's addresses for one interface in the contract's model. */
export function nodeAddresses(infos: readonly NetworkInterfaceInfo[]): InterfaceAddress[] {
  return infos.map((i) => {
    const family = i.family === 'IPv4' ? 'IPv4' : 'IPv6'
    return {
      address: i.address,
      family,
      netmask: i.netmask,
      prefixLength: prefixFromNetmask(i.netmask),
      scope: scopeOf(family, i.address),
      ...(family === 'IPv6' && i.scopeid !== undefined && i.scopeid > 0 && { scopeId: i.scopeid }),
    }
  })
}
