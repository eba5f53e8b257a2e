/**
 * The session's timing constants, with the reasons for each value.
 */

/** Connect-race budget per attempt: a LAN peer answers in milliseconds; ARP failure takes ~3 s. */
export const CONNECT_TIMEOUT_MS = 3000
/** Keepalive idle time (ms). libuv also sets TCP_KEEPINTVL 1 s and TCP_KEEPCNT 10, so a dead idle peer fails in ~20 s. */
export const KEEPALIVE_IDLE_MS = 10_000
/** Consecutive failed attempts, and time since the last good link, before the session says offline. */
export const OFFLINE_AFTER_FAILURES = 3
/** See `OFFLINE_AFTER_FAILURES`. */
export const OFFLINE_AFTER_MS = 10_000
/** A stalled link is kept (in case it recovers) for this many intervals of silence, at least 10 s. */
export const ABANDON_AFTER_INTERVALS = 10
