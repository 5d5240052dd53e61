/**
 * The one way pages run a change (save, withdraw, delete, mark read):
 * - `pending` for the "保存中…" state, and a second run ignored while the first is running (two taps
 *   in one frame both see the state from before the first, so a ref guards it, not state);
 * - on failure the error as an AppError whose Chinese message says what to do, shown as a toast unless
 *   the page shows it in place (`errorToast: false`), and kept in `error`;
 * - on success the keys the change made stale are invalidated, and `onSuccess` can put the returned
 *   state in the cache at once (setQueryData).
 */
import { useCallback, useRef } from 'react'
import Taro from '@tarojs/taro'
import { useMutation, type QueryKey } from '@tanstack/react-query'
import { toAppError, type AppError } from '../errors'
import { invalidate } from './cache'

/** How long a toast stays: long enough to read a sentence at 40–55 (WeChat's default 1.5 s is not). */
export const TOAST_MS = 2500

/** How a run ended: its data, or its error (null when it did not run because one was already running). */
export type MutationOutcome<T> = { ok: true; data: T } | { ok: false; error: AppError | null }

export interface AppMutationOptions<A, T> {
  mutate: (args: A) => Promise<T>
  /** Domain keys (from keys.ts) the change made stale. */
  invalidates?: (data: T, args: A) => readonly QueryKey[]
  /** After success, before invalidation: e.g. setQueryData with the returned state. */
  onSuccess?: (data: T, args: A) => void
  /** Show a failure as a toast (default); false when the page shows `error` in place. */
  errorToast?: boolean
  /** A short success toast (up to 7 characters show with the tick on WeChat). */
  successToast?: string
}

export interface AppMutationResult<A, T> {
  /** Runs the change; never rejects (a failure is also in `error`, ready to show). */
  run: (args: A) => Promise<MutationOutcome<T>>
  pending: boolean
  error: AppError | null
  reset: () => void
}

export function showErrorToast(error: AppError): void {
  void Taro.showToast({ title: error.message, icon: 'none', duration: TOAST_MS })
}

export function showSuccessToast(title: string): void {
  void Taro.showToast({ title, icon: 'success', duration: TOAST_MS })
}

export function useAppMutation<A = void, T = unknown>(options: AppMutationOptions<A, T>): AppMutationResult<A, T> {
  const optionsRef = useRef(options)
  optionsRef.current = options
  const running = useRef(false)
  const mutation = useMutation<T, AppError, A>({
    mutationFn: async (args) => {
      try {
        return await optionsRef.current.mutate(args)
      } catch (error) {
        throw toAppError(error)
      }
    },
  })
  const { mutateAsync, reset } = mutation

  const run = useCallback(
    async (args: A): Promise<MutationOutcome<T>> => {
      if (running.current) return { ok: false, error: null }
      running.current = true
      const { invalidates, onSuccess, errorToast = true, successToast } = optionsRef.current
      try {
        const data = await mutateAsync(args)
        onSuccess?.(data, args)
        if (successToast) showSuccessToast(successToast)
        await Promise.all((invalidates?.(data, args) ?? []).map((key) => invalidate(key)))
        return { ok: true, data }
      } catch (caught) {
        const error = toAppError(caught)
        if (errorToast) showErrorToast(error)
        return { ok: false, error }
      } finally {
        running.current = false
      }
    },
    [mutateAsync],
  )

  return { run, pending: mutation.isPending, error: mutation.error ? toAppError(mutation.error) : null, reset }
}
