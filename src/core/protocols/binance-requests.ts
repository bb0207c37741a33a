/**
 * Requests of the Binance adapter (binance.ts) and the replies to them: SUBSCRIBE and
 * UNSUBSCRIBE frames, and `{"result":…,"id":n}` or error objects answering them, an error
 * naming the symbols of the frame it answers.
 */
import type { BinanceNames } from './binance-names'
import { isRecord } from './binanceValues'
import type { InboundEvent } from './types'

/** Ids remembered for replies that never come: only the most recent ones are kept. */
const PENDING_LIMIT = 256

/** A SUBSCRIBE or UNSUBSCRIBE frame. */
export interface BinanceMethodFrame {
  method: 'SUBSCRIBE' | 'UNSUBSCRIBE'
  params: string[]
  id: number
}

/** The requests of one adapter, see the module comment. */
export interface BinanceRequests {
  /** A frame asking for (or dropping) every stream of these symbols, remembered by `id`. */
  frame(
    method: BinanceMethodFrame['method'],
    symbols: readonly string[],
    id: number,
  ): BinanceMethodFrame
  /** The events of a reply or an error object; undefined when `raw` is neither. */
  decodeReply(raw: Record<string, unknown>): InboundEvent[] | undefined
}

/** Requests for these streams of each symbol, written with `names`. */
export function createBinanceRequests(
  names: BinanceNames,
  streams: readonly string[],
): BinanceRequests {
  // The symbols of each outbound frame by id, so an error reply can name them. Bounded: an
  // id is forgotten once answered, and only the most recent ids are kept if replies never come.
  const pending = new Map<number, string[]>()

  function errorEvent(error: Record<string, unknown>, id: number | undefined): InboundEvent {
    const symbols = id === undefined ? undefined : pending.get(id)
    if (id !== undefined) pending.delete(id)
    const code = error['code']
    const msg = typeof error['msg'] === 'string' ? error['msg'] : 'error'
    return {
      type: 'error',
      // Codes 0 to 3 are all malformed-request replies in the exchange's table.
      code:
        typeof code === 'number' && code >= 0 && code <= 3
          ? 'bad_request'
          : `binance_${String(code)}`,
      message: msg,
      ...(symbols === undefined ? {} : { symbols }),
      ...(id === undefined ? {} : { id }),
    }
  }

  return {
    frame(method, symbols, id) {
      const params: string[] = []
      for (const symbol of symbols) {
        const name = names.toWire(symbol)
        for (const stream of streams) params.push(`${name}@${stream}`)
      }
      pending.set(id, [...symbols])
      if (pending.size > PENDING_LIMIT) {
        const oldest = pending.keys().next()
        if (oldest.done !== true) pending.delete(oldest.value)
      }
      return { method, params, id }
    },
    decodeReply(raw) {
      const id = raw['id']
      const numericId = typeof id === 'number' && Number.isSafeInteger(id) ? id : undefined
      const nested = raw['error']
      const error = isRecord(nested) ? nested : 'code' in raw && 'msg' in raw ? raw : undefined
      if (error !== undefined) return [errorEvent(error, numericId)]
      if ('result' in raw && 'id' in raw) {
        if (numericId !== undefined) pending.delete(numericId)
        // `null` acknowledges SUBSCRIBE/UNSUBSCRIBE; anything else answers a query the app sent.
        if (raw['result'] === null && numericId !== undefined)
          return [{ type: 'ack', id: numericId }]
        return [{ type: 'message', message: raw }]
      }
      return undefined
    },
  }
}
