/**
 * The lifetime of one self-test probe: one overall timeout, timers that never outlive it, and every socket
 * closed when it ends, whether by timeout, early success or the first failure.
 */
import type { Clock, TimerHandle } from '../util/clock'
import { toFailure, type SocketFailure } from './multicast-errors'
import type { SelfTestSocket, SelfTestSocketFactory, SelfTestSocketOptions } from './multicast-socket'

/** What a session needs: time, sockets and the bound. */
export interface SessionEnv {
  clock: Clock
  factory: SelfTestSocketFactory
  timeoutMs: number
}

/** A bounded probe run. */
export interface Session {
  /** Opens a socket that is closed when the session ends. */
  open(options: SelfTestSocketOptions): SelfTestSocket | SocketFailure
  at(ms: number, fn: () => void): void
  /** Ends the session with this failure (the first one wins). */
  fail(failure: SocketFailure): void
  end(): void
  isOver(): boolean
  elapsed(): number
  /** Resolves when the session is over, with its failure if any. */
  ended: Promise<SocketFailure | undefined>
}

/** Starts a session; it ends by itself after `timeoutMs`. */
export function createSession(env: SessionEnv): Session {
  const sockets: SelfTestSocket[] = []
  const timers: TimerHandle[] = []
  const start = env.clock.now()
  let over = false
  let failure: SocketFailure | undefined
  let release: (f: SocketFailure | undefined) => void = () => undefined
  const ended = new Promise<SocketFailure | undefined>((resolve) => (release = resolve))
  const end = () => {
    if (over) return
    over = true
    timers.forEach((t) => env.clock.clearTimeout(t))
    sockets.forEach((s) => s.close())
    release(failure)
  }
  timers.push(env.clock.setTimeout(end, env.timeoutMs))
  return {
    open(options) {
      const socket = env.factory(options)
      if (socket instanceof Error) return toFailure('socket', options.family, socket)
      if (over) socket.close()
      else sockets.push(socket)
      return socket
    },
    at(ms, fn) {
      if (!over) timers.push(env.clock.setTimeout(() => {
        if (!over) fn()
      }, ms))
    },
    fail(f) {
      if (over) return
      failure ??= f
      end()
    },
    end,
    isOver: () => over,
    elapsed: () => env.clock.now() - start,
    ended,
  }
}
