/**
 * The session (src/services/auth/session-manager.ts) driven with a fake Taro storage, a fake login code
 * source, a fake wechat-login and a fake clock: what is stored, when a token counts as expired, that
 * callers waiting at the same time share one silent sign-in, renewal after a 401, and sign-out.
 */
import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/services/errors'
import { createSessionManager, RENEW_BEFORE_EXPIRY_SECONDS, type SessionDeps } from '../../src/services/auth/session-manager'
import { SESSION_STORAGE_KEY, type KeyValueStorage } from '../../src/services/auth/session-store'
import type { LoginResult, SessionUser } from '../../src/services/auth/types'

const NOW = Date.UTC(2026, 10, 21, 8, 0, 0)
const HOUR = 3600

const worker: SessionUser = { id: '00000000-0000-4000-8000-000000000011', role: 'worker', display_name: '刘建国', onboarded: false }

/** A JWT-shaped token whose payload carries `sub` (the session reads it; it never verifies). */
function token(sub: string, n: number): string {
  const payload = Buffer.from(JSON.stringify({ sub, role: 'authenticated', n })).toString('base64url')
  return `eyJhbGciOiJFUzI1NiJ9.${payload}.sig${n}`
}

class FakeStorage implements KeyValueStorage {
  readonly data = new Map<string, unknown>()
  getStorageSync(key: string): unknown {
    // Taro answers '' for a key it does not have.
    return this.data.has(key) ? structuredClone(this.data.get(key)) : ''
  }
  setStorageSync(key: string, data: unknown): void {
    this.data.set(key, structuredClone(data))
  }
  removeStorageSync(key: string): void {
    this.data.delete(key)
  }
}

/** A promise the test resolves or rejects when it chooses. */
function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

function setup(overrides: Partial<SessionDeps> = {}) {
  const storage = new FakeStorage()
  const clock = { now: NOW }
  const codes: string[] = []
  let issued = 0
  const deps: SessionDeps = {
    storage,
    mode: 'wechat',
    getLoginCode: async () => `wx-code-${codes.length + 1}`,
    requestLogin: async (code) => {
      codes.push(code)
      issued++
      return { access_token: token(worker.id, issued), expires_at: Math.floor(clock.now / 1000) + 2 * HOUR, user: worker }
    },
    loadUser: async () => worker,
    now: () => clock.now,
    ...overrides,
  }
  const session = createSessionManager(deps)
  return { session, storage, clock, codes, deps }
}

function stored(storage: FakeStorage) {
  return storage.data.get(SESSION_STORAGE_KEY) as { accessToken: string; expiresAt: number; demoHandle?: string } | undefined
}

describe('storing the session', () => {
  it('keeps only the token, its expiry and (in demo builds) the demo account in storage, nothing personal', async () => {
    const { session, storage } = setup({ mode: 'demo' })
    await session.signInWithDemo('worker1')
    const value = stored(storage)
    expect(Object.keys(value ?? {}).sort()).toEqual(['accessToken', 'demoHandle', 'expiresAt'])
    expect(value?.demoHandle).toBe('worker1')
    expect(JSON.stringify([...storage.data.values()])).not.toContain('刘建国')
  })

  it('reads a stored token back at start and loads the person behind it instead of signing in again', async () => {
    const first = setup()
    await first.session.start()
    const loaded: Array<[string, string]> = []
    const second = setup({
      loadUser: async (accessToken, userId) => {
        loaded.push([accessToken, userId])
        return { ...worker, onboarded: true }
      },
    })
    for (const [key, value] of first.storage.data) second.storage.data.set(key, value)

    await second.session.start()

    expect(second.codes).toEqual([])
    expect(loaded).toEqual([[stored(first.storage)?.accessToken, worker.id]])
    expect(second.session.getState()).toEqual({ status: 'signed-in', user: { ...worker, onboarded: true } })
    await expect(second.session.getAccessToken()).resolves.toBe(stored(first.storage)?.accessToken)
  })

  it('signs in afresh when the stored token is refused while loading the person', async () => {
    const { session, storage, codes } = setup({
      loadUser: async () => {
        throw new AppError({ code: 'unauthorized', status: 401, message: '登录已失效，请重新登录' })
      },
    })
    storage.setStorageSync(SESSION_STORAGE_KEY, { accessToken: token(worker.id, 99), expiresAt: NOW / 1000 + HOUR })
    await session.start()
    expect(codes).toEqual(['wx-code-1'])
    expect(session.getState()).toEqual({ status: 'signed-in', user: worker })
    expect(stored(storage)?.accessToken).toBe(token(worker.id, 1))
  })

  it('ignores storage that does not hold a session of ours', async () => {
    const { session, storage, codes } = setup({ mode: 'demo' })
    storage.setStorageSync(SESSION_STORAGE_KEY, { accessToken: 42, expiresAt: 'soon' })
    await session.start()
    expect(codes).toEqual([])
    expect(session.getState()).toEqual({ status: 'signed-out' })
  })
})

