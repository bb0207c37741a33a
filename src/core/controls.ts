import { setSlotEnabled, type SwitchableSlot } from './connection/switch'
import type { PricePipeline, PipelineInput } from './prices/pipeline'
import type { StreamManager, SubscribeOptions } from './stream-manager'
import type { Subscriptions } from './subscriptions/ref-counts'
import type { TimerProvider } from './timers'

/** What the runtime controls need of the manager. */
export interface ControlsOptions<S extends SwitchableSlot & ControlledSlot> {
  route(options: SubscribeOptions | undefined): S
  subscriptions: Subscriptions
  pipeline: PricePipeline
  timers: TimerProvider
  /** The configured `throttleMs`, which `setThrottle(undefined)` goes back to. */
  throttleMs: number
  started(): boolean
  destroyed(): boolean
}

/** The part of a manager's slot the controls read. */
export interface ControlledSlot {
  readonly name: string
  readonly lazy: boolean
  readonly input: PipelineInput
}

/**
 * The settings a running manager takes without being rebuilt: a connection switched off or
 * on, the per-symbol throttle, and a REST snapshot seeded for the first paint. The user
 * settings (`useStreamSettings`) and first paint (`usePriceSnapshot`) drive them.
 */
export function createControls<S extends SwitchableSlot & ControlledSlot>(
  options: ControlsOptions<S>,
): Pick<StreamManager, 'setConnectionEnabled' | 'setThrottle' | 'seedPrices'> {
  const { route, subscriptions, pipeline, timers, destroyed } = options
  return {
    setConnectionEnabled(name, enabled) {
      if (destroyed()) return
      const slot = route({ connection: name })
      const wanted = subscriptions.wanted(slot.name).length > 0
      setSlotEnabled(slot, enabled, options.started() && (!slot.lazy || wanted))
    },
    setThrottle(ms) {
      const next = ms ?? options.throttleMs
      if (!(typeof next === 'number' && Number.isFinite(next) && next >= 0)) {
        throw new RangeError(`tickwire: bad throttleMs ${String(ms)}`)
      }
      if (!destroyed()) pipeline.setThrottle(next)
    },
    seedPrices(snapshot, seedOptions) {
      if (destroyed()) return
      const slot = route(seedOptions)
      // Wanted now, not only once sent: a snapshot that arrives in the task that subscribed
      // (data hydrated from the server) must not wait for the end-of-task hand-over.
      slot.input.seed(snapshot, timers.now(), new Set(subscriptions.wanted(slot.name)))
    },
  }
}
