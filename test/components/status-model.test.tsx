import { render, screen, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ConnectionIndicator, ConnectionStatus } from '../../src/components'
import type { StreamManagerConfig } from '../../src/core/config'
import { createStreamManager } from '../../src/core/manager'
import { STATUS_MODEL } from '../../src/core/status'
import type { StreamManager } from '../../src/core/stream-manager'
import { StreamProvider, useConnectionStatus, useStream } from '../../src/react'
import { createTestServer, type TestServer } from '../helpers/testServer'
import { WebSocket } from '../react/support'

let server: TestServer
let manager: StreamManager | undefined

beforeEach(async () => {
  server = await createTestServer()
})
afterEach(async () => {
  manager?.destroy()
  manager = undefined
  await server.close()
})

function Hooks() {
  const { status } = useStream()
  const worst = useConnectionStatus()
  return <span data-testid="hooks" data-stream={status} data-worst={worst.status} />
}

describe('one status model for the store, the hooks and the components', () => {
  it('a lazy idle connection beside an open one: useStream, useConnectionStatus and the status components all say open / Live', async () => {
    manager = createStreamManager({
      connections: {
        prices: { url: server.url, WebSocket },
        // Nobody subscribes to it: it stays idle, and must not outrank the open feed.
        orders: { url: server.url, WebSocket, lazy: true },
      },
    } as StreamManagerConfig)
    render(
      <StreamProvider manager={manager}>
        <Hooks />
        <ConnectionStatus />
        <ConnectionIndicator />
      </StreamProvider>,
    )
    const hooks = screen.getByTestId('hooks')
    await waitFor(() => expect(hooks.dataset.stream).toBe('open'))
    expect(manager.store.getState().connections.orders?.status).toBe('idle')
    expect(hooks.dataset.worst).toBe('open')
    const pill = document.querySelector<HTMLElement>('.tw-connection-status')
    expect(pill?.dataset.status).toBe('live')
    expect(pill?.dataset.status).toBe(STATUS_MODEL.open.kind)
    const indicator = document.querySelector('.tw-connection-indicator')
    expect(indicator?.getAttribute('data-status')).toBe('live')
  })
})
