/**
 * Messages on their way to the server. A message gets its id on the phone before the first try, and
 * keeps it: a send whose answer was lost on a weak network is tried again with the same id, and the
 * server (which takes the client's id as the primary key) never makes a second message of it.
 *
 * - submit: the entry shows at once (发送中), then is sent; sent → it leaves the outbox and the server's
 *   row takes its place (onSent); failed → it stays, marked 重发, with the reason.
 * - retry: the same entry, the same id, sent again; a retry while a try is running is ignored.
 * - discard: the person gives up on a failed entry (删除).
 *
 * Pure: sending, ids and time are given, so the rules are tested without Taro or a server. One outbox
 * serves every group; entries carry their group. It lives as long as the app (a page closed and opened
 * again still shows what failed).
 */

export type OutgoingKind = 'text' | 'image' | 'voice'

/** What the person sends. */
export interface OutgoingDraft {
  readonly groupId: string
  readonly kind: OutgoingKind
  /** The text (text), or nothing. */
  readonly body?: string
  /** A picked or recorded temp file (image, voice). */
  readonly filePath?: string
  /** The file's type, e.g. image/jpeg or audio/mpeg. */
  readonly contentType?: string
  /** The file's size in bytes, as the picker or recorder reported it. */
  readonly size?: number
  /** A voice message's length. */
  readonly durationMs?: number
  /** People @-mentioned (butlers). */
  readonly mentions?: readonly string[]
}

export type OutboxState = 'sending' | 'failed'

export interface OutboxEntry extends OutgoingDraft {
  /** Chosen once, before the first try; every retry sends the same. */
  readonly id: string
  /** When the person pressed 发送 (the phone's clock; only for showing). */
  readonly created_at: string
  readonly sender_id: string
  readonly state: OutboxState
  /** How many tries have been started. */
  readonly attempts: number
  /** Why the last try failed, in Chinese; null while sending. */
  readonly error: string | null
}

export interface OutboxDeps<R> {
  /** A new unique id (services/platform/random-id.ts). */
  newId: () => Promise<string>
  /** Sends the entry; must be idempotent by entry.id. Rejects with an error whose message is Chinese. */
  send: (entry: OutboxEntry) => Promise<R>
  /** The server accepted the entry; `row` is what it stored (put it in the list before the entry goes). */
  onSent?: (entry: OutboxEntry, row: R) => void
  now?: () => Date
}

const FALLBACK_ERROR = '发送失败，请点重发'

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : ''
  return /^[\u4e00-\u9fff]/.test(message) ? message : FALLBACK_ERROR
}

export class Outbox<R> {
  private list: readonly OutboxEntry[] = []
  private readonly listeners = new Set<() => void>()
  private readonly deps: OutboxDeps<R>

  constructor(deps: OutboxDeps<R>) {
    this.deps = deps
  }

  /** Every entry, oldest first (a new array whenever anything changed, for useSyncExternalStore). */
  all(): readonly OutboxEntry[] {
    return this.list
  }

  /** The entries of one group, oldest first. */
  forGroup(groupId: string): readonly OutboxEntry[] {
    return this.list.filter((entry) => entry.groupId === groupId)
  }

  get(id: string): OutboxEntry | undefined {
    return this.list.find((entry) => entry.id === id)
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Adds the draft (shown at once) and sends it; resolves with how the first try ended. */
  async submit(draft: OutgoingDraft, senderId: string): Promise<{ ok: boolean; entry: OutboxEntry }> {
    const id = await this.deps.newId()
    const entry: OutboxEntry = {
      ...draft,
      id,
      sender_id: senderId,
      created_at: (this.deps.now?.() ?? new Date()).toISOString(),
      state: 'sending',
      attempts: 0,
      error: null,
    }
    this.set([...this.list, entry])
    return this.attempt(id)
  }

  /** Sends a failed entry again, with the same id. Ignored while it is sending or when it is gone. */
  async retry(id: string): Promise<{ ok: boolean; entry: OutboxEntry } | null> {
    const entry = this.get(id)
    if (!entry || entry.state === 'sending') return null
    this.update(id, { state: 'sending', error: null })
    return this.attempt(id)
  }

  /** Drops a failed entry (a sending one cannot be called back: its answer may still come). */
  discard(id: string): boolean {
    const entry = this.get(id)
    if (!entry || entry.state === 'sending') return false
    this.set(this.list.filter((e) => e.id !== id))
    return true
  }

  /** Empties the outbox (sign-out, another person signing in). */
  clear(): void {
    this.set([])
  }

  private async attempt(id: string): Promise<{ ok: boolean; entry: OutboxEntry }> {
    this.update(id, { attempts: (this.get(id)?.attempts ?? 0) + 1 })
    const entry = this.get(id)!
    try {
      const row = await this.deps.send(entry)
      if (!this.get(id)) return { ok: true, entry } // cleared meanwhile (sign-out): nothing to show
      this.deps.onSent?.(entry, row)
      this.set(this.list.filter((e) => e.id !== id))
      return { ok: true, entry }
    } catch (error) {
      if (!this.get(id)) return { ok: false, entry }
      this.update(id, { state: 'failed', error: reasonOf(error) })
      return { ok: false, entry: this.get(id)! }
    }
  }

  private update(id: string, patch: Partial<Pick<OutboxEntry, 'state' | 'error' | 'attempts'>>): void {
    this.set(this.list.map((entry) => (entry.id === id ? { ...entry, ...patch } : entry)))
  }

  private set(next: readonly OutboxEntry[]): void {
    this.list = next
    for (const listener of [...this.listeners]) listener()
  }
}
