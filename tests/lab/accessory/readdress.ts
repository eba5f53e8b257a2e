/**
 * "DHCP renumbering" of a lab accessory (issue #7, accessories change addresses): which new home IPv4
 * addresses are allowed, and the `ip` commands the accessory runs in its own namespace to move to one.
 * Pure: main.ts runs the commands, device.ts and home-services.ts move the services.
 */

/** The lab's home subnet (topology/types.ts `home.subnet4`); every accessory's home IPv4 is a /24 in it. */
export const HOME_SUBNET4 = { prefix: '198.18.0.', length: 24 } as const

/**
 * Host numbers a renumbered accessory may take. topology/plan.ts hands out .2 (app), .3 (avahi peer),
 * .4 (zeroconf peer) and .10+k for accessory k ≤ 32 (so at most .42), and nothing above; .100–.254 is the
 * lab's "DHCP pool" that no node boots with. Two accessories renumbered in one lab need distinct pool
 * addresses: the accessory cannot see its neighbours' leases (IPv4 has no DAD in the kernel).
 */
export const RENUMBER_POOL = { first: 100, last: 254 } as const

/** Why a readdress request was refused, or that it may go ahead. */
export type ReaddressCheck =
  | { ok: true }
  | { ok: false; code: 'no-home-ipv4' | 'bad-address' | 'outside-home-subnet' | 'outside-renumber-pool' | 'same-address'; message: string }

/** Validates a move from `current` (undefined: none) to `to`; only the lab's renumber pool is allowed. */
export function checkReaddress(current: string | undefined, to: string): ReaddressCheck {
  if (current === undefined || !current.startsWith(HOME_SUBNET4.prefix)) {
    return { ok: false, code: 'no-home-ipv4', message: 'this accessory has no home IPv4 address to renumber (IPv6-only, or not on the home network yet)' }
  }
  const octets = to.split('.')
  if (octets.length !== 4 || !octets.every((o) => /^(0|[1-9]\d{0,2})$/.test(o) && Number(o) <= 255)) {
    return { ok: false, code: 'bad-address', message: `"${to}" is not a dotted-quad IPv4 address` }
  }
  if (!to.startsWith(HOME_SUBNET4.prefix)) {
    return { ok: false, code: 'outside-home-subnet', message: `${to} is outside the lab home subnet ${HOME_SUBNET4.prefix}0/${HOME_SUBNET4.length}` }
  }
  const host = Number(octets[3])
  if (host < RENUMBER_POOL.first || host > RENUMBER_POOL.last) {
    return {
      ok: false,
      code: 'outside-renumber-pool',
      message: `${to} may belong to another lab node; pick ${HOME_SUBNET4.prefix}${RENUMBER_POOL.first}–${RENUMBER_POOL.last} (never assigned at boot)`,
    }
  }
  if (to === current) return { ok: false, code: 'same-address', message: `the accessory already has ${to}` }
  return { ok: true }
}

/**
 * `ip` argument lists that renumber `ifname` from `from` to `to`, as a DHCP client does on a new lease:
 * the old address goes first (adding the new one first would make it a secondary, which the kernel deletes
 * with the primary unless promote_secondaries is set), then the new one; the IPv6 addresses are untouched.
 * Removing the last IPv4 address also removes every IPv4 route via the link, so the routes of `joinHome`
 * (the 224.0.0.0/4 multicast route, docs/lab.md) are put back.
 */
export function readdressCommands(ifname: string, from: string, to: string, joinHome: readonly string[][]): string[][] {
  return [
    ['addr', 'del', `${from}/${HOME_SUBNET4.length}`, 'dev', ifname],
    ['addr', 'add', `${to}/${HOME_SUBNET4.length}`, 'dev', ifname],
    ...joinHome.filter((args) => args[0] === 'route' && args.includes('224.0.0.0/4')),
  ]
}
