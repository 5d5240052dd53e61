import { useSyncExternalStore } from 'react'
import { isLargeText, largeTextSource, subscribeLargeText, type LargeTextSource } from './large-text'

/** Whether large-text mode is on; re-renders when it is switched or WeChat's font setting changes. */
export function useLargeText(): boolean {
  return useSyncExternalStore(subscribeLargeText, isLargeText, isLargeText)
}

/** Why the mode is what it is: the person's switch, WeChat's font setting, or neither. */
export function useLargeTextSource(): LargeTextSource {
  return useSyncExternalStore(subscribeLargeText, largeTextSource, largeTextSource)
}
