/**
 * The session for React: pages re-render when someone signs in or out, or the person's data changes.
 * An external store (services/auth/session.ts) read with useSyncExternalStore, so it needs no provider.
 */
import { useSyncExternalStore } from 'react'
import { getSession } from './session'
import type { SessionState } from './session-manager'
import type { SessionUser } from './types'

function subscribe(listener: () => void): () => void {
  return getSession().subscribe(listener)
}

function snapshot(): SessionState {
  return getSession().getState()
}

export function useSession(): SessionState {
  return useSyncExternalStore(subscribe, snapshot, snapshot)
}

/** The signed-in person, or null. */
export function useSessionUser(): SessionUser | null {
  const state = useSession()
  return state.status === 'signed-in' ? state.user : null
}
