import { forwardRef, useId, type HTMLAttributes, type MouseEvent } from 'react'
import { useStreamManager } from '../react/context'
import { splitSourceProps, summarize, useNow, type StatusSourceProps } from './connectionData'
import type { CardConnectionInfo } from './statusCardRows'
import { CardActions, CardConnection } from './StatusCardSections'
import { STATUS_LABELS } from './statusView'
import { useStatusCardData, type SymbolsByConnection } from './useStatusCardData'
import { classNames } from './utils'

/** Heading levels the card's title may take. */
export type CardHeadingLevel = 2 | 3 | 4 | 5

/** Props of `ConnectionStatusCard`; other attributes go to the root `section`. */
export interface ConnectionStatusCardProps
  extends
    Omit<StatusSourceProps, 'tooltipDelayMs' | 'connections' | 'connection'>,
    Omit<HTMLAttributes<HTMLElement>, 'children' | 'title'> {
  /**
   * Name of the connection to show. Without it, one card shows every connection, each in its
   * own group, headed by the worst state among them.
   * @defaultValue undefined (all connections)
   */
  connection?: string
  /**
   * Shows these connections instead of reading a `StreamProvider` (controlled mode). The
   * Queued frames row shows when an info carries `queuedFrames` (the manager's always do).
   * @defaultValue undefined (read from the nearest `StreamProvider`)
   */
  connections?: Readonly<Record<string, CardConnectionInfo>>
  /**
   * Controlled mode only: the symbols of each connection. With a provider they are read from
   * the manager's wanted set.
   * @defaultValue undefined (no Symbols row)
   */
  symbols?: SymbolsByConnection
  /**
   * The card's heading. The connection's name when `connection` is set, else "Connections".
   * @defaultValue the connection name, or 'Connections'
   */
  title?: string
  /**
   * Level of the card's heading (`h2` to `h5`), to fit the page's outline; each connection of
   * a card for all connections gets the level below.
   * @defaultValue 3
   */
  headingLevel?: CardHeadingLevel
  /**
   * Shows the Reconnect and Disconnect buttons.
   * @defaultValue true
   */
  showActions?: boolean
  /**
   * Called when Reconnect is pressed, before the provider's `reconnect()`; call
   * `event.preventDefault()` to skip that. In controlled mode it is the only effect.
   * @defaultValue undefined
   */
  onReconnect?: (event: MouseEvent<HTMLButtonElement>) => void
  /**
   * Called when Disconnect is pressed, before the provider's `disconnect()`; call
   * `event.preventDefault()` to skip that. In controlled mode it is the only effect.
   * @defaultValue undefined
   */
  onDisconnect?: (event: MouseEvent<HTMLButtonElement>) => void
}

/**
 * A dashboard card for one connection (`connection="prices"`) or for all of them (no
 * `connection`): its state in words and colour, with `data-status` on the root as
 * `ConnectionStatus` has (`connecting | live | delayed | reconnecting | polling | offline`),
 * then a description list per connection: latency (last and smoothed), messages and bytes
 * in and out, reconnects, time since the last message, uptime of the current socket,
 * subscribed symbols, queued frames (when known), the fallback and its reason; and Reconnect
 * and Disconnect buttons that call the provider's manager.
 *
 * Only the state word is a live region (polite), so screen readers hear state changes and
 * nothing per message. Styled by `tickwire/styles.css` with the same CSS variables as the
 * pill; it works unstyled.
 *
 * @example
 * ```tsx
 * <StreamProvider config={{ connections: { prices: { url }, orders: { url: ordersUrl } } }}>
 *   <ConnectionStatusCard />                        // one card for all connections
 *   <ConnectionStatusCard connection="prices" />    // one card for one of them
 * </StreamProvider>
 * ```
 */
