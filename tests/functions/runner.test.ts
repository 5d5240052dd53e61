import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientFor } from '../support/clients'

const fixtures = path.resolve(__dirname, '..', 'fixtures', 'functions')
let be: TestBackend

const logs: string[] = []
// Variables a developer's shell may hold: secrets must not reach a function, trust and proxy settings must.
const shellSecret = 'CG_TEST_DEVELOPER_SECRET'
const saved = { secret: process.env[shellSecret], proxy: process.env.NO_PROXY, cert: process.env.NODE_EXTRA_CA_CERTS }

beforeAll(async () => {
  process.env[shellSecret] = 'do-not-pass'
  process.env.NO_PROXY = '127.0.0.1,localhost'
  process.env.NODE_EXTRA_CA_CERTS ??= '/etc/ssl/certs/ca-certificates.crt'
  be = await startTestBackend({ functionsDir: fixtures, functionsEnvFile: path.join(fixtures, 'echo.env'), log: (l) => logs.push(l) })
})
afterAll(async () => {
  await be?.close()
  for (const [k, v] of [[shellSecret, saved.secret], ['NO_PROXY', saved.proxy], ['NODE_EXTRA_CA_CERTS', saved.cert]] as const) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
})

describe('/functions/v1 runs edge functions on Deno', () => {
  it('passes method, path, query, headers and body through and returns the function answer', async () => {
    const res = await fetch(`${be.url}/functions/v1/echo/sub/path?x=1&status=202`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${be.anonKey}`, 'X-Custom': 'hello-42', 'Content-Type': 'application/json' },
      body: JSON.stringify({ code: 'abc' }),
    })
    expect(res.status).toBe(202)
    expect(res.headers.get('x-echo')).toBe('yes')
    const body = await res.json()
    expect(body).toMatchObject({
      method: 'POST',
      path: '/echo/sub/path',
      search: '?x=1&status=202',
      authorization: `Bearer ${be.anonKey}`,
      custom: 'hello-42',
      body: '{"code":"abc"}',
    })
    expect(body.deno).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('passes a chunked request body through (hop-by-hop headers stay behind)', async () => {
    const body = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('{"part":'))
        c.enqueue(new TextEncoder().encode('1}'))
        c.close()
      },
    })
    const res = await fetch(`${be.url}/functions/v1/echo`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${be.anonKey}`, 'Content-Type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit)
    expect(res.status).toBe(200)
    expect((await res.json()).body).toBe('{"part":1}')
  })

  it('gives the function the platform variables and the secrets file', async () => {
    const { data, error } = await clientFor(be).functions.invoke('echo', { body: { hello: 1 } })
    expect(error).toBeNull()
    expect(data.env).toEqual({ SUPABASE_URL: be.url, hasAnonKey: true, hasServiceRoleKey: true, ECHO_SECRET: 'from the secrets file' })
  })

  it('refuses a call without a bearer token (401), as Supabase does by default', async () => {
    const res = await fetch(`${be.url}/functions/v1/echo`, { method: 'POST' })
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ code: 'UNAUTHORIZED_NO_AUTH_HEADER' })
  })

  it('refuses a token the project did not sign (401)', async () => {
    const forged = be.anonKey.slice(0, -4) + (be.anonKey.endsWith('AAAA') ? 'BBBB' : 'AAAA')
    const res = await fetch(`${be.url}/functions/v1/echo`, { headers: { Authorization: `Bearer ${forged}` } })
    expect(res.status).toBe(401)
  })

  it('answers 404 for a function that does not exist', async () => {
    const res = await fetch(`${be.url}/functions/v1/nope`, { headers: { Authorization: `Bearer ${be.anonKey}` } })
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ code: 'NOT_FOUND' })
  })

  it('starts a crashed function again on the next call', async () => {
    const crash = await fetch(`${be.url}/functions/v1/echo/crash`, { headers: { Authorization: `Bearer ${be.anonKey}` } }).catch(() => null)
    expect(crash === null || crash.status >= 500).toBe(true)
    const again = await fetch(`${be.url}/functions/v1/echo`, { headers: { Authorization: `Bearer ${be.anonKey}` } })
    expect(again.status).toBe(200)
  })

  it('passes network-trust and proxy settings to Deno, and no other variable of the shell', async () => {
    const { data, error } = await clientFor(be).functions.invoke('echo', { body: {} })
    expect(error).toBeNull()
    const names: string[] = data.envNames
    expect(names).toEqual(expect.arrayContaining(['NO_PROXY', 'NODE_EXTRA_CA_CERTS', 'DENO_CERT', 'DENO_TLS_CA_STORE', 'DENO_DIR', 'ECHO_SECRET', 'SUPABASE_URL']))
    expect(names).not.toContain(shellSecret)
    const allowed = new Set([
      ...['PATH', 'HOME', 'DENO_DIR', 'NO_COLOR', 'DENO_NO_UPDATE_CHECK', 'ECHO_SECRET'],
      ...['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'DENO_CERT', 'DENO_TLS_CA_STORE'],
      ...['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY', 'https_proxy', 'http_proxy', 'no_proxy'],
    ])
    // The platform's own variables (SUPABASE_*, the local WeChat settings) come from the backend, not the shell.
    const fromShell = names.filter((n) => !allowed.has(n) && !n.startsWith('SUPABASE_') && !n.startsWith('WECHAT_') && !['JWT_SIGNING_KEY', 'ALLOW_DEMO_LOGIN', 'NOTIFY_MAX_ATTEMPTS'].includes(n))
    expect(fromShell).toEqual([])
  })

  it('answers 503 with a Chinese message for a function that cannot start, and keeps the details in the log', async () => {
    const res = await fetch(`${be.url}/functions/v1/uncached`, { method: 'POST', headers: { Authorization: `Bearer ${be.anonKey}` } })
    expect(res.status).toBe(503)
    const text = await res.text()
    expect(JSON.parse(text)).toEqual({ code: 'FUNCTION_UNAVAILABLE', message: '服务暂时不可用，请稍后再试' })
    expect(text).not.toMatch(/left-pad|\/work|node_modules|deno/i)
    expect(logs.some((l) => /✖ function uncached cannot start: .*Run `npm ci`/.test(l))).toBe(true)
    expect(logs.some((l) => /left-pad/.test(l))).toBe(true)
  })
})
