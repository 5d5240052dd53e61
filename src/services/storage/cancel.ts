/**
 * A cancel handle for one upload. The mini-program has no AbortController outside the supabase-js
 * polyfills, and an upload task is aborted through its own `abort()`, so this is the one small thing
 * both sides need: the caller cancels, the transport listens.
 */
export interface CancelHandle {
  cancel(): void
  readonly cancelled: boolean
  /** Runs `listener` on cancel (at once when already cancelled); answers a function that stops listening. */
  onCancel(listener: () => void): () => void
}

export function createCancel(): CancelHandle {
  let cancelled = false
  const listeners = new Set<() => void>()
  return {
    cancel() {
      if (cancelled) return
      cancelled = true
      for (const listener of [...listeners]) listener()
      listeners.clear()
    },
    get cancelled() {
      return cancelled
    },
    onCancel(listener) {
      if (cancelled) {
        listener()
        return () => {}
      }
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