export const ConnectionStatusCard = forwardRef<HTMLElement, ConnectionStatusCardProps>(
  function ConnectionStatusCard(props, ref) {
    const { connection, connections, stale, delayedAfterMs, rest } = splitSourceProps(props)
    const { symbols, ...viewProps } = rest
    if (connections === undefined) {
      return (
        <ProviderCard
          {...viewProps}
          ref={ref}
          connection={connection}
          delayedAfterMs={delayedAfterMs}
        />
      )
    }
    const shown = pick(connections, connection)
    return (
      <CardView
        {...viewProps}
        ref={ref}
        connection={connection}
        connections={shown}
        isStale={() => stale}
        symbols={symbols}
        delayedAfterMs={delayedAfterMs}
        actions={undefined}
      />
    )
  },
)

type ViewProps = Omit<ConnectionStatusCardProps, keyof StatusSourceProps | 'symbols'>

function pick(
  connections: Readonly<Record<string, CardConnectionInfo>>,
  connection: string | undefined,
): Readonly<Record<string, CardConnectionInfo>> {
  if (connection === undefined) return connections
  const info = connections[connection]
  return info === undefined ? {} : { [connection]: info }
}

const ProviderCard = forwardRef<
  HTMLElement,
  ViewProps & { connection: string | undefined; delayedAfterMs: number }
>(function ProviderCard({ connection, delayedAfterMs, ...rest }, ref) {
  const manager = useStreamManager('ConnectionStatusCard')
  const data = useStatusCardData(manager, connection)
  return (
    <CardView
      {...rest}
      ref={ref}
      connection={connection}
      connections={data.connections}
      isStale={(name) => data.stale.has(name)}
      symbols={data.symbols}
      delayedAfterMs={delayedAfterMs}
      actions={{
        reconnect: () => manager.reconnect(connection),
        disconnect: () => manager.disconnect(connection),
      }}
    />
  )
})

interface CardViewProps extends ViewProps {
  connection: string | undefined
  connections: Readonly<Record<string, CardConnectionInfo>>
  isStale: (name: string) => boolean
  symbols: SymbolsByConnection | undefined
  delayedAfterMs: number
  /** The manager's actions; undefined in controlled mode. */
  actions: { reconnect(): void; disconnect(): void } | undefined
}

const CardView = forwardRef<HTMLElement, CardViewProps>(function CardView(props, ref) {
  const {
    connection,
    connections,
    isStale,
    symbols,
    delayedAfterMs,
    actions,
    title,
    headingLevel = 3,
    showActions = true,
    onReconnect,
    onDisconnect,
    className,
    ...rest
  } = props
  // Ticks once a second, for "last message", uptime and the retry countdown.
  const now = useNow(true)
  const titleId = useId()
  const { kind } = summarize(connections, connection, isStale, delayedAfterMs)
  const names = Object.keys(connections)
  const Heading = `h${headingLevel}` as const
  const SubHeading = `h${headingLevel + 1}` as 'h3' | 'h4' | 'h5' | 'h6'
  const allClosed =
    names.length > 0 && names.every((name) => connections[name]?.status === 'closed')

  return (
    <section
      {...rest}
      ref={ref}
      aria-labelledby={titleId}
      className={classNames('tw-status-card', className)}
      data-status={kind}
      data-connection={connection}
    >
      <div className="tw-status-card__header">
        <Heading id={titleId} className="tw-status-card__title">
          {title ?? connection ?? 'Connections'}
        </Heading>
        <span role="status" className="tw-status-card__state">
          <span className="tw-status-card__dot" aria-hidden="true" />
          <span className="tw-status-card__label">{STATUS_LABELS[kind]}</span>
        </span>
      </div>
      {names.length === 0 ? (
        <p className="tw-status-card__empty">
          {connection === undefined
            ? 'No connection configured'
            : `No connection named “${connection}”`}
        </p>
      ) : (
        names.map((name) => (
          <CardConnection
            key={name}
            name={name}
            info={connections[name] as CardConnectionInfo}
            stale={isStale(name)}
            delayedAfterMs={delayedAfterMs}
            symbols={symbols?.[name]}
            now={now}
            heading={connection === undefined ? SubHeading : undefined}
          />
        ))
      )}
      {showActions && (
        <CardActions
          onReconnect={onReconnect}
          onDisconnect={onDisconnect}
          actions={actions}
          allClosed={allClosed}
        />
      )}
    </section>
  )
})
