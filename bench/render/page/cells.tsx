/**
 * The cell every React variant but the PriceFlash boards renders: the same markup and classes
 * as PriceFlash (so tickwire's styles.css draws the same default step flash), with the flash
 * done the way an app would write it: a direction set on change and cleared by a timer per
 * cell, through React state. Cells are memoised: a careful React app does that, and it makes
 * the comparison harder for tickwire.
 */
import { memo, Profiler, useEffect, useState } from 'react'
import { commit, formatter, SYMBOLS } from './harness'

/** Prices by symbol, as the non-tickwire React variants keep them. */
export type Prices = Readonly<Record<string, number>>

/** Wire messages the variants read (PROTOCOL.md 3.2 to 3.4), typed as far as they use them. */
export interface WireMessage {
  type: string
  symbol?: string
  data?: { price?: number }
  messages?: WireMessage[]
}

/** Returns `prices` with the snapshot and delta prices of one decoded frame applied. */
export function applyFrame(prices: Prices, message: WireMessage): Prices {
  const list = message.type === 'batch' ? (message.messages ?? []) : [message]
  let next: Record<string, number> | null = null
  for (const m of list) {
    if (
      (m.type === 'delta' || m.type === 'snapshot') &&
      m.symbol !== undefined &&
      typeof m.data?.price === 'number'
    ) {
      next ??= { ...prices }
      next[m.symbol] = m.data.price
    }
  }
  return next ?? prices
}

const FLASH_MS = 700

/** `up`/`down` for FLASH_MS after the value changes, `null` otherwise. */
function useFlash(value: number | undefined): 'up' | 'down' | null {
  const [shown, setShown] = useState(value)
  const [flash, setFlash] = useState<{ direction: 'up' | 'down' } | null>(null)
  if (shown !== value) {
    // Adjusting state during render: the flash starts in the same commit as the new value.
    setShown(value)
    if (shown !== undefined && value !== undefined)
      setFlash({ direction: value > shown ? 'up' : 'down' })
  }
  useEffect(() => {
    if (flash === null) return undefined
    const timer = setTimeout(() => setFlash(null), FLASH_MS)
    return () => clearTimeout(timer)
  }, [flash])
  return flash?.direction ?? null
}

/** One board cell: symbol and a flashing price, PriceFlash's markup. */
export const FlashCell = memo(function FlashCell({
  symbol,
  price,
}: {
  symbol: string
  price: number | undefined
}) {
  const direction = useFlash(price)
  return (
    <div className="cell">
      <span className="sym">{symbol}</span>
      <span
        className="tw-price-flash"
        data-direction={direction ?? 'none'}
        data-arrow="true"
        style={{ ['--tw-flash-ms' as string]: `${FLASH_MS}ms` }}
      >
        <span className="tw-price-flash__value">
          {price === undefined ? '—' : formatter.format(price)}
        </span>
        <span className="tw-price-flash__arrow" aria-hidden="true">
          {direction === 'up' ? '▲' : direction === 'down' ? '▼' : ''}
        </span>
      </span>
    </div>
  )
})

export function StateBoard({ prices }: { prices: Prices }) {
  return (
    <Profiler id="board" onRender={commit}>
      <div className="board">
        {SYMBOLS.map((s) => (
          <FlashCell key={s} symbol={s} price={prices[s]} />
        ))}
      </div>
    </Profiler>
  )
}
