import type { Tx } from './database.ts'

/**
 * How modules tell each other that something happened, without knowing each other: a booking made moves
 * a referral's request on; a merge of two people moves every module's rows to the one kept.
 *
 * Each event's payload is typed here by the module that publishes it, by augmentation beside its manifest:
 *   declare module '#platform/events.ts' { interface HubEvents { 'people.merged': { fromId; toId } } }
 * Listeners run in the publisher's transaction, one after another: the change and everything that follows
 * from it commit together or not at all. A listener that throws rolls the whole change back.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by each publishing module's augmentation
export interface HubEvents {}

export type EventName = keyof HubEvents & string
export type EventListener<K extends EventName> = (tx: Tx, payload: HubEvents[K]) => Promise<void>

/** What a module sees of the bus: only the events its manifest declares. */
export interface ModuleEvents {
  publish<K extends EventName>(tx: Tx, event: K, payload: HubEvents[K]): Promise<void>
  on<K extends EventName>(event: K, listener: EventListener<K>): void
}

export class EventBus {
  private readonly listeners = new Map<string, EventListener<never>[]>()

  /** The bus as one module may use it; anything its manifest does not declare is refused at start. */
  forModule(module: string, declared: { publishes?: string[]; listens?: string[] } = {}): ModuleEvents {
    const publishes = new Set(declared.publishes ?? [])
    const listens = new Set(declared.listens ?? [])
    return {
      publish: async (tx, event, payload) => {
        if (!publishes.has(event))
          throw new Error(`Module ${module} publishes ${event}, which its manifest does not declare`)
        for (const listener of this.listeners.get(event) ?? [])
          await (listener as EventListener<typeof event>)(tx, payload)
      },
      on: (event, listener) => {
        if (!listens.has(event))
          throw new Error(`Module ${module} listens to ${event}, which its manifest does not declare`)
        const list = this.listeners.get(event) ?? []
        list.push(listener as EventListener<never>)
        this.listeners.set(event, list)
      },
    }
  }
}
