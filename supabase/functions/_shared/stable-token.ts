// The WeChat access token for server APIs (getuserphonenumber, subscribeMessage.send, later msgSecCheck):
// one token for the whole backend, from the stable_token API, shared by every function instance through
// the private table private.wechat_access_tokens (service-role RPCs public.cached_wechat_token and
// public.store_wechat_token).
//
// Why shared: WeChat allows force_refresh only 20 times a day, 30 s apart, and a forced refresh makes the
// previous token stop working. With one cached token, a 40001 in one instance is answered by the token
// another instance already refreshed (read back from the table) before anyone forces a new one.
//
//   get()               the token in the table while it has more than 5 minutes left; otherwise one from
//                       stable_token in normal mode (WeChat hands every caller the same current token),
//                       written to the table
//   refresh(rejected)   WeChat said `rejected` is invalid (40001, 40014, 42001): the table's token if
//                       another instance has already replaced it, else stable_token with force_refresh
//   call(fn)            fn(token), and once more with a refreshed token when WeChat rejects the first
//
// Each instance also remembers the token for a short while (MEMO_MS) so a burst of calls (the push
// dispatcher sends dozens a second) does not read the table for every call. The table is a cache, never
// the only way to a token: when it cannot be read or written the token comes straight from stable_token.
import { ACCESS_TOKEN_ERRCODES, type StableToken, WechatApiError } from './wechat.ts'
import type { Logger } from './http.ts'

/** The service-role RPCs over private.wechat_access_tokens. */
export interface TokenStore {
  /** The cached token while it has more than 5 minutes left, else null (public.cached_wechat_token). */
  read(appId: string): Promise<string | null>
  /** Caches a token for every instance (public.store_wechat_token). */
  write(appId: string, token: string, expiresIn: number): Promise<void>
}

/** How long an instance trusts its own copy of the token before reading the table again. */
export const MEMO_MS = 60 * 1000

export interface SharedAccessTokenOptions {
  appId: string
  store: TokenStore
  fetchToken: (forceRefresh: boolean) => Promise<StableToken>
  /** Milliseconds since the epoch. */
  now: () => number
  log?: Logger
}

export class SharedAccessToken {
  private memo: { token: string; until: number } | null = null
  private inflight: Promise<string> | null = null

  constructor(private readonly opts: SharedAccessTokenOptions) {}

  get appId(): string {
    return this.opts.appId
  }

  /** The current token. */
  get(): Promise<string> {
    if (this.memo && this.memo.until > this.opts.now()) return Promise.resolve(this.memo.token)
    return this.flight(() => this.load(null))
  }

  /** A token other than `rejected`, forcing a new one from WeChat only when nobody has replaced it yet. */
  async refresh(rejected: string): Promise<string> {
    if (this.inflight) {
      const t = await this.inflight.catch(() => null)
      if (t && t !== rejected) return t
    }
    if (this.memo && this.memo.token !== rejected && this.memo.until > this.opts.now()) return this.memo.token
    this.memo = null
    return this.flight(() => this.load(rejected))
  }

  /** Runs fn with the token; when WeChat rejects the token (40001, 40014, 42001), refreshes once and runs it again. */
  async call<T>(fn: (token: string) => Promise<T>): Promise<T> {
    const token = await this.get()
    try {
      return await fn(token)
    } catch (e) {
      if (!(e instanceof WechatApiError && ACCESS_TOKEN_ERRCODES.has(e.errcode))) throw e
      this.opts.log?.(`access token rejected (${e.errcode}); refreshing once`)
      return await fn(await this.refresh(token))
    }
  }

  /** Concurrent callers in this instance share one load. */
  private flight(load: () => Promise<string>): Promise<string> {
    if (this.inflight) return this.inflight
    const p = load().finally(() => {
      if (this.inflight === p) this.inflight = null
    })
    this.inflight = p
    return p
  }

  /** `rejected` null: any cached token will do; otherwise a token other than `rejected`. */
  private async load(rejected: string | null): Promise<string> {
    const { appId, store, log } = this.opts
    let cached: string | null = null
    try {
      cached = await store.read(appId)
    } catch (e) {
      log?.(`reading the shared access token failed, asking stable_token: ${e}`)
    }
    if (cached && cached !== rejected) return this.remember(cached)
    const fresh = await this.opts.fetchToken(rejected !== null)
    try {
      await store.write(appId, fresh.access_token, fresh.expires_in)
    } catch (e) {
      log?.(`storing the shared access token failed: ${e}`)
    }
    return this.remember(fresh.access_token)
  }

  private remember(token: string): string {
    this.memo = { token, until: this.opts.now() + MEMO_MS }
    return token
  }
}
