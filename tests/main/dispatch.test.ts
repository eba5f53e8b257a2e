import { describe, expect, it } from 'vitest'
import { dispatch } from '../../main/dispatch'
import { createHandlers } from '../../main/handlers'
import { quietDiagnose, quietDiscovery, quietSessions, quietSetup } from '../helpers/quiet-discovery'
import type { Handlers } from '../../shared/ipc'

const handlers = createHandlers({
  host: { kind: 'cli', name: 'Porchlight', version: '9.9.9' },
  readInterfaces: async () => [],
  discovery: quietDiscovery(),
  sessions: quietSessions(),
  diagnose: quietDiagnose(),
  setup: quietSetup(),
})

describe('dispatch', () => {
  it('runs a known channel with a valid payload', async () => {
    const result = await dispatch(handlers, 'app:info', undefined)
    expect(result).toMatchObject({ ok: true, value: { version: '9.9.9', hostKind: 'cli', platform: process.platform } })
  })

  it('refuses channels outside the contract, including prototype keys', async () => {
    for (const channel of ['app:nope', '__proto__', 'constructor', 'toString', 42, null]) {
      const result = await dispatch(handlers, channel, undefined)
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown-channel' } })
    }
  })

  it('refuses a payload that does not match the channel’s schema, saying where', async () => {
    const result = await dispatch(handlers, 'net:interfaces', { unexpected: true })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('invalid-request')
    expect(result.error.message).toContain('net:interfaces')
  })

  it('turns a throwing handler into an internal error without passing the thrown text to the renderer', async () => {
    const reported: unknown[] = []
    const throwing: Handlers = { ...handlers, 'net:interfaces': async () => { throw new Error('secret passphrase hunter2') } }
    const result = await dispatch(throwing, 'net:interfaces', undefined, (_ch, error) => reported.push(error))
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } })
    expect(JSON.stringify(result)).not.toContain('hunter2')
    expect(reported).toHaveLength(1)
  })
})
