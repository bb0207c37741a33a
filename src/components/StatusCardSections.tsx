import type { MouseEvent } from 'react'
import { cardRows, type CardConnectionInfo } from './statusCardRows'
import { statusKind } from './statusView'

/** Props of {@link CardConnection}. */
export interface CardConnectionProps {
  name: string
  info: CardConnectionInfo
  stale: boolean
  delayedAfterMs: number
  /** The connection's symbols, for the Symbols row; none without. */
  symbols: readonly string[] | undefined
  /** The time of the card's last tick, for ages and countdowns. */
  now: number
  /** The heading of the connection's name, shown on a card for all connections; none on a card for one. */
  heading: 'h3' | 'h4' | 'h5' | 'h6' | undefined
}

/** One connection's group of a status card: its name (when the card shows several) and its rows. */
export function CardConnection(props: CardConnectionProps) {
  const { name, info, stale, delayedAfterMs, symbols, now, heading: Heading } = props
  const kind = statusKind(info, { delayedAfterMs, stale })
  const rows = cardRows({ info, kind, symbols, stale, now })
  return (
    <div className="tw-status-card__connection" data-status={kind} data-connection={name}>
      {/* The name is text from configuration: rendered as text, never as markup. */}
      {Heading && <Heading className="tw-status-card__connection-name">{name}</Heading>}
      <dl className="tw-status-card__list">
        {rows.map((row) => (
          <div key={row.key} className="tw-status-card__row" data-row={row.key}>
            <dt>{row.term}</dt>
            <dd>{row.value}</dd>
          </div>
        ))}
      </dl>
    </div>
  )
}

type PressHandler = ((event: MouseEvent<HTMLButtonElement>) => void) | undefined

/** Props of {@link CardActions}. */
export interface CardActionsProps {
  onReconnect: PressHandler
  onDisconnect: PressHandler
  /** The manager's actions; undefined in controlled mode. */
  actions: { reconnect(): void; disconnect(): void } | undefined
  /** Every connection shown is closed: Disconnect has nothing to do. */
  allClosed: boolean
}

/**
 * The card's Reconnect and Disconnect buttons. Each calls the app's handler first, then the
 * manager's action unless the handler called `event.preventDefault()`.
 */
export function CardActions({ onReconnect, onDisconnect, actions, allClosed }: CardActionsProps) {
  const press =
    (handler: PressHandler, action: (() => void) | undefined) =>
    (event: MouseEvent<HTMLButtonElement>) => {
      handler?.(event)
      if (!event.defaultPrevented) action?.()
    }
  return (
    <div className="tw-status-card__actions">
      <button
        type="button"
        className="tw-status-card__reconnect"
        onClick={press(onReconnect, actions?.reconnect)}
      >
        Reconnect
      </button>
      <button
        type="button"
        className="tw-status-card__disconnect"
        disabled={allClosed}
        onClick={press(onDisconnect, actions?.disconnect)}
      >
        Disconnect
      </button>
    </div>
  )
}
