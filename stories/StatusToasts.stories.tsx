import type { Meta, StoryObj } from '@storybook/react-vite'
import { useEffect, useMemo, useRef, useState } from 'react'
import { toast, Toaster } from 'sonner'
import { ConnectionStatus } from '../src/components'
import { StreamProvider, type StatusChange } from '../src/react'
import { FeedControls } from './FeedControls'
import { createStatusToasts, SETTLE_MS, type ToastKind } from './statusToasts'
import { simulatedConfig, useSimulatedFeed } from './useSimulatedFeed'

const MESSAGES: Record<ToastKind, string> = {
  reconnecting: 'Connection lost: reconnecting…',
  live: 'Back live',
  polling: 'Streaming unavailable: prices are polled',
  offline: 'Offline: prices are not updating',
}

/** Shows one sonner toast per connection; the id makes a newer toast replace the older one. */
function showToast(connection: string, kind: ToastKind): void {
  const options = { id: `tickwire-${connection}`, description: `Connection “${connection}”` }
  if (kind === 'live') toast.success(MESSAGES[kind], options)
  else if (kind === 'offline') toast.error(MESSAGES[kind], options)
  else if (kind === 'polling') toast.info(MESSAGES[kind], options)
  else toast.warning(MESSAGES[kind], options)
}

function ToastDemo() {
  const feed = useSimulatedFeed({ symbolCount: 3 })
  const config = useMemo(() => simulatedConfig(feed), [feed])
  const [changes, setChanges] = useState(0)
  const [toasts, setToasts] = useState(0)
  const [notifier] = useState(() =>
    createStatusToasts((connection, kind) => {
      setToasts((n) => n + 1)
      showToast(connection, kind)
    }),
  )
  useEffect(() => () => notifier.dispose(), [notifier])

  // Five drops within about two seconds: five status changes each way, at most one toast.
  const flapping = useRef<ReturnType<typeof setInterval> | undefined>(undefined)
  useEffect(() => () => clearInterval(flapping.current), [])
  const flap = () => {
    clearInterval(flapping.current)
    let left = 5
    flapping.current = setInterval(() => {
      feed.drop()
      left -= 1
      if (left === 0) clearInterval(flapping.current)
    }, 400)
  }

  const onStatusChange = (change: StatusChange) => {
    setChanges((n) => n + 1)
    notifier.onStatusChange(change)
  }

  return (
    <StreamProvider config={config} onStatusChange={onStatusChange}>
      <div className="sb-stack">
        <div className="sb-row">
          <ConnectionStatus />
          <button type="button" onClick={flap}>
            Flap five times
          </button>
          <span className="sb-note" aria-live="polite">
            {changes} status changes, {toasts} toasts (a status must hold {SETTLE_MS} ms)
          </span>
        </div>
        <FeedControls feed={feed} symbolSlider={false} />
      </div>
      <Toaster position="bottom-right" richColors closeButton />
    </StreamProvider>
  )
}

const meta = {
  title: 'Recipes/Status toasts',
  parameters: {
    docs: {
      description: {
        component:
          'Toasts for Reconnecting, back Live, Polling and Offline with sonner (a dev ' +
          'dependency of the stories; tickwire itself depends on no toast library), driven ' +
          "by StreamProvider's `onStatusChange`. A status is announced only once it has held " +
          `for ${SETTLE_MS} ms, one toast per connection replacing the last, so a flapping ` +
          'connection makes no toast storm: press "Flap five times". See ' +
          'docs/recipes/status-toasts.md.',
      },
    },
  },
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

/** Use the feed controls (drop, refuse reconnects, go offline) and watch the toasts. */
export const WithSimulatedFeed: Story = { render: () => <ToastDemo /> }
