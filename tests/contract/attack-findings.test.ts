/**
 * Findings of the attack review (anonymous caller, worker1, butler1 against the hardened local backend).
 * Each test states the safe behaviour; it fails until the finding is fixed.
 */
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientFor, people } from '../support/clients'
import { rest } from './helpers'

let be: TestBackend
beforeAll(async () => {
  be = await startTestBackend()
})
afterAll(async () => {
  await be?.close()
})

/**
 * Opens a raw connection, sends `head` (request line and headers) and `partial` (the first bytes of a
 * body shorter than its Content-Length), and resolves with the first response bytes or null if none
 * came within `waitMs`. The socket is destroyed afterwards (the body is never finished).
 */
function partialRequest(head: string, partial: string, waitMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = net.connect(be.port, '127.0.0.1')
    let answer = ''
    const done = (v: string | null) => {
      clearTimeout(timer)
      socket.destroy()
      resolve(v)
    }
    const timer = setTimeout(() => done(answer || null), waitMs)
    socket.on('connect', () => socket.write(head + partial))
    socket.on('data', (d) => {
      answer += d.toString('utf8')
      if (answer.includes('\r\n\r\n')) done(answer)
    })
    socket.on('error', () => done(answer || null))
  })
}

describe('request bodies', () => {
  it('a client that disconnects in the middle of a request body does not take the backend down', async () => {
    // readBody() runs outside the handler's try/catch: the 'aborted' error of the request stream becomes
    // an unhandled rejection, and under `npm run backend` (Node's default --unhandled-rejections=throw)
    // the whole process exits. No API key is needed.
    const unhandled: unknown[] = []
    const onUnhandled = (e: unknown) => unhandled.push(e)
    process.on('unhandledRejection', onUnhandled)
    try {
      await new Promise<void>((resolve) => {
        const socket = net.connect(be.port, '127.0.0.1', () => {
          socket.write('POST /rest/v1/posts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":')
          setTimeout(() => {
            socket.destroy()
            resolve()
          }, 200)
        })
        socket.on('error', () => resolve())
      })
      await new Promise((r) => setTimeout(r, 500))
      expect(unhandled.map(String)).toEqual([])
      const health = await fetch(`${be.url}/health`)
      expect(health.status).toBe(200)
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })

  it('a caller with a valid API key who disconnects mid-body does not take the backend down either', async () => {
    const unhandled: unknown[] = []
    const onUnhandled = (e: unknown) => unhandled.push(e)
    process.on('unhandledRejection', onUnhandled)
    try {
      for (const path of ['/rest/v1/posts', '/functions/v1/wechat-login']) {
        const answer = await partialRequest(
          `POST ${path} HTTP/1.1\r\nHost: x\r\napikey: ${be.anonKey}\r\nAuthorization: Bearer ${be.anonKey}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`,
          '{"a":',
          300,
        )
        expect(answer).toBeNull() // still waiting for the body when the client left
      }
      await new Promise((r) => setTimeout(r, 300))
      expect(unhandled.map(String)).toEqual([])
      expect((await fetch(`${be.url}/health`)).status).toBe(200)
      const { data, error } = await clientFor(be).from('posts').select('id').limit(1)
      expect(error).toBeNull()
      expect(data).toHaveLength(1)
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })

  it('a REST request without an API key is refused with 401 without waiting for its body', async () => {
    const answer = await partialRequest(
      'POST /rest/v1/posts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4000000\r\n\r\n',
      '{"title":',
      2000,
    )
    expect(answer).not.toBeNull()
    expect(answer!).toMatch(/^HTTP\/1\.1 401 /)
  })

  it('a call to a function that does not exist, without a token, is refused without reading its body', async () => {
    const answer = await partialRequest(
      'POST /functions/v1/no-such-function HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: 50000000\r\n\r\n',
      'x'.repeat(1024),
      2000,
    )
    expect(answer).not.toBeNull()
    expect(answer!).toMatch(/^HTTP\/1\.1 40[14] /)
  })
})

describe('query parsing', () => {
  it('a deeply nested select is refused as a malformed request (4xx), never a 500 with an internal error message', async () => {
    const token = await be.signToken({ sub: people.worker1 })
    let select = 'id'
    for (let i = 0; i < 5000; i++) select = `a(${select})`
    const res = await rest(be, `/posts?select=${select}`, { token })
    const body = await res.json()
    expect(res.status).toBeLessThan(500)
    expect(JSON.stringify(body)).not.toMatch(/Maximum call stack/)
  })
})

describe('consent', () => {
  it('a person who has not accepted the privacy notice cannot store profile details by updating the profiles table directly', async () => {
    // worker1 has not accepted the privacy notice (seed): complete_onboarding refuses them
    // (privacy_notice_required), but the column grant from the identity migration still lets them
    // PATCH district, former_employer, displaced_on and startup_intention straight into profiles,
    // also right after withdraw_privacy_consent() erased them.
    const token = await be.signToken({ sub: people.worker1 })
    const before = await rest(be, '/rpc/full_profiles?select=privacy_accepted_at', { token })
    expect(await before.json()).toEqual([{ privacy_accepted_at: null }])

    const res = await rest(be, `/profiles?id=eq.${people.worker1}`, {
      method: 'PATCH',
      token,
      body: { district: '四方区', former_employer: '某纺织厂', displaced_on: '2026-01-01', startup_intention: '开早餐店' },
    })
    expect(res.status).toBeGreaterThanOrEqual(400)

    const after = await rest(be, '/rpc/full_profiles?select=district,former_employer,displaced_on,startup_intention', { token })
    expect(await after.json()).toEqual([{ district: null, former_employer: null, displaced_on: null, startup_intention: null }])
  })
})
