/**
 * The wanted set of one connection, from `setWanted()` to the server: the protocol's symbol
 * limit (subscriptions/symbol-limit.ts), and the delivery the transport's capabilities choose
 * (transports/url-symbols.ts): frames on the open socket, or a reopen with a new URL.
 */
import { DEFAULTS } from '../config'
import { createSymbolLimit } from '../subscriptions/symbol-limit'
import { framesDelivery, urlDelivery, type WantedDelivery } from '../transports/url-symbols'
import { halted, type ConnectionCore } from './connection-core'
import type { SocketOpening } from './socket-opening'
import type { Connection } from './types'

/** The delivery for the connection's transport; `reopen` opens a socket for a changed set. */
export function deliveryFor(core: ConnectionCore, reopen: () => void): WantedDelivery {
  const { socket } = core
  if (core.cfg.transport.capabilities.symbols !== 'url') return framesDelivery(() => socket.session)
  return urlDelivery({
    timers: core.timers,
    delayMs: DEFAULTS.sseReopenDelayMs,
    hasSocket: () => socket.attempt !== null,
    reopen,
  })
}

/** The connection's side of the wanted set. */
export interface WantedSymbols extends Pick<Connection, 'setWanted' | 'resync'> {
  /** Stops the symbol limit's pending report. */
  stop(): void
}

/** Creates it; `opening` opens or idles the connection when the set becomes usable or empty. */
export function createWantedSymbols(
  core: ConnectionCore,
  delivery: WantedDelivery,
  opening: Pick<SocketOpening, 'begin' | 'waitForSymbols'>,
): WantedSymbols {
  const { protocol } = core.cfg
  const limit = createSymbolLimit({
    max: protocol.maxSymbolsPerConnection,
    protocolName: protocol.name,
    report(symbols, message) {
      const event = { type: 'symbol_error' as const, code: 'limit_exceeded', message, symbols }
      core.callbacks.onData(event, core.timers.now())
    },
  })

  function wantedChanged(): void {
    const { info, wanted, held } = core
    const inactive =
      !core.started || halted(core) || info.status === 'error' || info.status === 'closed'
    if (core.waiting) return void (!inactive && delivery.canOpen(held) && opening.begin())
    if (!inactive && !delivery.canOpen(wanted)) return opening.waitForSymbols()
    delivery.changed(wanted, held)
  }

  return {
    setWanted(symbols, heldSymbols = symbols) {
      const wanted = limit.apply(symbols, core.wanted)
      core.wanted = wanted
      // Usually every wanted symbol is held: then one set serves both (no copy per symbol).
      const all = heldSymbols.length === wanted.size && heldSymbols.every((s) => wanted.has(s))
      core.held = all ? wanted : new Set(heldSymbols.filter((symbol) => wanted.has(symbol)))
      wantedChanged()
    },
    resync(symbols) {
      if (core.socket.session) delivery.resync(symbols, core.wanted, core.held)
    },
    stop: () => limit.stop(),
  }
}
