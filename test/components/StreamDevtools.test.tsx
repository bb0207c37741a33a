import { act, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { StreamProvider, usePrice } from '../../src/react'
import { createFrameRecorder, MASK, StreamDevtools } from '../../src/devtools'
import { createTestServer, type TestServer } from '../helpers/testServer'
import { WebSocket } from '../react/support'

const TOKEN = 'secret-token-1234'

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

function setup() {
  const frames = createFrameRecorder({ capacity: 50 })
  const config = {
    url: server.url,
    WebSocket: frames.tap(WebSocket),
    getToken: () => TOKEN,
    heartbeatIntervalMs: 60_000,
  }
  render(
    <StreamProvider config={config}>
      <Price symbol="BTC-USD" />
      <StreamDevtools frames={frames} position="inline" refreshMs={50} />
    </StreamProvider>,
  )
  return { frames, user: userEvent.setup() }
}

describe('<StreamDevtools />', () => {
  it('starts closed and reads nothing until opened', () => {
    render(
      <StreamProvider url={server.url}>
        <StreamDevtools />
      </StreamProvider>,
    )
    expect(screen.getByRole('button', { name: 'tickwire devtools' })).toHaveAttribute(
      'aria-expanded',
      'false',
    )
    expect(screen.queryByRole('region', { name: 'tickwire devtools' })).toBeNull()
  })

  it('shows the connection, its status history and statistics', async () => {
    const { user } = setup()
    await waitFor(() => expect(screen.getByTestId('price-BTC-USD')).not.toHaveTextContent('…'))
    await user.click(screen.getByRole('button', { name: 'tickwire devtools' }))
    const panel = screen.getByRole('region', { name: 'tickwire devtools' })
    await waitFor(() =>
      expect(within(panel).getByText('open', { selector: '[data-status]' })).toBeInTheDocument(),
    )
    const history = within(panel).getByRole('table', { name: 'default status history' })
    // The provider starts the manager after the panel's first subscription: connecting → open is recorded.
    await waitFor(() => expect(within(history).getAllByText('open').length).toBeGreaterThan(0))
    expect(within(panel).getByText(/messages in:/)).toBeInTheDocument()
  })

  it('lists symbols with their last update and staleness', async () => {
    const { user } = setup()
    await waitFor(() => expect(screen.getByTestId('price-BTC-USD')).not.toHaveTextContent('…'))
    await user.click(screen.getByRole('button', { name: 'tickwire devtools' }))
    await user.click(screen.getByRole('tab', { name: 'Symbols' }))
    const row = await screen.findByText('BTC-USD', { selector: 'td' })
    const tr = row.closest('tr') as HTMLElement
    expect(tr).toHaveAttribute('data-stale', 'false')
    expect(within(tr).getByText(/ago$/)).toBeInTheDocument()
    expect(within(tr).getByText('fresh')).toBeInTheDocument()
  })

  it('shows frames in and out with the auth token masked, and pauses and clears', async () => {
    const { user, frames } = setup()
    await waitFor(() => expect(screen.getByTestId('price-BTC-USD')).not.toHaveTextContent('…'))
    await user.click(screen.getByRole('button', { name: 'tickwire devtools' }))
    await user.click(screen.getByRole('tab', { name: 'Frames' }))
    const table = screen.getByRole('table', { name: 'Frames' })
    await waitFor(() => expect(within(table).getByText(/"type":"subscribe"/)).toBeInTheDocument())
    expect(within(table).getByText(/"type":"snapshot"/)).toBeInTheDocument()
    expect(within(table).getByText(new RegExp(`"token":"${MASK}"`))).toBeInTheDocument()
    expect(document.body.textContent).not.toContain(TOKEN)
    // The server did get the real token: masking is for display only.
    expect(server.received).toContainEqual({ type: 'auth', token: TOKEN })

    await user.click(screen.getByRole('button', { name: 'Pause' }))
    const total = frames.total
    act(() => server.send(server.delta('BTC-USD', { price: 1 })))
    await server.waitFor(() => server.received.length > 0)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(frames.total).toBe(total)
    expect(screen.getByRole('button', { name: 'Resume' })).toHaveAttribute('aria-pressed', 'true')

    await user.click(screen.getByRole('button', { name: 'Clear' }))
    expect(frames.entries()).toEqual([])
    expect(
      within(screen.getByRole('table', { name: 'Frames' })).queryAllByRole('row'),
    ).toHaveLength(1)
  })
})
