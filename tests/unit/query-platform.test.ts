/**
 * The query client's platform wiring, without any browser global (the mini-program has none): the app
 * coming back to the foreground refetches what is shown and stale, the background refetches nothing,
 * and a query that waited for the network goes on when the network returns.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { focusManager, onlineManager, QueryObserver, type QueryClient } from '@tanstack/react-query'
import { AppError, ERROR_MESSAGES } from '../../src/services/errors'
import { ANONYMOUS, personKey } from '../../src/services/query/person-key'
import { wireQueryPlatform, type QueryPlatformEvents } from '../../src/services/query/platform-events'
import { createAppQueryClient, shouldRetry } from '../../src/services/query/query-client'

/** The mini-program's events, fired by the test. */
function fakeEvents(initiallyOnline = true) {
  const show = new Set<() => void>()
  const hide = new Set<() => void>()
  const network = new Set<(online: boolean) => void>()
  const events: QueryPlatformEvents = {
    onAppShow: (listener) => (show.add(listener), () => show.delete(listener)),
    onAppHide: (listener) => (hide.add(listener), () => hide.delete(listener)),
    onNetworkChange: (listener) => (network.add(listener), () => network.delete(listener)),
    isOnline: async () => initiallyOnline,
  }
  return {
    events,
    show: () => show.forEach((listener) => listener()),
    hide: () => hide.forEach((listener) => listener()),
    network: (online: boolean) => network.forEach((listener) => listener(online)),
    listeners: () => show.size + hide.size + network.size,
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

let client: QueryClient
let unwire: () => void = () => undefined
let unsubscribe: () => void = () => undefined

/** A query shown on a page: subscribed, counting its fetches. */
function showQuery(options: { staleTime?: number } = {}) {
  let fetches = 0
  const observer = new QueryObserver(client, {
    queryKey: personKey(ANONYMOUS, ['test', 'feed']),
    queryFn: async () => ++fetches,
    staleTime: options.staleTime ?? 0,
  })
  unsubscribe = observer.subscribe(() => undefined)
  return { observer, fetches: () => fetches }
}

beforeEach(() => {
  client = createAppQueryClient()
  client.mount()
})

afterEach(() => {
  unsubscribe()
  client.unmount()
  client.clear()
  unwire()
  focusManager.setFocused(undefined)
  onlineManager.setOnline(true)
})

describe('the query client in a runtime without browser globals', () => {
  it('runs where window and document do not exist', () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined')
    expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined')
    const platform = fakeEvents()
    unwire = wireQueryPlatform(platform.events)
    expect(focusManager.isFocused()).toBe(true)
    expect(platform.listeners()).toBe(3)
  })
})

describe('focus: the app coming back to the foreground', () => {
  it('refetches a shown query whose data is stale when the app shows again', async () => {
    const platform = fakeEvents()
    unwire = wireQueryPlatform(platform.events)
    const query = showQuery()
    await tick()
    expect(query.fetches()).toBe(1)
    platform.hide()
    await tick()
    expect(query.fetches()).toBe(1)
    platform.show()
    await tick()
    expect(query.fetches()).toBe(2)
    expect(query.observer.getCurrentResult().data).toBe(2)
  })

  it('does not refetch data that is still fresh when the app shows again', async () => {
    const platform = fakeEvents()
    unwire = wireQueryPlatform(platform.events)
    const query = showQuery({ staleTime: 60_000 })
    await tick()
    platform.hide()
    platform.show()
    await tick()
    expect(query.fetches()).toBe(1)
  })

  it('stops listening to the app events once unwired', () => {
    const platform = fakeEvents()
    unwire = wireQueryPlatform(platform.events)
    unwire()
    expect(platform.listeners()).toBe(0)
  })
})

describe('network: the device going offline and back online', () => {
  it('waits while offline and fetches as soon as the network returns', async () => {
    const platform = fakeEvents(false)
    unwire = wireQueryPlatform(platform.events)
    await tick()
    expect(onlineManager.isOnline()).toBe(false)
    const query = showQuery()
    await tick()
    expect(query.fetches()).toBe(0)
    expect(query.observer.getCurrentResult().fetchStatus).toBe('paused')
    platform.network(true)
    await tick()
    expect(query.fetches()).toBe(1)
    expect(query.observer.getCurrentResult()).toMatchObject({ status: 'success', data: 1, fetchStatus: 'idle' })
  })

  it('refetches a shown stale query when the network comes back after a drop', async () => {
    const platform = fakeEvents()
    unwire = wireQueryPlatform(platform.events)
    const query = showQuery()
    await tick()
    expect(query.fetches()).toBe(1)
    platform.network(false)
    await tick()
    platform.network(true)
    await tick()
    expect(query.fetches()).toBe(2)
  })
})

describe('retries', () => {
  const failure = (code: 'network' | 'timeout' | 'unavailable' | 'forbidden' | 'invalid' | 'unauthorized') =>
    new AppError({ code, message: ERROR_MESSAGES[code] })

  it('tries again twice after a network failure, a timeout or a busy server', () => {
    for (const code of ['network', 'timeout', 'unavailable'] as const) {
      expect(shouldRetry(0, failure(code)), code).toBe(true)
      expect(shouldRetry(1, failure(code)), code).toBe(true)
      expect(shouldRetry(2, failure(code)), code).toBe(false)
    }
  })

  it('never repeats a request the server refused for a reason another try cannot cure', () => {
    for (const code of ['forbidden', 'invalid', 'unauthorized'] as const) expect(shouldRetry(0, failure(code)), code).toBe(false)
  })
})

describe('the cache per signed-in person', () => {
  it('keeps the same data apart for two people', () => {
    client.setQueryData(personKey('a', ['posts', 'feed']), ['草稿'])
    expect(client.getQueryData(personKey('b', ['posts', 'feed']))).toBeUndefined()
    expect(client.getQueryData(personKey(ANONYMOUS, ['posts', 'feed']))).toBeUndefined()
  })
})
