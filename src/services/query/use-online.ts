/** Whether the device has a network, as TanStack Query's onlineManager knows it (platform-events.ts). */
import { useSyncExternalStore } from 'react'
import { onlineManager } from '@tanstack/react-query'

const subscribe = (listener: () => void) => onlineManager.subscribe(listener)
const snapshot = () => onlineManager.isOnline()

export function useOnline(): boolean {
  return useSyncExternalStore(subscribe, snapshot, snapshot)
}
