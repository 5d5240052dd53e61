/**
 * The session: our access token (from the wechat-login edge function), who it belongs to, and how to get
 * a new one without bothering the person.
 *
 * - The token and its expiry live in storage and are read back when the app starts (session-store.ts);
 *   the person behind it is then loaded from the database, so nothing personal is ever stored.
 * - `getAccessToken()` (supabase-js's `accessToken` option) answers a token that is valid for at least
 *   two more minutes, signing in silently first when there is none or it is about to expire. Every
 *   caller waiting at the same time shares one sign-in.
 * - `renewAccessToken(rejected)` is for the fetch layer when the server answered 401 to a token: one
 *   silent sign-in (shared the same way), unless someone already replaced that token.
 * - Silent sign-in is `Taro.login()` → wechat-login on WeChat; in demo builds it reuses the demo account
 *   the person picked. After `signOut()` nothing signs in silently until the person signs in again.
 *
 * Platform-free: storage, the login code, the HTTP calls and the clock are given, so tests drive it with
 * fakes. services/auth/session.ts builds the app's one instance.
 */
import { AppError, ERROR_MESSAGES, toAppError } from '../errors'
import { jwtSubject } from './jwt'
import { clearStoredSession, readStoredSession, writeStoredSession, type KeyValueStorage, type StoredSession } from './session-store'
import type { LoginResult, SessionUser } from './types'

export type SessionState =
  /** Reading storage and loading the person, right after launch. */
  | { status: 'starting' }
  /** A sign-in the person is waiting for (launch, the 登录 button, the demo picker). */
  | { status: 'signing-in' }
  | { status: 'signed-in'; user: SessionUser }
  | { status: 'signed-out' }
  /** Start or sign-in failed; `retry()` tries again. */
  | { status: 'error'; error: AppError }

export interface SessionDeps {
  storage: KeyValueStorage
  /**
   * 'wechat' signs in with Taro.login codes; 'demo' with the `demo:<handle>` account picked on the demo
   * page; 'none' (H5 without demo accounts: no Taro.login there) never signs in.
   */
  mode: 'wechat' | 'demo' | 'none'
  /** A fresh Taro.login() code (wechat mode only). */
  getLoginCode(): Promise<string>
  /** The wechat-login edge function. */
  requestLogin(code: string): Promise<LoginResult>
  /** The person behind a stored token; rejects with an `unauthorized` AppError when the token is refused. */
  loadUser(accessToken: string, userId: string): Promise<SessionUser>
  /** Milliseconds since the epoch. */
  now(): number
}

export interface SessionManager {
  getState(): SessionState
  /** For useSyncExternalStore: called after every state change. Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void
  /** Reads the stored session and signs in silently when needed. Runs once; later calls share it. */
  start(): Promise<void>
  /** Starts over after an error state. */
  retry(): Promise<void>
  /** A token valid for at least two more minutes, or null when there is none and none can be had silently. */
  getAccessToken(): Promise<string | null>
  /** A replacement for a token the server refused (401); rejects with a Chinese AppError when there is none. */
  renewAccessToken(rejected: string): Promise<string>
  /** Why the last silent sign-in failed, until one succeeds or the person signs out. */
  lastSignInError(): AppError | null
  /** Interactive WeChat sign-in (the 登录 button after signing out or after an error). */
  signIn(): Promise<SessionUser>
  /** Demo builds: signs in as one of the seeded people, replacing whoever was signed in. */
  signInWithDemo(handle: string): Promise<SessionUser>
  /** Forgets the token (memory and storage); no silent sign-in until the next interactive one. */
  signOut(): void
  /** After the person's own data changed (onboarding saved, name changed). */
  updateUser(patch: Partial<Omit<SessionUser, 'id'>>): void
}

/** A token with less than this left is renewed before use, so it does not expire in flight. */
export const RENEW_BEFORE_EXPIRY_SECONDS = 120

