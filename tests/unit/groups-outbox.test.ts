/** Sending with client-chosen ids (src/services/groups/outbox.ts): a retry never makes a second message. */
import { describe, expect, it } from 'vitest'
import { Outbox, type OutboxEntry } from '../../src/services/groups/outbox'

/** A server that stores by the client's id, like the messages table's primary key: a second insert of an id is the same message. */
class FakeServer {
  readonly stored = new Map<string, OutboxEntry>()
  readonly requests: string[] = []
  /** What the next sends do: 'ok', 'offline' (nothing arrived), 'lost' (stored, but the answer was lost). */
  mode: 'ok' | 'offline' | 'lost' | 'refused' = 'ok'
  send = async (entry: OutboxEntry) => {
    this.requests.push(entry.id)
    if (this.mode === 'offline') throw new Error('TypeError: Failed to fetch')
    if (this.mode === 'refused') throw new Error('消息不能超过2000个字')
    if (!this.stored.has(entry.id)) this.stored.set(entry.id, entry)
    if (this.mode === 'lost') throw new Error('网络连接失败，请检查网络后重试')
    return { id: entry.id, body: entry.body ?? null }
  }
}

function makeOutbox(server: FakeServer) {
  let n = 0
  const sent: string[] = []
  const outbox = new Outbox({
    newId: async () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    send: server.send,
    onSent: (entry) => sent.push(entry.id),
    now: () => new Date('2026-12-01T10:00:00Z'),
  })
  return { outbox, sent }
}

describe('the outbox', () => {
  it('shows an entry at once as sending, then removes it when the server has it', async () => {
    const server = new FakeServer()
    const { outbox, sent } = makeOutbox(server)
    const seen: string[] = []
    outbox.subscribe(() => seen.push(outbox.all().map((e) => e.state).join(',')))
    const result = await outbox.submit({ groupId: 'g1', kind: 'text', body: '你好' }, 'me')
    expect(result.ok).toBe(true)
    expect(seen[0]).toBe('sending')
    expect(outbox.all()).toHaveLength(0)
    expect(sent).toEqual([result.entry.id])
    expect(server.stored.size).toBe(1)
  })

  it('keeps a send that failed on a weak network, marked failed with a Chinese reason', async () => {
    const server = new FakeServer()
    server.mode = 'offline'
    const { outbox } = makeOutbox(server)
    const result = await outbox.submit({ groupId: 'g1', kind: 'text', body: '补贴什么时候发' }, 'me')
    expect(result.ok).toBe(false)
    expect(outbox.all()).toEqual([expect.objectContaining({ state: 'failed', error: '发送失败，请点重发', attempts: 1, body: '补贴什么时候发' })])
  })

  it('retries with the same id, so a send whose answer was lost is stored once', async () => {
    const server = new FakeServer()
    server.mode = 'lost'
    const { outbox, sent } = makeOutbox(server)
    const first = await outbox.submit({ groupId: 'g1', kind: 'text', body: '在吗' }, 'me')
    expect(first.ok).toBe(false)
    expect(outbox.all()[0].error).toBe('网络连接失败，请检查网络后重试')
    server.mode = 'ok'
    const again = await outbox.retry(first.entry.id)
    expect(again?.ok).toBe(true)
    expect(server.requests).toEqual([first.entry.id, first.entry.id])
    expect(server.stored.size).toBe(1)
    expect(sent).toEqual([first.entry.id])
    expect(outbox.all()).toHaveLength(0)
  })

  it('ignores a retry while the entry is still sending', async () => {
    const server = new FakeServer()
    const { outbox } = makeOutbox(server)
    let release: () => void = () => undefined
    const slow = new Outbox({
      newId: async () => 'same-id',
      send: (entry) => new Promise((resolve) => (release = () => resolve(server.send(entry)))),
    })
    const pending = slow.submit({ groupId: 'g1', kind: 'text', body: '慢' }, 'me')
    await Promise.resolve()
    await Promise.resolve()
    expect(slow.all()[0].state).toBe('sending')
    await expect(slow.retry('same-id')).resolves.toBeNull()
    expect(slow.discard('same-id')).toBe(false)
    release()
    await pending
    expect(server.requests).toEqual(['same-id'])
    expect(outbox.all()).toHaveLength(0)
  })

  it('shows the server\'s own Chinese refusal, and a discarded entry is gone for good', async () => {
    const server = new FakeServer()
    server.mode = 'refused'
    const { outbox } = makeOutbox(server)
    const result = await outbox.submit({ groupId: 'g1', kind: 'text', body: 'x'.repeat(3000) }, 'me')
    expect(outbox.get(result.entry.id)?.error).toBe('消息不能超过2000个字')
    expect(outbox.discard(result.entry.id)).toBe(true)
    expect(outbox.all()).toHaveLength(0)
    await expect(outbox.retry(result.entry.id)).resolves.toBeNull()
  })

  it('keeps each group\'s entries apart and gives every message its own id', async () => {
    const server = new FakeServer()
    server.mode = 'offline'
    const { outbox } = makeOutbox(server)
    await outbox.submit({ groupId: 'g1', kind: 'text', body: '一' }, 'me')
    await outbox.submit({ groupId: 'g2', kind: 'text', body: '二' }, 'me')
    await outbox.submit({ groupId: 'g1', kind: 'text', body: '三' }, 'me')
    expect(outbox.forGroup('g1').map((e) => e.body)).toEqual(['一', '三'])
    expect(new Set(outbox.all().map((e) => e.id)).size).toBe(3)
  })

  it('forgets everything on clear, and a send that ends afterwards does not bring it back', async () => {
    let release: () => void = () => undefined
    const outbox = new Outbox({ newId: async () => 'x', send: () => new Promise<void>((resolve) => (release = resolve)) })
    const pending = outbox.submit({ groupId: 'g1', kind: 'text', body: '退出前' }, 'me')
    await Promise.resolve()
    await Promise.resolve()
    outbox.clear()
    release()
    await pending
    expect(outbox.all()).toHaveLength(0)
  })
})
