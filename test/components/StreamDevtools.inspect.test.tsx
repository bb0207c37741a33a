/**
 * The panel on a manager with the proposed `inspect()` hook (see src/devtools/inspection.ts):
 * frames come from the manager itself, with no tapped socket, reference counts show, and the
 * history covers the manager's whole life. Skipped while the core has no `inspect()`.
 */
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createStreamManager } from '../../src/core'
import { AUTH_HIDDEN, StreamDevtools } from '../../src/devtools'
import { StreamProvider, usePrice } from '../../src/react'
import { createTestServer, type TestServer } from '../helpers/testServer'
import { WebSocket } from '../react/support'

const TOKEN = 'secret-token-5678'
const probe = createStreamManager({ url: 'ws://127.0.0.1:9/ws', autoStart: false })
const hasInspect = typeof (probe as { inspect?: unknown }).inspect === 'function'
probe.destroy()

let server: TestServer

beforeEach(async () => {
  server = await createTestServer()
})

afterEach(async () => {
  await server.close()
})

function Price({ symbol }: { symbol: string }) {
  const tick = usePrice(symbol)
  return <span data-testid={`price-${symbol}`}>{tick?.price ?? '…'}</span>
}

describe.runIf(hasInspect)('<StreamDevtools /> on manager.inspect()', () => {
  it('shows reference counts, and frames from the manager with the auth frame withheld', async () => {
    const user = userEvent.setup()
    render(
      <StreamProvider
        config={{ url: server.url, WebSocket, getToken: () => TOKEN, heartbeatIntervalMs: 60_000 }}
      >
        <Price symbol="BTC-USD" />
        <Price symbol="BTC-USD" />
        <StreamDevtools position="inline" refreshMs={50} initialOpen />
      </StreamProvider>,
    )
    await waitFor(() =>
      expect(screen.getAllByTestId('price-BTC-USD')[0]).not.toHaveTextContent('…'),
    )

    await user.click(screen.getByRole('tab', { name: 'Symbols' }))
    const row = (await screen.findByText('BTC-USD', { selector: 'td' })).closest(
      'tr',
    ) as HTMLElement
    expect(within(row).getByText('2')).toBeInTheDocument()

    await user.click(screen.getByRole('tab', { name: 'Frames' }))
    const table = screen.getByRole('table', { name: 'Frames' })
    await waitFor(() => expect(within(table).getByText(/"type":"snapshot"/)).toBeInTheDocument())
    // The panel's effect subscribes before the provider's (a parent's effects run after its
    // children's) starts the manager, so the first frames out are there, auth withheld.
    expect(within(table).getByText(/"type":"subscribe"/)).toBeInTheDocument()
    expect(within(table).getByText(AUTH_HIDDEN)).toBeInTheDocument()
    expect(document.body.textContent).not.toContain(TOKEN)
    expect(server.received).toContainEqual({ type: 'auth', token: TOKEN })

    // The manager's own history: from its first status change on.
    await user.click(screen.getByRole('tab', { name: 'Connections' }))
    const history = screen.getByRole('table', { name: 'default status history' })
    expect(within(history).getAllByText('connecting').length).toBeGreaterThan(0)
    expect(within(history).getAllByText('open').length).toBeGreaterThan(0)
  })
})
