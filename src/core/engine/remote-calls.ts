/**
 * The host's side of the functions that stay in a tab (`getToken`, `fetchSnapshot`): the
 * manager in the worker calls a stand-in that asks a tab which declared the function, and
 * waits for its reply. A tab that leaves fails its pending calls, so the connection retries
 * (and the next call goes to another tab).
 */
import type { ConnectionConfig, StreamManagerConfig } from '../index'
import type { HostMessage, RemoteFunction, WireConfig } from './messages'
import { buildProtocol } from './protocols'

/** A tab as the calls see it. */
export interface CallTarget {
  readonly port: { post(message: HostMessage): void }
  readonly gone: boolean
  /** Remote functions this tab answers, as `fn:connection`. */
  readonly answers: ReadonlySet<string>
}

/** The pending calls of a host. */
export interface RemoteCalls {
  /** The manager config a wire config stands for, with stand-ins for the tab's functions. */
  managerConfig(wire: WireConfig): StreamManagerConfig
  /** A tab replied. */
  settle(id: number, reply: { ok: true; value: unknown } | { ok: false; message: string }): void
  /** A tab left: its pending calls fail. */
  forget(target: CallTarget): void
}

interface PendingCall {
  target: CallTarget
  resolve(value: unknown): void
  reject(error: Error): void
}

/** Creates the call bookkeeping over the host's current tabs. */
export function createRemoteCalls(targets: () => Iterable<CallTarget>): RemoteCalls {
  const calls = new Map<number, PendingCall>()
  let nextCall = 1

  function call(fn: RemoteFunction, connection: string, symbols: string[], signal?: AbortSignal) {
    const target = [...targets()].find(
      (each) => !each.gone && each.answers.has(`${fn}:${connection}`),
    )
    if (!target) return Promise.reject(new Error(`tickwire: no tab can answer ${fn}`))
    const id = nextCall++
    return new Promise<unknown>((resolve, reject) => {
      calls.set(id, { target, resolve, reject })
      signal?.addEventListener('abort', () => {
        if (calls.delete(id)) {
          target.port.post({ type: 'cancel', id })
          reject(new Error('aborted'))
        }
      })
      target.port.post({ type: 'call', id, fn, connection, symbols })
    })
  }

  return {
    managerConfig(wire) {
      const connections: Record<string, ConnectionConfig> = {}
      for (const [name, each] of Object.entries(wire.connections)) {
        const { protocol, getToken, fetchSnapshot, ...data } = each
        const config: ConnectionConfig = { ...data }
        if (protocol) config.protocol = buildProtocol(protocol)
        if (getToken) config.getToken = () => call('getToken', name, []) as Promise<string>
        if (fetchSnapshot) {
          config.fetchSnapshot = (symbols, signal) =>
            call('fetchSnapshot', name, symbols, signal) as ReturnType<
              NonNullable<ConnectionConfig['fetchSnapshot']>
            >
        }
        connections[name] = config
      }
      return { ...wire.options, connections }
    },
    settle(id, reply) {
      const pending = calls.get(id)
      if (!pending) return
      calls.delete(id)
      if (reply.ok) pending.resolve(reply.value)
      else pending.reject(new Error(reply.message))
    },
    forget(target) {
      for (const [id, pending] of calls) {
        if (pending.target !== target) continue
        calls.delete(id)
        pending.reject(new Error('tickwire: the tab that was asked has gone'))
      }
    },
  }
}