describe('expiry', () => {
  it('uses the token until it is within two minutes of expiring, then signs in silently for a new one', async () => {
    const { session, clock, codes } = setup()
    const first = await session.getAccessToken()
    expect(codes).toHaveLength(1)

    clock.now += (2 * HOUR - RENEW_BEFORE_EXPIRY_SECONDS - 1) * 1000
    await expect(session.getAccessToken()).resolves.toBe(first)
    expect(codes).toHaveLength(1)

    clock.now += 2000
    const second = await session.getAccessToken()
    expect(codes).toHaveLength(2)
    expect(second).not.toBe(first)
  })

  it('a stored token that has expired is not sent: the session signs in at start', async () => {
    const { session, storage, codes } = setup()
    storage.setStorageSync(SESSION_STORAGE_KEY, { accessToken: token(worker.id, 50), expiresAt: NOW / 1000 - 10 })
    await session.start()
    expect(codes).toEqual(['wx-code-1'])
    expect(stored(storage)?.accessToken).toBe(token(worker.id, 1))
  })
})

describe('one silent sign-in for everyone waiting', () => {
  it('concurrent callers without a token share a single sign-in and get the same token', async () => {
    const gate = deferred<void>()
    const { session, codes, deps } = setup()
    const login = deps.requestLogin
    deps.requestLogin = async (code) => {
      await gate.promise
      return login(code)
    }
    const callers = Promise.all([session.getAccessToken(), session.getAccessToken(), session.start(), session.getAccessToken()])
    await Promise.resolve()
    gate.resolve()
    const [a, b, , c] = await callers
    expect(codes).toHaveLength(1)
    expect(new Set([a, b, c])).toEqual(new Set([token(worker.id, 1)]))
  })

  it('when the shared sign-in fails, every caller goes on without a token and the reason is kept', async () => {
    const failure = new AppError({ code: 'unavailable', status: 502, message: '微信服务暂时不可用，请稍后再试' })
    let calls = 0
    const { session } = setup({
      requestLogin: async () => {
        calls++
        throw failure
      },
    })
    await expect(Promise.all([session.getAccessToken(), session.getAccessToken()])).resolves.toEqual([null, null])
    expect(calls).toBe(1)
    expect(session.lastSignInError()?.message).toBe('微信服务暂时不可用，请稍后再试')
  })

  it('start() shows the error of a sign-in a query had already started and it joined', async () => {
    const gate = deferred<void>()
    const { session, deps } = setup()
    deps.requestLogin = async () => {
      await gate.promise
      throw new AppError({ code: 'unavailable', status: 502, message: '微信服务暂时不可用，请稍后再试' })
    }
    const query = session.getAccessToken()
    const started = session.start()
    gate.resolve()
    await Promise.all([query, started])
    expect(session.getState()).toMatchObject({ status: 'error', error: { message: '微信服务暂时不可用，请稍后再试' } })
  })

  it('a failed sign-in at start is an error state with the Chinese message, and retry() recovers', async () => {
    let fail = true
    const { session, deps } = setup()
    const login = deps.requestLogin
    deps.requestLogin = async (code) => {
      if (fail) throw new AppError({ code: 'unavailable', status: 429, message: '操作太频繁，请稍后再试' })
      return login(code)
    }
    await session.start()
    expect(session.getState()).toMatchObject({ status: 'error', error: { message: '操作太频繁，请稍后再试' } })
    fail = false
    await session.retry()
    expect(session.getState()).toEqual({ status: 'signed-in', user: worker })
    expect(session.lastSignInError()).toBeNull()
  })
})

