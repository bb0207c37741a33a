import { forwardRef, useEffect, useRef, type HTMLAttributes, type RefObject } from 'react'
import { useStreamManager } from '../react/context'
import { useStreamListener } from '../react/useStreamListener'
import {
  splitSourceProps,
  summarize,
  useStatusSummary,
  type ConnectionMap,
  type StatusSourceProps,
  type StatusSummary,
} from './connectionData'
import { StatsTooltip, type StatsSource } from './StatsTooltip'
import { STATUS_LABELS } from './statusView'
import { classNames } from './utils'

/** Props of `ConnectionIndicator`; other attributes go to the root `span`. */
export interface ConnectionIndicatorProps
  extends StatusSourceProps, Omit<HTMLAttributes<HTMLSpanElement>, 'children'> {
  /**
   * Accessible name of the dot's button; the state word is appended ("Connection: Live").
   * @defaultValue 'Connection'
   */
  label?: string
  /**
   * Pulses the dot when data arrives (never under `prefers-reduced-motion: reduce`).
   * @defaultValue true
   */
  pulse?: boolean
}

/** Shortest time between two pulses, in ms: a steady stream pulses at a calm pace. */
const PULSE_GAP_MS = 800

/**
 * A compact dot for headers with the same statistics tooltip as `ConnectionStatus`. The dot's
 * shape changes with the state too (filled, ring, dashed, crossed), so colour is never the
 * only signal, and its button is named "Connection: Live" and so on.
 *
 * The pulse on data arrival is a CSS animation restarted by flipping `data-pulse` on the dot
 * from a store listener (`useStreamListener`): no React state and no render per message.
 *
 * @example
 * ```tsx
 * <header>Prices <ConnectionIndicator /></header>
 * ```
 */
export const ConnectionIndicator = forwardRef<HTMLSpanElement, ConnectionIndicatorProps>(
  function ConnectionIndicator(props, ref) {
    const { connection, connections, stale, delayedAfterMs, rest } = splitSourceProps(props)
    return connections === undefined ? (
      <ProviderIndicator
        {...rest}
        ref={ref}
        connection={connection}
        delayedAfterMs={delayedAfterMs}
      />
    ) : (
      <ControlledIndicator
        {...rest}
        ref={ref}
        connections={connections}
        connection={connection}
        stale={stale}
        delayedAfterMs={delayedAfterMs}
      />
    )
  },
)

type ViewProps = Omit<ConnectionIndicatorProps, keyof StatusSourceProps> &
  Pick<StatusSourceProps, 'tooltipDelayMs'>

interface ResolvedSource {
  connection: string | undefined
  delayedAfterMs: number
}

const ControlledIndicator = forwardRef<
  HTMLSpanElement,
  ViewProps & ResolvedSource & { connections: ConnectionMap; stale: boolean }
>(function ControlledIndicator({ connections, connection, stale, delayedAfterMs, ...rest }, ref) {
  const dotRef = useRef<HTMLSpanElement>(null)
  const received = messagesIn(connections, connection)
  const pulse = rest.pulse ?? true
  // The count at mount is history, not data arriving: only later increases pulse.
  const seen = useRef(received)
  useEffect(() => {
    if (pulse && received > seen.current) pulseDot(dotRef.current)
    seen.current = received
  }, [received, pulse])
  return (
    <IndicatorDot
      {...rest}
      ref={ref}
      dotRef={dotRef}
      summary={summarize(connections, connection, () => stale, delayedAfterMs)}
      delayedAfterMs={delayedAfterMs}
      source={{ kind: 'controlled', connections, stale }}
    />
  )
})

const ProviderIndicator = forwardRef<HTMLSpanElement, ViewProps & ResolvedSource>(
  function ProviderIndicator({ connection, delayedAfterMs, ...rest }, ref) {
    useStreamManager('ConnectionIndicator')
    const summary = useStatusSummary(connection, delayedAfterMs)
    const dotRef = useRef<HTMLSpanElement>(null)
    const pulse = rest.pulse ?? true
    // Outside render: the pulse is a DOM attribute flip, never a React render per message.
    useStreamListener(
      (state) => (pulse ? messagesIn(state.connections, connection) : 0),
      (now, before) => {
        if (now > before) pulseDot(dotRef.current)
      },
    )
    return (
      <IndicatorDot
        {...rest}
        ref={ref}
        dotRef={dotRef}
        summary={summary}
        delayedAfterMs={delayedAfterMs}
        source={{ kind: 'provider', connection }}
      />
    )
  },
)

interface IndicatorDotProps extends ViewProps {
  summary: StatusSummary
  delayedAfterMs: number
  source: StatsSource
  dotRef: RefObject<HTMLSpanElement | null>
}

const IndicatorDot = forwardRef<HTMLSpanElement, IndicatorDotProps>(
  function IndicatorDot(props, ref) {
    const {
      summary,
      delayedAfterMs,
      source,
      dotRef,
      label = 'Connection',
      pulse: _pulse,
      tooltipDelayMs = 300,
      className,
      ...rest
    } = props
    return (
      <span
        {...rest}
        ref={ref}
        className={classNames('tw-connection-indicator', className)}
        data-status={summary.kind}
      >
        <StatsTooltip
          source={source}
          delayedAfterMs={delayedAfterMs}
          block="tw-connection-indicator"
          delayMs={tooltipDelayMs}
        >
          <button
            type="button"
            className="tw-connection-indicator__trigger"
            aria-label={`${label}: ${STATUS_LABELS[summary.kind]}`}
          >
            <span ref={dotRef} className="tw-connection-indicator__dot" aria-hidden="true" />
          </button>
        </StatsTooltip>
      </span>
    )
  },
)

function messagesIn(connections: ConnectionMap, connection: string | undefined): number {
  if (connection !== undefined) return connections[connection]?.stats.messagesIn ?? 0
  let sum = 0
  for (const info of Object.values(connections)) sum += info.stats.messagesIn
  return sum
}

/** Last pulse per dot, kept off the element so nothing shows up in the DOM for it. */
const lastPulse = new WeakMap<HTMLElement, number>()

/**
 * Restarts the dot's pulse animation. Changing the animation name restarts a CSS animation,
 * so the attribute flips between two names that share one set of keyframes.
 */
function pulseDot(dot: HTMLElement | null): void {
  if (dot === null) return
  const now = performance.now()
  if (now - (lastPulse.get(dot) ?? -Infinity) < PULSE_GAP_MS) return
  lastPulse.set(dot, now)
  dot.dataset.pulse = dot.dataset.pulse === 'a' ? 'b' : 'a'
}
