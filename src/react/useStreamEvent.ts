import { useEffect } from 'react'
import { useStreamManager } from './context'
import { useLatest } from './useLatest'

/** Options of {@link useStreamEvent}. */
export interface UseStreamEventOptions {
  /** Only messages from this connection. @defaultValue every connection */
  connection?: string
}

/** Where a message came from, passed to the handler beside the message. */
export interface StreamEventMeta {
  connection: string
}

/** A handler of {@link useStreamEvent}. */
export type StreamEventHandler<M> = (message: M, meta: StreamEventMeta) => void

function messageType(message: unknown): unknown {
  return typeof message === 'object' && message !== null
    ? (message as { type?: unknown }).type
    : undefined
}

/**
 * Calls `handler` for every application message of `type` (server messages that are not
 * prices, such as `{ "type": "order", ... }`); `'*'` means every application message.
 *
 * The handler may be a new inline function on every render: the latest one is kept in a ref
 * and the listener is added once, so changing it never resubscribes. The listener is removed
 * on unmount. The handler runs when the message arrives, outside React's render, so it may
 * set state freely.
 *
 * @typeParam M - The shape you expect for this message type; it is not validated.
 *
 * @example
 * ```tsx
 * function Orders() {
 *   const [orders, setOrders] = useState<Order[]>([])
 *   useStreamEvent<Order>('order', (order) => setOrders((list) => [order, ...list]))
 *   return <OrderList orders={orders} />
 * }
 * ```
 */
export function useStreamEvent<M = unknown>(
  type: string,
  handler: StreamEventHandler<M>,
  options: UseStreamEventOptions = {},
): void {
  const manager = useStreamManager('useStreamEvent')
  const latest = useLatest(handler)
  const { connection } = options

  useEffect(
    () =>
      manager.on('message', (event) => {
        if (connection !== undefined && event.connection !== connection) return
        if (type !== '*' && messageType(event.message) !== type) return
        latest.current(event.message as M, { connection: event.connection })
      }),
    [manager, type, connection, latest],
  )
}
