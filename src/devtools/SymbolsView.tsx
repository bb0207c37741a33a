import type { WantedEntry } from './inspection'
import { styles } from './styles'
import { age, type ViewProps } from './view'

/** The symbols tab: every symbol's last update, staleness, error and reference counts. */
export function SymbolsView({
  manager,
  now,
  wanted,
}: ViewProps & { wanted: Record<string, Record<string, WantedEntry>> }) {
  const { prices, symbolErrors } = manager.store.getState()
  const refs = new Map<string, WantedEntry & { connection: string }>()
  for (const [connection, symbols] of Object.entries(wanted)) {
    for (const [symbol, entry] of Object.entries(symbols))
      refs.set(symbol, { ...entry, connection })
  }
  const symbols = [
    ...new Set([...refs.keys(), ...Object.keys(prices), ...Object.keys(symbolErrors)]),
  ].sort()
  return (
    <>
      <table style={styles.table} aria-label="Symbols">
        <thead>
          <tr>
            {[
              'symbol',
              'connection',
              'refs',
              'price',
              'source',
              'seq',
              'last update',
              'stale',
              'error',
            ].map((h) => (
              <th key={h} style={styles.th}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {symbols.map((symbol) => {
            const tick = prices[symbol]
            const ref = refs.get(symbol)
            const error = symbolErrors[symbol]
            return (
              <tr key={symbol} data-symbol={symbol} data-stale={tick?.stale ? 'true' : 'false'}>
                <td style={styles.td}>{symbol}</td>
                <td style={styles.td}>{tick?.connection ?? ref?.connection ?? ''}</td>
                <td style={styles.td}>
                  {ref
                    ? `${ref.refs}${ref.imperative ? ` (${ref.imperative} imperative)` : ''}${ref.pendingRelease ? ' releasing' : ''}`
                    : '—'}
                </td>
                <td style={styles.td}>{tick?.price ?? ''}</td>
                <td style={styles.td}>{tick?.source ?? ''}</td>
                <td style={styles.td}>{tick?.seq ?? ''}</td>
                <td style={styles.td}>{tick ? `${age(now - tick.receivedAt)} ago` : ''}</td>
                <td style={{ ...styles.td, ...(tick?.stale ? styles.stale : {}) }}>
                  {tick ? (tick.stale ? 'stale' : 'fresh') : ''}
                </td>
                <td style={styles.td}>{error ? `${error.code}: ${error.message}` : ''}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </>
  )
}
