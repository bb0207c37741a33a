import type { Meta, StoryObj } from '@storybook/react-vite'
import { useEffect, useState, type ReactNode } from 'react'
import { PriceFlash, type PriceFlashControlledProps } from '../src/components'
import { FeedControls } from './FeedControls'
import { SimulatedProvider, useSimulatedFeed } from './useSimulatedFeed'

/** The usage snippet at the end of the docs page's description. */
const USAGE = `

**Usage**

\`\`\`tsx
import { PriceFlash } from 'tickwire'

<PriceFlash symbol="BTC-USD" />                           // connected: reads the store
<PriceFlash symbol="ETH-USD" field="bid" maximumFractionDigits={2} />
<PriceFlash value={45012.5} locale="de-DE" />             // controlled: 45.012,50
<PriceFlash value={price} format={(v) => \`$\${v.toFixed(1)}\`} />
\`\`\`

Props, parts and styling: docs/guides/components.md in the repository.`

const meta = {
  title: 'Components/PriceFlash',
  component: PriceFlash,
  tags: ['autodocs'],
  parameters: {
    docs: {
      description: {
        component:
          'A number that flashes green up and red down. Connected (`symbol`, optional `field`) ' +
          'or controlled (`value`). The root has `data-direction="up" | "down"` for `flashMs` ' +
          'after a change, then `"none"`, written to the DOM and cleared by one animation-frame ' +
          'sweep for every cell: the end of a flash costs no React commit and no timer. The ' +
          'default flash (`flashStyle="step"`) holds the tint and clears it in one step, so a ' +
          'cell repaints only when it changes and when the tint ends; `flashStyle="fade"` (or ' +
          '`--tw-flash-style: fade` on an ancestor) fades it through the opacity of an overlay. ' +
          'Text only: a `format` result is never parsed as markup.' +
          USAGE,
      },
    },
  },
  argTypes: {
    flashStyle: { control: 'inline-radio', options: ['step', 'fade'] },
  },
  args: {
    value: 45012.5,
    locale: 'en-US',
    flashMs: 700,
    flashStyle: 'step',
    reducedMotion: false,
    arrow: true,
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  },
} satisfies Meta<typeof PriceFlash>

export default meta
type Story = StoryObj<typeof meta>

/** Controlled: change `value` in the controls to flash it. */
export const Controlled: Story = {}

/** A value that moves by itself every 1.2 s, up or down, sometimes twice the same way. */
export const ControlledTicking: Story = {
  render: function ControlledTicking(args) {
    const [value, setValue] = useState(45012.5)
    useEffect(() => {
      const steps = [12.5, 7, -20, -3.5, 15, -8]
      let i = 0
      const id = setInterval(() => {
        setValue((v) => Math.round((v + (steps[i % steps.length] ?? 0)) * 100) / 100)
        i += 1
      }, 1200)
      return () => clearInterval(id)
    }, [])
    return (
      <span style={{ fontSize: 24 }}>
        {/* The meta's args are controlled-mode props (they hold a `value`). */}
        BTC-USD <PriceFlash {...(args as PriceFlashControlledProps)} value={value} />
      </span>
    )
  },
}

const SYMBOLS = ['BTC-USD', 'ETH-USD', 'SOL-USD', 'DOGE-USD', 'AAPL', 'NVDA']

