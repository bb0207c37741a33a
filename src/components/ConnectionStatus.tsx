import { forwardRef, type HTMLAttributes, type MouseEvent } from 'react'
import { useStreamManager } from '../react/context'
import {
  splitSourceProps,
  summarize,
  useNow,
  useStatusSummary,
  type StatusSourceProps,
  type StatusSummary,
} from './connectionData'
import { StatsTooltip, type StatsSource } from './StatsTooltip'
import { secondsUntil, STATUS_LABELS } from './statusView'
import { classNames, VISUALLY_HIDDEN } from './utils'

/** Props of `ConnectionStatus`; other attributes go to the root `span`. */
export interface ConnectionStatusProps
  extends StatusSourceProps, Omit<HTMLAttributes<HTMLSpanElement>, 'children' | 'role'> {
  /**
   * Compact pill for tight headers: the dot and the word, no countdown and no reconnect
   * button (the tooltip still has everything).
   * @defaultValue false
   */
  compact?: boolean
  /**
   * Shows a Reconnect button while the state is not Live or Connecting.
   * @defaultValue true
   */
  showReconnect?: boolean
  /**
   * Called when the Reconnect button is pressed, before the provider's `reconnect()`; call
   * `event.preventDefault()` to skip that. In controlled mode it is the only effect.
   * @defaultValue undefined
   */
  onReconnect?: (event: MouseEvent<HTMLButtonElement>) => void
}

/**
 * A status pill: Connecting, Live, Delayed, Reconnecting (with a countdown), Polling or
 * Offline, with `data-status` on the root. Its statistics tooltip opens on hover and on
 * keyboard focus. The root is a polite `role="status"` live region whose only changing text is
 * the state word, so screen readers hear state changes and nothing per message.
 *
 * @example
 * ```tsx
 * <StreamProvider url="wss://feed.example.com/ws">
 *   <ConnectionStatus />
 * </StreamProvider>
 * ```
 */
export const ConnectionStatus = forwardRef<HTMLSpanElement, ConnectionStatusProps>(
  function ConnectionStatus(props, ref) {
    const { connection, connections, stale, delayedAfterMs, rest } = splitSourceProps(props)
    if (connections === undefined) {
      return (
        <ProviderConnectionStatus
          {...rest}
          ref={ref}
          connection={connection}
          delayedAfterMs={delayedAfterMs}
        />
      )
    }
    return (
      <StatusPill
        {...rest}
        ref={ref}
        summary={summarize(connections, connection, () => stale, delayedAfterMs)}
        delayedAfterMs={delayedAfterMs}
        source={{ kind: 'controlled', connections, stale }}
        reconnect={undefined}
      />
    )
  },
)

type ViewProps = Omit<ConnectionStatusProps, keyof StatusSourceProps> &
  Pick<StatusSourceProps, 'tooltipDelayMs'>

const ProviderConnectionStatus = forwardRef<
  HTMLSpanElement,
  ViewProps & { connection: string | undefined; delayedAfterMs: number }
>(function ProviderConnectionStatus({ connection, delayedAfterMs, ...rest }, ref) {
  const manager = useStreamManager('ConnectionStatus')
  const summary = useStatusSummary(connection, delayedAfterMs)
  return (
    <StatusPill
      {...rest}
      ref={ref}
      summary={summary}
      delayedAfterMs={delayedAfterMs}
      source={{ kind: 'provider', connection }}
      reconnect={() => manager.reconnect(connection)}
    />
  )
})

interface StatusPillProps extends ViewProps {
  summary: StatusSummary
  delayedAfterMs: number
  source: StatsSource
  reconnect: (() => void) | undefined
}

const StatusPill = forwardRef<HTMLSpanElement, StatusPillProps>(function StatusPill(props, ref) {
  const {
    summary,
    delayedAfterMs,
    source,
    reconnect,
    compact = false,
    showReconnect = true,
    onReconnect,
    tooltipDelayMs = 300,
    className,
    ...rest
  } = props
  const { kind } = summary
  const counting = kind === 'reconnecting' && summary.nextRetryAt !== undefined && !compact
  const now = useNow(counting)
  const retryIn = counting ? secondsUntil(summary.nextRetryAt, now) : undefined
  const reconnectShown = showReconnect && !compact && kind !== 'live' && kind !== 'connecting'

  const handleReconnect = (event: MouseEvent<HTMLButtonElement>) => {
    onReconnect?.(event)
    if (!event.defaultPrevented) reconnect?.()
  }

  return (
    // A span, not a div: the pill sits inside headings and lines of text (phrasing content).
    <span
      {...rest}
      ref={ref}
      role="status"
      className={classNames('tw-connection-status', className)}
      data-status={kind}
      data-compact={compact ? '' : undefined}
    >
      <StatsTooltip
        source={source}
        delayedAfterMs={delayedAfterMs}
        block="tw-connection-status"
        delayMs={tooltipDelayMs}
      >
        <button type="button" className="tw-connection-status__trigger">
          <span className="tw-connection-status__dot" aria-hidden="true" />
          <span style={VISUALLY_HIDDEN}>Connection: </span>
          <span className="tw-connection-status__label">{STATUS_LABELS[kind]}</span>
          {retryIn !== undefined && (
            // aria-hidden: a live region must not read the countdown out every second; the
            // tooltip (the button's description) carries the next retry for screen readers.
            <span className="tw-connection-status__countdown" aria-hidden="true">
              {retryIn > 0 ? ` in ${retryIn}s` : ' now'}
            </span>
          )}
        </button>
      </StatsTooltip>
      {reconnectShown && (
        <button type="button" className="tw-connection-status__reconnect" onClick={handleReconnect}>
          Reconnect
        </button>
      )}
    </span>
  )
})
