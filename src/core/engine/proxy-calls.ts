/**
 * Pieces of the worker engine's proxy manager (client.ts) that hold no state of their own:
 * choosing a subscription's connection, and answering a host's call of a function that
 * stays on this thread (`getToken`, `fetchSnapshot`).
 */
import type { SubscribeOptions } from '../index'
import type { ClientMessage } from './messages'
import type { LocalFunctions, SplitConfig } from './wire-config'

/** The connection a call goes to; throws, as the main-thread manager does, for a bad name. */
export function routeConnection(
  names: readonly string[],
  fallbackRoute: string | undefined,
  options: SubscribeOptions | undefined,
): string {
  const name = options?.connection ?? fallbackRoute
  if (name === undefined || !names.includes(name)) {
    throw new Error(
      name === undefined
        ? `tickwire: several connections (${names.join(', ')}) and none named "default": pass { connection }`
        : `tickwire: no connection named "${name}"`,
    )
  }
  return name
}

/** What {@link answerLocalCall} needs of its proxy. */
export interface LocalCallContext {
  split: SplitConfig
  /** Calls in flight by id, so a `cancel` or `destroy` can abort them. */
  aborts: Map<number, AbortController>
  post(message: ClientMessage): void
  destroyed(): boolean
}

/** Runs a local function the host asked for and posts its reply (unless cancelled). */
export function answerLocalCall(
  context: LocalCallContext,
  id: number,
  connection: string,
  fn: keyof LocalFunctions,
  symbols: string[],
): void {
  const { aborts, post } = context
  const local = context.split.local[connection]
  const controller = new AbortController()
  aborts.set(id, controller)
  const run = async () => {
    if (fn === 'getToken' && local?.getToken) return local.getToken()
    if (fn === 'fetchSnapshot' && local?.fetchSnapshot)
      return local.fetchSnapshot(symbols, controller.signal)
    throw new Error(`tickwire: no ${fn} for connection "${connection}"`)
  }
  run().then(
    (value) => {
      if (aborts.delete(id) && !context.destroyed()) post({ type: 'reply', id, ok: true, value })
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error)
      if (aborts.delete(id) && !context.destroyed()) post({ type: 'reply', id, ok: false, message })
    },
  )
}
