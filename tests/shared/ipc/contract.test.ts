import { describe, expect, it } from 'vitest'
import { createHandlers } from '../../../main/handlers'
import { quietDiagnose, quietDiscovery, quietSessions, quietSetup } from '../../helpers/quiet-discovery'
import { CHANNELS, EVENT_NAMES, IPC_ERROR_CODES, eventSchemas, requestSchemas } from '../../../shared/ipc'

describe('the IPC contract', () => {
  it('has one handler per channel, no more, no fewer (contract keys == handler keys)', () => {
    const handlers = createHandlers({ host: { kind: 'cli', name: 'P', version: '0' }, readInterfaces: async () => [], discovery: quietDiscovery(), sessions: quietSessions(), diagnose: quietDiagnose(), setup: quietSetup() })
    expect(Object.keys(handlers).sort()).toEqual([...CHANNELS].sort())
    expect([...CHANNELS].sort()).toEqual(Object.keys(requestSchemas).sort())
    expect([...EVENT_NAMES].sort()).toEqual(Object.keys(eventSchemas).sort())
  })

  it('names channels feature:verb, events feature:pastTense, error codes kebab-case', () => {
    for (const channel of CHANNELS) expect(channel).toMatch(/^[a-z]+:[a-z][A-Za-z]*$/)
    for (const event of EVENT_NAMES) expect(event).toMatch(/^[a-z]+:[a-z][A-Za-z]*(ed|Found|Lost|Gone)$/)
    for (const code of IPC_ERROR_CODES) expect(code).toMatch(/^[a-z]+(-[a-z]+)*$/)
    expect(new Set(IPC_ERROR_CODES).size).toBe(IPC_ERROR_CODES.length)
  })
})
