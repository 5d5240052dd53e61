/**
 * The app's Supabase client (src/services/supabase/app-client.ts, built by client.ts), put together from supabase-js's packages:
 * every request carries the headers supabase-js sends (apikey, and the person's token or the anon key as
 * Bearer), and Storage and Functions, loaded on first use, go through the same fetch.
 */
import { describe, expect, it } from 'vitest'
import { createAppClient } from '../../src/services/supabase/app-client'

const URL_BASE = 'http://project.test'
const ANON = 'anon-key'

function recorder(body: unknown = []) {
  const sent: Array<{ url: string; method: string; headers: Headers }> = []
  const fetchImpl: typeof fetch = async (input, init) => {
    sent.push({ url: String(input), method: init?.method ?? 'GET', headers: new Headers(init?.headers) })
    return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } })
  }
  return { sent, fetchImpl }
}

describe('the app client', () => {
  it('sends REST and RPC calls with the anon key and the signed-in person\'s token', async () => {
    const { sent, fetchImpl } = recorder()
    const client = createAppClient(URL_BASE, ANON, fetchImpl, async () => 'person-token')
    await client.from('posts').select('id')
    await client.rpc('unread_notification_count')
    expect(sent.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual(['GET /rest/v1/posts', 'POST /rest/v1/rpc/unread_notification_count'])
    for (const request of sent) {
      expect(request.headers.get('apikey')).toBe(ANON)
      expect(request.headers.get('authorization')).toBe('Bearer person-token')
    }
  })

  it('falls back to the anon key as Bearer when nobody is signed in', async () => {
    const { sent, fetchImpl } = recorder()
    const client = createAppClient(URL_BASE, ANON, fetchImpl, async () => null)
    await client.from('posts').select('id')
    expect(sent[0].headers.get('authorization')).toBe(`Bearer ${ANON}`)
  })

  it('loads Storage on first use and sends its requests through the same fetch and headers', async () => {
    const { sent, fetchImpl } = recorder({ signedURL: '/object/sign/chat-images/a.jpg?token=t' })
    const client = createAppClient(URL_BASE, ANON, fetchImpl, async () => 'person-token')
    const { data, error } = await client.storage.from('chat-images').createSignedUrl('a.jpg', 60)
    expect(error).toBeNull()
    expect(data?.signedUrl).toContain('/storage/v1/object/sign/chat-images/a.jpg?token=t')
    expect(sent).toHaveLength(1)
    expect(new URL(sent[0].url).pathname).toBe('/storage/v1/object/sign/chat-images/a.jpg')
    expect(sent[0].headers.get('authorization')).toBe('Bearer person-token')
    expect(sent[0].headers.get('apikey')).toBe(ANON)
  })

  it('loads Functions on first use and invokes with the person\'s token', async () => {
    const { sent, fetchImpl } = recorder({ ok: true })
    const client = createAppClient(URL_BASE, ANON, fetchImpl, async () => 'person-token')
    const { data, error } = await client.functions.invoke('wechat-phone', { body: { code: 'c' } })
    expect(error).toBeNull()
    expect(data).toEqual({ ok: true })
    expect(`${sent[0].method} ${new URL(sent[0].url).pathname}`).toBe('POST /functions/v1/wechat-phone')
    expect(sent[0].headers.get('authorization')).toBe('Bearer person-token')
  })
})