describe('renewing a token the server refused', () => {
  it('signs in once and answers the new token; requests that got the same 401 share that sign-in', async () => {
    const { session, codes } = setup()
    const refused = await session.getAccessToken()
    expect(refused).not.toBeNull()
    const [a, b] = await Promise.all([session.renewAccessToken(refused!), session.renewAccessToken(refused!)])
    expect(codes).toHaveLength(2)
    expect(a).toBe(b)
    expect(a).not.toBe(refused)
    await expect(session.getAccessToken()).resolves.toBe(a)
  })

  it('a refusal of a token already replaced is answered with the replacement, without signing in', async () => {
    const { session, codes } = setup()
    const old = await session.getAccessToken()
    const replacement = await session.renewAccessToken(old!)
    await expect(session.renewAccessToken(old!)).resolves.toBe(replacement)
    expect(codes).toHaveLength(2)
  })

  it('rejects with the sign-in failure when the silent sign-in fails, and does not send the refused token again', async () => {
    let fail = false
    const { session, deps } = setup()
    const login = deps.requestLogin
    deps.requestLogin = async (code) => {
      if (fail) throw new AppError({ code: 'unavailable', status: 502, message: '微信服务暂时不可用，请稍后再试' })
      return login(code)
    }
    const refused = await session.getAccessToken()
    fail = true
    await expect(session.renewAccessToken(refused!)).rejects.toMatchObject({ message: '微信服务暂时不可用，请稍后再试' })
    // The refused token is marked unusable: the next request tries to sign in instead of sending it.
    await expect(session.getAccessToken()).resolves.toBeNull()
  })

  it('answers the new token even when it is the same string as the refused one (signed again within a second)', async () => {
    const sameEveryTime = token(worker.id, 7)
    const { session, codes } = setup({
      requestLogin: async (code) => {
        codes.push(code)
        return { access_token: sameEveryTime, expires_at: NOW / 1000 + 2 * HOUR, user: worker }
      },
    })
    const refused = await session.getAccessToken()
    await expect(session.renewAccessToken(refused!)).resolves.toBe(sameEveryTime)
    expect(codes).toHaveLength(2)
  })

  it('in a demo build, renews with the demo account that was picked', async () => {
    const { session, codes } = setup({ mode: 'demo' })
    await session.signInWithDemo('worker2')
    const refused = await session.getAccessToken()
    await session.renewAccessToken(refused!)
    expect(codes).toEqual(['demo:worker2', 'demo:worker2'])
  })
})

describe('signing out', () => {
  it('clears the stored token, ends the session and stops silent sign-in until the person signs in', async () => {
    const { session, storage, codes } = setup()
    await session.start()
    session.signOut()
    expect(storage.data.has(SESSION_STORAGE_KEY)).toBe(false)
    expect(session.getState()).toEqual({ status: 'signed-out' })
    await expect(session.getAccessToken()).resolves.toBeNull()
    expect(codes).toHaveLength(1)

    await session.signIn()
    expect(codes).toHaveLength(2)
    expect(session.getState()).toEqual({ status: 'signed-in', user: worker })
  })

  it('a sign-in that finishes after sign-out does not bring the session back', async () => {
    const gate = deferred<void>()
    const { session, storage, deps } = setup()
    const login = deps.requestLogin
    deps.requestLogin = async (code) => {
      await gate.promise
      return login(code)
    }
    const pending = session.getAccessToken()
    await Promise.resolve()
    session.signOut()
    gate.resolve()
    await expect(pending).resolves.toBeNull()
    expect(session.getState()).toEqual({ status: 'signed-out' })
    expect(storage.data.has(SESSION_STORAGE_KEY)).toBe(false)
  })

  it('in a demo build, signing out forgets the demo account, so nothing signs in silently after a restart', async () => {
    const { session, storage } = setup({ mode: 'demo' })
    await session.signInWithDemo('admin')
    session.signOut()
    const restarted = createSessionManager({ ...setup({ mode: 'demo' }).deps, storage })
    await restarted.start()
    expect(restarted.getState()).toEqual({ status: 'signed-out' })
  })
})

describe('who is signed in', () => {
  it('picking another demo account replaces the previous person and their token', async () => {
    const people: Record<string, SessionUser> = {
      'demo:admin': { id: '00000000-0000-4000-8000-000000000001', role: 'admin', display_name: '王主任', onboarded: true },
      'demo:worker2': { id: '00000000-0000-4000-8000-000000000012', role: 'butler', display_name: '陈秀英', onboarded: true },
    }
    let n = 0
    const { session } = setup({
      mode: 'demo',
      requestLogin: async (code): Promise<LoginResult> => ({
        access_token: token(people[code].id, ++n),
        expires_at: NOW / 1000 + 2 * HOUR,
        user: people[code],
      }),
    })
    await session.signInWithDemo('admin')
    const adminToken = await session.getAccessToken()
    const user = await session.signInWithDemo('worker2')
    expect(user.role).toBe('butler')
    expect(session.getState()).toEqual({ status: 'signed-in', user: people['demo:worker2'] })
    expect(await session.getAccessToken()).not.toBe(adminToken)
  })

  it('tells subscribers about every change and lets pages update the person after onboarding', async () => {
    const { session } = setup()
    const seen: string[] = []
    const unsubscribe = session.subscribe(() => seen.push(session.getState().status))
    await session.start()
    session.updateUser({ onboarded: true, display_name: '刘建国' })
    unsubscribe()
    session.signOut()
    expect(seen).toEqual(['signing-in', 'signed-in', 'signed-in'])
    expect(session.getState()).toEqual({ status: 'signed-out' })
  })

  it('an H5 build without demo accounts never tries to sign in', async () => {
    const { session, codes } = setup({ mode: 'none' })
    await session.start()
    expect(session.getState()).toEqual({ status: 'signed-out' })
    await expect(session.getAccessToken()).resolves.toBeNull()
    await expect(session.signIn()).rejects.toMatchObject({ message: '请在微信中打开小程序登录' })
    expect(codes).toEqual([])
  })
})
