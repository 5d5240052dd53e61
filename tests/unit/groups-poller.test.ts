/** Polling for new messages while the group page is shown (src/services/groups/poller.ts), on fake timers. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPoller } from '../../src/services/groups/poller'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('the poller', () => {
  it('runs every interval while started and not at all after stop', async () => {
    const run = vi.fn(async () => undefined)
    const poller = createPoller({ run, intervalMs: 3000 })
    poller.start()
    await vi.advanceTimersByTimeAsync(2999)
    expect(run).toHaveBeenCalledTimes(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(run).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(6000)
    expect(run).toHaveBeenCalledTimes(3)
    poller.stop()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(run).toHaveBeenCalledTimes(3)
    expect(poller.running).toBe(false)
  })

  it('runs at once when asked, and a second start is ignored', async () => {
    const run = vi.fn(async () => undefined)
    const poller = createPoller({ run, intervalMs: 3000 })
    poller.start(true)
    poller.start(true)
    await vi.advanceTimersByTimeAsync(0)
    expect(run).toHaveBeenCalledTimes(1)
    poller.stop()
  })

  it('never runs twice at once: a slow run is waited for before the next is scheduled', async () => {
    let active = 0
    let most = 0
    const run = vi.fn(async () => {
      active += 1
      most = Math.max(most, active)
      await new Promise((resolve) => setTimeout(resolve, 10_000))
      active -= 1
    })
    const poller = createPoller({ run, intervalMs: 1000 })
    poller.start(true)
    // Hidden and shown again while the first run is still waiting for its answer.
    poller.stop()
    poller.start(true)
    await vi.advanceTimersByTimeAsync(25_000)
    expect(most).toBe(1)
    expect(run.mock.calls.length).toBeGreaterThanOrEqual(2)
    poller.stop()
  })

  it('waits twice as long after each failure, up to the limit, and returns to the interval after a success', async () => {
    let fail = true
    const times: number[] = []
    const run = vi.fn(async () => {
      times.push(Date.now())
      if (fail) throw new Error('offline')
    })
    const start = Date.now()
    const poller = createPoller({ run, intervalMs: 1000, maxIntervalMs: 4000 })
    poller.start(true)
    await vi.advanceTimersByTimeAsync(1000 * (2 + 4 + 4))
    expect(times.map((t) => t - start)).toEqual([0, 2000, 6000, 10_000])
    fail = false
    await vi.advanceTimersByTimeAsync(4000 + 1000)
    expect(times.slice(-2).map((t) => t - start)).toEqual([14_000, 15_000])
    poller.stop()
  })
})
