import { dehydrate, QueryClient } from '@tanstack/react-query'
import { renderToString } from 'react-dom/server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { prefetchPrices, pricesQuery, type PricesQueryData } from '../../src/core'
import { createFeedServer, type FeedServer } from '../../src/server'
import { PricesApp, SYMBOLS } from '../react/fixtures/PricesApp'

let feed: FeedServer

beforeEach(async () => {
  feed = await createFeedServer({ port: 0, host: '127.0.0.1', tickHz: 0 })
})

afterEach(async () => {
  await feed.close()
})

describe('prefetchPrices on the server', () => {
  it('fills the QueryClient from the feed REST side; the render shows the prices and touches no storage', async () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined')
    feed.publish('BTC-USD', { price: 111.25 })
    const queryClient = new QueryClient()
    await prefetchPrices(queryClient, [...SYMBOLS].reverse(), { restUrl: feed.restUrl })
    // The key does not depend on the order: the component's query finds the prefetched data.
    const data = queryClient.getQueryData<PricesQueryData>(
      pricesQuery(SYMBOLS, { restUrl: feed.restUrl }).queryKey,
    )
    expect(data?.prices['BTC-USD']).toMatchObject({ data: { price: 111.25 } })

    // What crosses to the browser is plain JSON: a round trip changes nothing.
    const state = dehydrate(queryClient)
    expect(JSON.parse(JSON.stringify(state))).toEqual(state)

    const html = renderToString(
      <PricesApp state={state} url={feed.url} restUrl={feed.restUrl} />,
    ).replaceAll('<!-- -->', '')
    expect(html).toContain('BTC-USD 111.25')
    expect(html).toContain('default on, rate default')
    expect(feed.stats().connections).toBe(0)
  })

  it('never rejects: an unreachable REST side leaves the query in error and the page renders its loading state', async () => {
    const queryClient = new QueryClient()
    const restUrl = 'http://127.0.0.1:1'
    await expect(prefetchPrices(queryClient, SYMBOLS, { restUrl })).resolves.toBeUndefined()
    const key = pricesQuery(SYMBOLS, { restUrl }).queryKey
    expect(queryClient.getQueryState(key)?.status).toBe('error')
    const state = dehydrate(queryClient)
    const html = renderToString(<PricesApp state={state} url={feed.url} restUrl={restUrl} />)
    expect(html.replaceAll('<!-- -->', '')).toContain('BTC-USD …')
  })
})
