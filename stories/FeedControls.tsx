import { useId, useSyncExternalStore } from 'react'
import type { FeedSettings, SimulatedFeed } from './simulatedFeed'

/**
 * The control panel of a simulated feed: buttons for one-off misbehaviour, switches for
 * lasting ones, sliders for rate, size and latency, and a log of what was done.
 */
export function FeedControls({
  feed,
  symbolSlider = true,
}: {
  feed: SimulatedFeed
  symbolSlider?: boolean
}) {
  const snap = useSyncExternalStore(feed.subscribe, feed.getSnapshot, feed.getSnapshot)
  const { settings } = snap
  return (
    <section className="sb-controls" aria-label="Simulated feed controls">
      <div className="sb-controls__row">
        <button type="button" onClick={feed.drop}>
          Drop connection
        </button>
        <button type="button" onClick={feed.sendGarbage}>
          Send garbage
        </button>
        <button type="button" onClick={feed.skipSequence}>
          Skip sequence
        </button>
        <Switch feed={feed} name="stalled" label="Stall" value={settings.stalled} />
        <Switch
          feed={feed}
          name="refuseConnections"
          label="Refuse reconnects"
          value={settings.refuseConnections}
        />
        <Switch feed={feed} name="offline" label="Offline" value={settings.offline} />
      </div>
      <div className="sb-controls__row">
        <Slider
          feed={feed}
          name="rate"
          label="Moves per second"
          min={0}
          max={60}
          step={1}
          value={settings.rate}
        />
        {symbolSlider && (
          <Slider
            feed={feed}
            name="symbolCount"
            label="Symbols"
            min={1}
            max={100}
            step={1}
            value={settings.symbolCount}
          />
        )}
        <Slider
          feed={feed}
          name="latencyMs"
          label="Ping latency (ms)"
          min={0}
          max={3000}
          step={50}
          value={settings.latencyMs}
        />
        <span className="sb-controls__sockets">
          {snap.openSockets} open socket{snap.openSockets === 1 ? '' : 's'}
        </span>
      </div>
      {snap.log.length > 0 && (
        <ol className="sb-controls__log" aria-label="Feed log">
          {snap.log.map((line, i) => (
            <li key={`${i}-${line}`}>{line}</li>
          ))}
        </ol>
      )}
    </section>
  )
}

type BooleanKey = {
  [K in keyof FeedSettings]: FeedSettings[K] extends boolean ? K : never
}[keyof FeedSettings]
type NumberKey = {
  [K in keyof FeedSettings]: FeedSettings[K] extends number ? K : never
}[keyof FeedSettings]

function Switch(props: { feed: SimulatedFeed; name: BooleanKey; label: string; value: boolean }) {
  return (
    <button
      type="button"
      className="sb-controls__switch"
      aria-pressed={props.value}
      onClick={() => props.feed.update({ [props.name]: !props.value })}
    >
      {props.label}: {props.value ? 'on' : 'off'}
    </button>
  )
}

function Slider(props: {
  feed: SimulatedFeed
  name: NumberKey
  label: string
  min: number
  max: number
  step: number
  value: number
}) {
  const id = useId()
  return (
    <span className="sb-controls__slider">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="range"
        min={props.min}
        max={props.max}
        step={props.step}
        value={props.value}
        onChange={(event) => props.feed.update({ [props.name]: Number(event.currentTarget.value) })}
      />
      <output htmlFor={id}>{props.value}</output>
    </span>
  )
}
