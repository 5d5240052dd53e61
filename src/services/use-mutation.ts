/**
 * One way for pages to run a change (save, withdraw, delete): pending while it runs, the error as an
 * AppError with a Chinese message to show, and a second call ignored while the first is running (two
 * taps in one frame both see the state from before the first, so a ref guards it, not state).
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import { toAppError, type AppError } from './errors'

/** How a run ended: its data, or its error (null when it did not run because one was already running). */
export type MutationOutcome<T> = { ok: true; data: T } | { ok: false; error: AppError | null }

export interface MutationResult<A extends unknown[], T> {
  /** Runs the change; never rejects (a failure is also in `error`, ready to show). */
  run: (...args: A) => Promise<MutationOutcome<T>>
  pending: boolean
  error: AppError | null
  reset: () => void
}

export function useMutation<A extends unknown[], T>(mutate: (...args: A) => Promise<T>): MutationResult<A, T> {
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<AppError | null>(null)
  const running = useRef(false)
  const mounted = useRef(true)
  const mutateRef = useRef(mutate)
  mutateRef.current = mutate

  useEffect(() => {
    mounted.current = true
    return () => {
      mounted.current = false
    }
  }, [])

  const run = useCallback(async (...args: A): Promise<MutationOutcome<T>> => {
    if (running.current) return { ok: false, error: null }
    running.current = true
    setPending(true)
    setError(null)
    try {
      return { ok: true, data: await mutateRef.current(...args) }
    } catch (caught) {
      const failure = toAppError(caught)
      if (mounted.current) setError(failure)
      return { ok: false, error: failure }
    } finally {
      running.current = false
      if (mounted.current) setPending(false)
    }
  }, [])

  const reset = useCallback(() => setError(null), [])
  return { run, pending, error, reset }
}
