import { useSyncExternalStore } from 'react'
import { isLargeText, subscribeLargeText } from './large-text'

/** Whether large-text mode is on; re-renders when it is switched. */
export function useLargeText(): boolean {
  return useSyncExternalStore(subscribeLargeText, isLargeText, isLargeText)
}
