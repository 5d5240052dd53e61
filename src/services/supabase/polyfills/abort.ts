/**
 * AbortController and AbortSignal for the mini-program runtime. supabase-js creates an AbortController
 * when a request timeout is configured and accepts a signal per query; the Taro fetch adapter listens to
 * the signal and aborts the underlying Taro.request task.
 */

type AbortListener = (event: { type: 'abort'; target: AbortSignalPolyfill }) => void

/** What fetch rejects with when aborted; DOMException does not exist in the mini-program runtime. */
export function abortError(reason?: unknown): Error {
  if (reason instanceof Error) return reason
  const error = new Error(reason === undefined ? 'This operation was aborted' : String(reason))
  error.name = 'AbortError'
  return error
}

export class AbortSignalPolyfill {
  aborted = false
  reason: unknown = undefined
  onabort: AbortListener | null = null
  private listeners: AbortListener[] = []

  static abort(reason?: unknown): AbortSignalPolyfill {
    const controller = new AbortControllerPolyfill()
    controller.abort(reason)
    return controller.signal
  }

  static timeout(milliseconds: number): AbortSignalPolyfill {
    const controller = new AbortControllerPolyfill()
    setTimeout(() => {
      const error = new Error('The operation timed out.')
      error.name = 'TimeoutError'
      controller.abort(error)
    }, milliseconds)
    return controller.signal
  }

  addEventListener(type: string, listener: AbortListener, options?: { once?: boolean } | boolean): void {
    if (type !== 'abort' || this.listeners.includes(listener)) return
    const once = typeof options === 'object' && options?.once === true
    const wrapped: AbortListener = once
      ? (event) => {
          this.removeEventListener('abort', wrapped)
          listener(event)
        }
      : listener
    this.listeners.push(wrapped)
  }

  removeEventListener(type: string, listener: AbortListener): void {
    if (type === 'abort') this.listeners = this.listeners.filter((l) => l !== listener)
  }

  throwIfAborted(): void {
    if (this.aborted) throw this.reason
  }

  /** @internal Called by the controller. */
  dispatchAbort(reason: unknown): void {
    if (this.aborted) return
    this.aborted = true
    this.reason = reason
    const event = { type: 'abort' as const, target: this }
    this.onabort?.(event)
    for (const listener of this.listeners.slice()) listener(event)
  }
}

export class AbortControllerPolyfill {
  readonly signal = new AbortSignalPolyfill()

  abort(reason?: unknown): void {
    this.signal.dispatchAbort(reason === undefined ? abortError() : reason)
  }
}
