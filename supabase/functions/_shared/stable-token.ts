// The WeChat access token for server APIs (getuserphonenumber, later subscribeMessage.send, msgSecCheck),
// from the stable_token API, kept until shortly before it expires.
//
// For now the cache lives in memory, one per function instance: each instance fetches its own token on
// first use. That is safe with stable_token in normal mode (it hands every caller the same current token),
// and a 40001 makes us refresh once. A later issue moves the token to a private table so that every
// function instance and the notification dispatcher share one token and force_refresh (limited by WeChat
// to 20 a day, 30 s apart) is used sparingly.
import type { StableToken } from './wechat.ts'

/** Refresh this long before WeChat's expiry (WeChat itself renews 5 minutes early in normal mode). */
const EARLY_MS = 5 * 60 * 1000

export class StableTokenCache {
  private current: { token: string; expiresAt: number } | null = null
  private pending: Promise<string> | null = null

  constructor(
    private readonly fetchToken: (forceRefresh: boolean) => Promise<StableToken>,
    private readonly now: () => number,
  ) {}

  /** The cached token while it is fresh; otherwise one from stable_token in normal mode. */
  get(): Promise<string> {
    if (this.current && this.current.expiresAt - EARLY_MS > this.now()) return Promise.resolve(this.current.token)
    return this.load(false)
  }

  /**
   * WeChat rejected `rejected` (40001 and friends): a new token from stable_token with force_refresh,
   * unless another request already replaced it, in which case that newer token is the answer.
   */
  refresh(rejected: string): Promise<string> {
    if (this.current && this.current.token !== rejected && this.current.expiresAt - EARLY_MS > this.now()) {
      return Promise.resolve(this.current.token)
    }
    this.current = null
    return this.load(true)
  }

  private load(forceRefresh: boolean): Promise<string> {
    // Concurrent requests share one stable_token call.
    if (this.pending) return this.pending
    this.pending = this.fetchToken(forceRefresh)
      .then((t) => {
        this.current = { token: t.access_token, expiresAt: this.now() + t.expires_in * 1000 }
        return t.access_token
      })
      .finally(() => {
        this.pending = null
      })
    return this.pending
  }
}
