/**
 * A small typed event hub: services publish contract events, hosts subscribe and forward them to their
 * transport. `main/` never knows windows or sockets to the renderer exist.
 */
import type { EventName, Events } from '../shared/ipc'

/** Receives every event with its name. */
export type EventListener = <E extends EventName>(event: E, payload: Events[E]) => void

/** Publish/subscribe for contract events. */
export interface EventHub {
  emit<E extends EventName>(event: E, payload: Events[E]): void
  /** Subscribes to all events; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void
}

/** Creates a hub; a throwing listener is reported and does not stop the others. */
export function createEventHub(onListenerError: (error: unknown) => void = () => undefined): EventHub {
  const listeners = new Set<EventListener>()
  return {
    emit(event, payload) {
      for (const listener of [...listeners]) {
        try {
          listener(event, payload)
        } catch (error) {
          onListenerError(error)
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
  }
}
