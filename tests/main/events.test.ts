import { describe, expect, it } from 'vitest'
import { createEventHub } from '../../main/events'

const change = { interfaces: [], added: ['eth0'], removed: [], changed: [] }

describe('createEventHub', () => {
  it('delivers events to every subscriber until it unsubscribes', () => {
    const hub = createEventHub()
    const seen: string[] = []
    const off = hub.subscribe((event) => seen.push(`a:${event}`))
    hub.subscribe((event) => seen.push(`b:${event}`))
    hub.emit('net:interfacesChanged', change)
    off()
    hub.emit('net:interfacesChanged', change)
    expect(seen).toEqual(['a:net:interfacesChanged', 'b:net:interfacesChanged', 'b:net:interfacesChanged'])
  })

  it('keeps delivering to others when one listener throws, and reports the error', () => {
    const errors: unknown[] = []
    const hub = createEventHub((e) => errors.push(e))
    let delivered = 0
    hub.subscribe(() => { throw new Error('boom') })
    hub.subscribe(() => void delivered++)
    hub.emit('net:interfacesChanged', change)
    expect(delivered).toBe(1)
    expect(errors).toHaveLength(1)
  })
})
