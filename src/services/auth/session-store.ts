/**
 * What survives a restart of the app: the access token, when it expires and, in demo builds, which demo
 * account signed in (so an expired demo token can be renewed without the picker). Nothing personal is
 * kept: no name, phone number or ID; who the person is comes from the database after start.
 */

/** Taro's synchronous storage, narrowed to what the session needs (tests pass a Map-backed fake). */
export interface KeyValueStorage {
  getStorageSync(key: string): unknown
  setStorageSync(key: string, data: unknown): void
  removeStorageSync(key: string): void
}

export interface StoredSession {
  accessToken: string
  /** Unix seconds, as wechat-login answers it. */
  expiresAt: number
  /** The `demo:<handle>` account of a demo build; absent for WeChat sign-in. */
  demoHandle?: string
}

export const SESSION_STORAGE_KEY = 'cg.session'

/** The stored session, or null when there is none or it is not one of ours (storage is never trusted). */
export function readStoredSession(storage: KeyValueStorage): StoredSession | null {
  let value: unknown
  try {
    value = storage.getStorageSync(SESSION_STORAGE_KEY)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const { accessToken, expiresAt, demoHandle } = value as Record<string, unknown>
  if (typeof accessToken !== 'string' || accessToken === '' || typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) {
    return null
  }
  return typeof demoHandle === 'string' && demoHandle !== '' ? { accessToken, expiresAt, demoHandle } : { accessToken, expiresAt }
}

export function writeStoredSession(storage: KeyValueStorage, session: StoredSession): void {
  try {
    storage.setStorageSync(SESSION_STORAGE_KEY, { ...session })
  } catch {
    // Storage full or unavailable: the session still works for this run of the app.
  }
}

export function clearStoredSession(storage: KeyValueStorage): void {
  try {
    storage.removeStorageSync(SESSION_STORAGE_KEY)
  } catch {
    // Nothing stored, or storage unavailable: either way nothing is left to clear.
  }
}
