/**
 * The tab's link to its engine host, loaded on demand: ./proxy-state.ts imports this module
 * dynamically when the manager first opens its channel, so a bundler puts it (the channels to
 * a Worker, a SharedWorker or a leader tab, and the handling of the host's messages) in a
 * chunk of its own that an app on the main-thread engine never loads. Until it has loaded,
 * the manager's commands wait in its channel (./lazy-channel.ts).
 */
import { dedicatedChannel, sharedChannel } from './channels'
import type { EngineChannel } from './client'
import { leaderChannel } from './leader'
import { createFrameWriter } from './proxy-frames'
import { handleHostMessage } from './proxy-inbound'
import type { ProxyState } from './proxy-state'

/** Where a tab's proxy finds its host. */
export type HostPlace =
  | { kind: 'worker'; workerUrl: string | URL | undefined }
  | {
      kind: 'shared'
      name: string
      workerUrl: string | URL | undefined
      /** A SharedWorker, or (Chrome on Android) a worker of the tab elected leader. */
      via: 'shared-worker' | 'leader'
    }

/** Opens the channel to `place` and gives `state` the handling of what comes back. */
export function linkToHost(state: ProxyState, place: HostPlace): EngineChannel {
  state.frames = createFrameWriter(
    state.store,
    () => !state.destroyed,
    () => state.channel.post({ type: 'ack' }),
  )
  state.inbound = (message) => handleHostMessage(state, message)
  if (place.kind === 'worker') return dedicatedChannel(place.workerUrl)
  return place.via === 'shared-worker'
    ? sharedChannel(place.name, place.workerUrl)
    : leaderChannel(place.name, place.workerUrl)
}
