/**
 * Wires TanStack Query to the mini-program's life cycle instead of the browser's:
 *
 * - focusManager: the app coming to the foreground (Taro.onAppShow) counts as focus and refetches what
 *   is shown and stale; in the background (Taro.onAppHide) nothing refetches. Pages coming back into
 *   view are handled per page by useAppQuery (useDidShow / useDidHide).
 * - onlineManager: Taro.onNetworkStatusChange (plus the browser's online/offline events on H5, where
 *   Taro only follows navigator.connection). Queries wait while offline and go on when the network is
 *   back.
 *
 * Platform-free: the events are given, so unit tests drive them without any browser global.
 */
import { focusManager as defaultFocusManager, onlineManager as defaultOnlineManager } from '@tanstack/react-query'
import type { FocusManager, OnlineManager } from '@tanstack/react-query'

type Unsubscribe = () => void

export interface QueryPlatformEvents {
  onAppShow(listener: () => void): Unsubscribe
  onAppHide(listener: () => void): Unsubscribe
  /** Called with whether the device has a network now, whenever that changes. */
  onNetworkChange(listener: (online: boolean) => void): Unsubscribe
  /** Whether the device has a network right now (asked once when wiring). */
  isOnline(): Promise<boolean>
}

export interface QueryManagers {
  focusManager: FocusManager
  onlineManager: OnlineManager
}

/** Connects the managers to the platform's events; returns the function that disconnects them. */
export function wireQueryPlatform(events: QueryPlatformEvents, managers: QueryManagers = { focusManager: defaultFocusManager, onlineManager: defaultOnlineManager }): Unsubscribe {
  const { focusManager, onlineManager } = managers
  // An explicit state, so the manager never asks document.visibilityState.
  focusManager.setFocused(true)
  focusManager.setEventListener((setFocused) => {
    const offShow = events.onAppShow(() => setFocused(true))
    const offHide = events.onAppHide(() => setFocused(false))
    return () => {
      offShow()
      offHide()
    }
  })
  let wired = true
  onlineManager.setEventListener((setOnline) => {
    events
      .isOnline()
      .then((online) => {
        if (wired) setOnline(online)
      })
      .catch(() => undefined)
    return events.onNetworkChange(setOnline)
  })
  return () => {
    wired = false
    focusManager.setEventListener(() => undefined)
    onlineManager.setEventListener(() => undefined)
  }
}