export function createSessionManager(deps: SessionDeps): SessionManager {
  /** undefined until storage is first read. */
  let record: StoredSession | null | undefined
  let state: SessionState = { status: 'starting' }
  const listeners = new Set<() => void>()
  /** The sign-in in flight, shared by every caller that needs a token meanwhile. */
  let inflight: Promise<LoginResult> | null = null
  /** Bumped by every sign-in attempt and by sign-out; an attempt applies its result only if still current. */
  let generation = 0
  let lastError: AppError | null = null
  /** Set by signOut: silent sign-in stays off until the person signs in themselves. */
  let signedOut = false
  let started: Promise<void> | null = null

  function setState(next: SessionState): void {
    state = next
    for (const listener of [...listeners]) listener()
  }

  function current(): StoredSession | null {
    if (record === undefined) record = readStoredSession(deps.storage)
    return record
  }

  function isFresh(session: StoredSession): boolean {
    return session.expiresAt * 1000 - deps.now() > RENEW_BEFORE_EXPIRY_SECONDS * 1000
  }

  function freshToken(): string | null {
    const session = current()
    return session && isFresh(session) ? session.accessToken : null
  }

  /** The server refused this token: never send it again (the demo handle stays, for silent renewal). */
  function markRejected(session: StoredSession): void {
    if (current() !== session) return
    record = { ...session, expiresAt: 0 }
    writeStoredSession(deps.storage, record)
  }

  function canSignInSilently(): boolean {
    if (signedOut || deps.mode === 'none') return false
    return deps.mode === 'wechat' || Boolean(current()?.demoHandle)
  }

  function unauthorized(detail: string): AppError {
    return new AppError({ code: 'unauthorized', status: 401, message: ERROR_MESSAGES.unauthorized, detail })
  }

  /**
   * One sign-in attempt. It becomes the shared in-flight sign-in; on success it stores the token and the
   * state becomes signed-in, unless a newer attempt or a sign-out came in the meantime.
   */
  function runSignIn(code: () => Promise<string>, demoHandle: string | undefined, onFailure: (error: AppError) => void): Promise<LoginResult> {
    const mine = ++generation
    const attempt: Promise<LoginResult> = (async () => {
      try {
        const result = await deps.requestLogin(await code())
        if (mine === generation) {
          record = { accessToken: result.access_token, expiresAt: result.expires_at, ...(demoHandle ? { demoHandle } : {}) }
          writeStoredSession(deps.storage, record)
          lastError = null
          setState({ status: 'signed-in', user: result.user })
        }
        return result
      } catch (caught) {
        const error = toAppError(caught)
        if (mine === generation) {
          lastError = error
          onFailure(error)
        }
        throw error
      }
    })().finally(() => {
      if (inflight === attempt) inflight = null
    })
    inflight = attempt
    return attempt
  }

  /** Joins the sign-in in flight or starts a silent one, which leaves the state alone when it fails. */
  function silentSignIn(): Promise<LoginResult> {
    if (inflight) return inflight
    const keepState = () => undefined
    if (deps.mode === 'none') return Promise.reject(unauthorized('this build has no way to sign in'))
    if (deps.mode === 'demo') {
      const handle = current()?.demoHandle
      if (!handle) return Promise.reject(unauthorized('demo build without a demo account to sign in again with'))
      return runSignIn(async () => `demo:${handle}`, handle, keepState)
    }
    return runSignIn(deps.getLoginCode, undefined, keepState)
  }

  /** Waits for a sign-in that superseded the one just awaited, so its callers get the newest token. */
  async function settle(): Promise<void> {
    if (inflight) await inflight.catch(() => undefined)
  }

  async function boot(): Promise<void> {
    const bootGeneration = generation
    const stored = current()
    if (stored && isFresh(stored)) {
      const userId = jwtSubject(stored.accessToken)
      if (userId) {
        try {
          const user = await deps.loadUser(stored.accessToken, userId)
          if (bootGeneration === generation) setState({ status: 'signed-in', user })
          return
        } catch (caught) {
          const error = toAppError(caught)
          if (bootGeneration !== generation) return
          if (error.code !== 'unauthorized') {
            // Offline or the server is down: keep the token, let the person retry.
            setState({ status: 'error', error })
            return
          }
        }
      }
      markRejected(stored)
    }
    if (!canSignInSilently()) {
      setState({ status: 'signed-out' })
      return
    }
    setState({ status: 'signing-in' })
    try {
      // Possibly joining a sign-in a query started first: its failure is this start's failure too.
      await silentSignIn()
    } catch (caught) {
      if (state.status === 'signing-in') setState({ status: 'error', error: toAppError(caught) })
    }
  }

  return {
    getState: () => state,

    subscribe(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },

    start() {
      started ??= boot()
      return started
    },

    retry() {
      started = boot()
      return started
    },

    async getAccessToken() {
      const token = freshToken()
      if (token) return token
      if (!canSignInSilently()) return null
      try {
        await silentSignIn()
      } catch {
        // lastSignInError() has the reason; the request goes out without a user token.
      }
      await settle()
      return freshToken()
    },

    async renewAccessToken(rejected) {
      const stored = current()
      if (stored && isFresh(stored) && stored.accessToken !== rejected) return stored.accessToken
      if (stored && stored.accessToken === rejected) markRejected(stored)
      if (!canSignInSilently()) throw unauthorized('the server refused the token and this build cannot sign in silently')
      await silentSignIn()
      await settle()
      // Not compared with `rejected`: a token signed again within the same second can be the very same
      // string (deterministic ES256), and the caller retries only once anyway.
      const token = freshToken()
      if (!token) throw unauthorized('silent sign-in gave no new token')
      return token
    },

    lastSignInError: () => lastError,

    async signIn() {
      if (deps.mode !== 'wechat') {
        throw new AppError({
          code: 'config',
          message: deps.mode === 'demo' ? '请选择演示账号登录' : '请在微信中打开小程序登录',
          detail: `signIn() is for WeChat builds; this one is in mode ${deps.mode}`,
        })
      }
      signedOut = false
      setState({ status: 'signing-in' })
      const result = await runSignIn(deps.getLoginCode, undefined, (error) => setState({ status: 'error', error }))
      return result.user
    },

    async signInWithDemo(handle) {
      if (deps.mode !== 'demo') {
        throw new AppError({ code: 'forbidden', status: 403, message: '演示账号登录未开放', detail: 'demo sign-in in a WeChat build' })
      }
      // Switching accounts: the previous person's token must not outlive this choice.
      record = null
      clearStoredSession(deps.storage)
      signedOut = false
      setState({ status: 'signing-in' })
      const result = await runSignIn(async () => `demo:${handle}`, handle, () => setState({ status: 'signed-out' }))
      return result.user
    },

    signOut() {
      generation++
      inflight = null
      record = null
      lastError = null
      signedOut = true
      clearStoredSession(deps.storage)
      setState({ status: 'signed-out' })
    },

    updateUser(patch) {
      if (state.status !== 'signed-in') return
      setState({ status: 'signed-in', user: { ...state.user, ...patch } })
    },
  }
}