/** Connected to the simulated feed: price, bid and ask of a few symbols. */
export const Connected: Story = {
  args: { value: undefined },
  render: function Connected(args) {
    const feed = useSimulatedFeed({ symbolCount: SYMBOLS.length, rate: 3 })
    const common = {
      locale: args.locale ?? 'en-US',
      flashMs: args.flashMs ?? 700,
      arrow: args.arrow ?? true,
    }
    return (
      <SimulatedProvider feed={feed}>
        <div className="sb-stack">
          <table className="sb-table">
            <thead>
              <tr>
                <th scope="col">Symbol</th>
                <th scope="col">Price</th>
                <th scope="col">Bid</th>
                <th scope="col">Ask</th>
                <th scope="col">24h %</th>
              </tr>
            </thead>
            <tbody>
              {SYMBOLS.map((symbol) => (
                <tr key={symbol}>
                  <td>{symbol}</td>
                  <td>
                    <PriceFlash {...common} symbol={symbol} />
                  </td>
                  <td>
                    <PriceFlash {...common} symbol={symbol} field="bid" />
                  </td>
                  <td>
                    <PriceFlash {...common} symbol={symbol} field="ask" />
                  </td>
                  <td>
                    <PriceFlash
                      {...common}
                      symbol={symbol}
                      field="change24h"
                      format={(v) => `${v > 0 ? '+' : ''}${v.toFixed(2)}%`}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <FeedControls feed={feed} symbolSlider={false} />
        </div>
      </SimulatedProvider>
    )
  },
}

const compactUsd = new Intl.NumberFormat('en-US', {
  notation: 'compact',
  style: 'currency',
  currency: 'USD',
})

/** Intl.NumberFormat locales and digits, and a `format` function. */
export const Formats: Story = {
  args: { value: undefined },
  render: function Formats() {
    const [value, setValue] = useState(1234567.891)
    useEffect(() => {
      const id = setInterval(() => setValue((v) => v * (Math.random() < 0.5 ? 0.999 : 1.001)), 1500)
      return () => clearInterval(id)
    }, [])
    const rows: [string, ReactNode][] = [
      ['en-US, 2 digits', <PriceFlash value={value} locale="en-US" maximumFractionDigits={2} />],
      ['de-DE, 2 digits', <PriceFlash value={value} locale="de-DE" maximumFractionDigits={2} />],
      [
        'fr-CH, 0 to 4 digits',
        <PriceFlash
          value={value}
          locale="fr-CH"
          minimumFractionDigits={0}
          maximumFractionDigits={4}
        />,
      ],
      ['hi-IN, 2 digits', <PriceFlash value={value} locale="hi-IN" maximumFractionDigits={2} />],
      ['format: compact USD', <PriceFlash value={value} format={(v) => compactUsd.format(v)} />],
      ['format: scientific', <PriceFlash value={value} format={(v) => v.toExponential(3)} />],
      ['no value yet', <PriceFlash value={undefined} />],
    ]
    return (
      <table className="sb-table">
        <tbody>
          {rows.map(([label, node]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{node}</td>
            </tr>
          ))}
        </tbody>
      </table>
    )
  },
}

function useWalk(start: number) {
  const [value, setValue] = useState(start)
  useEffect(() => {
    const id = setInterval(
      () => setValue((v) => Math.round(v * (Math.random() < 0.5 ? 99.9 : 100.1)) / 100),
      1000,
    )
    return () => clearInterval(id)
  }, [])
  return value
}

/** With and without the arrow: with `arrow={false}` only the flash shows the direction. */
export const Arrow: Story = {
  args: { value: undefined },
  render: function Arrow() {
    const value = useWalk(3400)
    return (
      <div className="sb-row" style={{ fontSize: 20 }}>
        <span>
          arrow <PriceFlash value={value} locale="en-US" />
        </span>
        <span>
          no arrow <PriceFlash value={value} locale="en-US" arrow={false} />
        </span>
      </div>
    )
  },
}

/**
 * The two flash styles side by side on the same values: `step` (the default) holds the tint for
 * `flashMs` and clears it in one step; `fade` fades it out over `flashMs`. The third column
 * picks the fade for a whole subtree with the CSS variable `--tw-flash-style: fade` (in browsers
 * with style container queries).
 */
export const FlashStyles: Story = {
  args: { value: undefined },
  render: function FlashStyles() {
    const values = [useWalk(3400), useWalk(182), useWalk(0.62)]
    return (
      <table className="sb-table" style={{ fontSize: 20 }}>
        <thead>
          <tr>
            <th scope="col">step (default)</th>
            <th scope="col">flashStyle=&quot;fade&quot;</th>
            <th scope="col">--tw-flash-style: fade</th>
          </tr>
        </thead>
        <tbody>
          {values.map((value, i) => (
            <tr key={i}>
              <td>
                <PriceFlash value={value} locale="en-US" />
              </td>
              <td>
                <PriceFlash value={value} locale="en-US" flashStyle="fade" />
              </td>
              <td style={{ ['--tw-flash-style' as string]: 'fade' }}>
                <PriceFlash value={value} locale="en-US" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    )
  },
}

/**
 * Reduced motion, for both flash styles: no tint and no animation, the direction shown by the
 * text colour and a static arrow for `flashMs`, even with `arrow={false}`. The first row is
 * what `prefers-reduced-motion: reduce` does, forced here with `data-tw-motion="reduce"` on an
 * ancestor; the second uses the component's own `reducedMotion` prop.
 */
export const ReducedMotion: Story = {
  args: { value: undefined },
  render: function ReducedMotion() {
    const value = useWalk(240)
    return (
      <div className="sb-stack" style={{ fontSize: 20 }}>
        <div data-tw-motion="reduce" className="sb-row">
          <span>data-tw-motion=&quot;reduce&quot;:</span>
          <span>
            step <PriceFlash value={value} locale="en-US" arrow={false} flashMs={900} />
          </span>
          <span>
            fade{' '}
            <PriceFlash
              value={value}
              locale="en-US"
              arrow={false}
              flashMs={900}
              flashStyle="fade"
            />
          </span>
        </div>
        <div className="sb-row">
          <span>reducedMotion:</span>
          <span>
            step <PriceFlash value={value} locale="en-US" flashMs={900} reducedMotion />
          </span>
          <span>
            fade{' '}
            <PriceFlash
              value={value}
              locale="en-US"
              flashMs={900}
              flashStyle="fade"
              reducedMotion
            />
          </span>
        </div>
      </div>
    )
  },
}
