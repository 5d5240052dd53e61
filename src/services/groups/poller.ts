/**
 * Runs a task every few seconds while something is shown: the group page asks for new messages since
 * the last one seen. Never two runs at once (a slow answer on a weak network is waited for, then the
 * next run is scheduled), a failure waits longer before the next try (up to `maxIntervalMs`), and
 * stop() ends it at once (the page is hidden, the app went to the background).
 *
 * The timer functions are given, so tests drive it with fake time.
 */

export interface PollerOptions {
  /** The work; a rejection counts as a failure (backs off), never escapes. */
  run: () => Promise<unknown>
  intervalMs: number
  /** The longest wait after failures (each failure doubles the wait). */
  maxIntervalMs?: number
  setTimer?: (callback: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
}

export interface Poller {
  /** Starts polling (first run after one interval; `now` runs at once). Idempotent. */
  start(now?: boolean): void
  stop(): void
  readonly running: boolean
}

export function createPoller(options: PollerOptions): Poller {
  const setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms))
  const clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>))
  const maxInterval = options.maxIntervalMs ?? options.intervalMs * 8
  let active = false
  let timer: unknown = null
  let failures = 0
  let inFlight = false

  const schedule = (ms: number) => {
    if (timer !== null) clearTimer(timer)
    timer = setTimer(() => {
      timer = null
      void tick()
    }, ms)
  }

  const tick = async () => {
    // A run still going (started before a stop and start) schedules the next one when it ends.
    if (!active || inFlight) return
    inFlight = true
    try {
      await options.run()
      failures = 0
    } catch {
      failures += 1
    } finally {
      inFlight = false
    }
    if (active && timer === null) schedule(Math.min(options.intervalMs * 2 ** failures, maxInterval))
  }

  return {
    start(now = false) {
      if (active) return
      active = true
      failures = 0
      if (inFlight) return
      if (now) void tick()
      else schedule(options.intervalMs)
    },
    stop() {
      active = false
      if (timer !== null) clearTimer(timer)
      timer = null
    },
    get running() {
      return active
    },
  }
}
