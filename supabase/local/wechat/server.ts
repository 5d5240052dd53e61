/**
 * The fake WeChat API as a real HTTP server (the msw handlers of ./handlers.ts behind
 * @mswjs/http-middleware), so the edge functions on Deno reach it over the network exactly as they reach
 * api.weixin.qq.com. The local backend starts one and gives its URL to the functions as WECHAT_API_BASE.
 *
 * Control, from the same process or over HTTP (e.g. from another process or a browser test):
 *   setScenario('jscode2session', 40029)     POST /__fake/scenario  {"jscode2session": 40029}
 *   calls()                                   GET  /__fake/calls
 *   invalidateAccessToken()                   POST /__fake/invalidate-token   (the next call with the old token gets 40001)
 *   setLatency(20)                            POST /__fake/latency   {"ms": 20}   (every answer waits 20 ms)
 *   setContentVerdict({ suggest: 'risky', label: 20001 })
 *                                             POST /__fake/content-verdict {"suggest": "risky", "label": 20001}
 *                                             (what msgSecCheck and mediaCheckAsync answer from now on; texts with
 *                                             a word of state.riskyWords, default 违规测试, are risky regardless)
 *   pushes()                                  GET  /__fake/pushes   (the wxa_media_check events pushed, and their answers)
 *   setPushUrl(url)                           (where events go; the local backend points it at wechat-events)
 *   reset()                                   POST /__fake/reset     (all scenarios 'ok', verdict pass, call log, pushes and peaks emptied; latency stays)
 *   peakInFlight('subscribe_send')            (the most requests to an endpoint that were open at once since the last reset)
 */
import { createServer } from '@mswjs/http-middleware'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { HttpResponse, http as mswHttp, type RequestHandler } from 'msw'
import {
  ENDPOINTS,
  createFakeWechatState,
  createWechatHandlers,
  endpointForPath,
  isScenario,
  type ContentVerdict,
  type Endpoint,
  type FakeWechatPush,
  type FakeWechatCall,
  type FakeWechatState,
  type Scenario,
} from './handlers'

export interface FakeWechat {
  url: string
  state: FakeWechatState
  setScenario(endpoint: Endpoint, scenario: Scenario): void
  setScenario(scenarios: Partial<Record<Endpoint, Scenario>>): void
  calls(endpoint?: Endpoint): FakeWechatCall[]
  /** WeChat forgets the current access token (as when it expires or is force-refreshed elsewhere). */
  invalidateAccessToken(): void
  /** Every answer waits `ms` milliseconds from now on (0: none), like the real API's round trip. */
  setLatency(ms: number): void
  /** The most requests to `endpoint` that were being answered at the same time since the last reset. */
  peakInFlight(endpoint: Endpoint): number
  /** What the content checks answer from now on (pass by default). */
  setContentVerdict(verdict: ContentVerdict): void
  /** Where wxa_media_check events are pushed (null: nowhere). */
  setPushUrl(url: string | null): void
  /** The events pushed so far (since the last reset). */
  pushes(): FakeWechatPush[]
  /** Every scenario back to 'ok', the call log and the in-flight peaks emptied; the current access token and the latency stay. */
  reset(): void
  close(): Promise<void>
}

export interface FakeWechatOptions {
  /** 0 (default) picks a free port. */
  port?: number
  host?: string
  appId?: string
  secret?: string
  /** Milliseconds every answer waits (default 0). */
  latencyMs?: number
}

function applyScenarios(state: FakeWechatState, scenarios: Partial<Record<Endpoint, Scenario>>) {
  for (const [endpoint, scenario] of Object.entries(scenarios)) {
    if (!ENDPOINTS.includes(endpoint as Endpoint)) throw new Error(`unknown endpoint ${endpoint}; one of ${ENDPOINTS.join(', ')}`)
    if (!isScenario(scenario)) throw new Error(`unknown scenario ${JSON.stringify(scenario)} for ${endpoint}`)
    state.scenarios[endpoint as Endpoint] = scenario
  }
}

function setLatency(state: FakeWechatState, ms: unknown) {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > 60_000) throw new Error(`latency must be 0 to 60000 ms, not ${JSON.stringify(ms)}`)
  state.latencyMs = ms
}

function reset(state: FakeWechatState) {
  for (const e of ENDPOINTS) state.scenarios[e] = 'ok'
  state.calls.length = 0
  state.pushes.length = 0
  state.contentVerdict = { suggest: 'pass', label: 100 }
}

function setContentVerdict(state: FakeWechatState, v: unknown) {
  const { suggest, label } = (v ?? {}) as { suggest?: unknown; label?: unknown }
  if (suggest !== 'pass' && suggest !== 'review' && suggest !== 'risky') throw new Error(`suggest must be pass, review or risky, not ${JSON.stringify(suggest)}`)
  state.contentVerdict = { suggest, label: typeof label === 'number' && Number.isInteger(label) ? label : suggest === 'pass' ? 100 : 20006 }
}

function controlHandlers(state: FakeWechatState, onReset: () => void): RequestHandler[] {
  return [
    mswHttp.post('*/__fake/scenario', async ({ request }) => {
      try {
        applyScenarios(state, (await request.json()) as Partial<Record<Endpoint, Scenario>>)
      } catch (e) {
        return HttpResponse.json({ error: e instanceof Error ? e.message : String(e) }, { status: 400 })
      }
      return HttpResponse.json({ scenarios: state.scenarios })
    }),
    mswHttp.get('*/__fake/scenario', () => HttpResponse.json({ scenarios: state.scenarios })),
    mswHttp.get('*/__fake/calls', () => HttpResponse.json({ calls: state.calls })),
    mswHttp.post('*/__fake/invalidate-token', () => {
      state.accessToken = null
      return new HttpResponse(null, { status: 204 })
    }),
    mswHttp.post('*/__fake/latency', async ({ request }) => {
      try {
        setLatency(state, ((await request.json()) as { ms?: unknown }).ms)
      } catch (e) {
        return HttpResponse.json({ error: e instanceof Error ? e.message : String(e) }, { status: 400 })
      }
      return HttpResponse.json({ ms: state.latencyMs })
    }),
    mswHttp.post('*/__fake/content-verdict', async ({ request }) => {
      try {
        setContentVerdict(state, await request.json())
      } catch (e) {
        return HttpResponse.json({ error: e instanceof Error ? e.message : String(e) }, { status: 400 })
      }
      return HttpResponse.json({ verdict: state.contentVerdict })
    }),
    mswHttp.get('*/__fake/content-verdict', () => HttpResponse.json({ verdict: state.contentVerdict })),
    mswHttp.get('*/__fake/pushes', () => HttpResponse.json({ pushes: state.pushes })),
    mswHttp.post('*/__fake/reset', () => {
      reset(state)
      onReset()
      return HttpResponse.json({ scenarios: state.scenarios })
    }),
  ]
}

export async function startFakeWechat(opts: FakeWechatOptions = {}): Promise<FakeWechat> {
  const state = createFakeWechatState({ appId: opts.appId, secret: opts.secret })
  if (opts.latencyMs !== undefined) setLatency(state, opts.latencyMs)
  // Requests being answered now and the most at once, per endpoint (how concurrent a caller is).
  const inFlight = new Map<Endpoint, number>()
  const peaks = new Map<Endpoint, number>()
  const app = createServer(...controlHandlers(state, () => peaks.clear()), ...createWechatHandlers(state))
  const server = http.createServer((req, res) => {
    // A network failure cannot be a mocked response: cut the connection before the handlers see it.
    const endpoint = endpointForPath(new URL(req.url ?? '/', 'http://fake').pathname)
    if (endpoint) {
      const now = (inFlight.get(endpoint) ?? 0) + 1
      inFlight.set(endpoint, now)
      peaks.set(endpoint, Math.max(peaks.get(endpoint) ?? 0, now))
      res.once('close', () => inFlight.set(endpoint, (inFlight.get(endpoint) ?? 1) - 1))
    }
    if (endpoint && state.scenarios[endpoint] === 'drop') {
      state.calls.push({ endpoint, at: Date.now(), params: {}, scenario: 'drop' })
      req.socket.destroy()
      return
    }
    app(req, res)
  })
  const host = opts.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port

  return {
    url: `http://${host}:${port}`,
    state,
    setScenario(a: Endpoint | Partial<Record<Endpoint, Scenario>>, scenario?: Scenario) {
      applyScenarios(state, typeof a === 'string' ? { [a]: scenario } : a)
    },
    calls: (endpoint) => state.calls.filter((c) => !endpoint || c.endpoint === endpoint),
    invalidateAccessToken() {
      state.accessToken = null
    },
    setLatency: (ms) => setLatency(state, ms),
    peakInFlight: (endpoint) => peaks.get(endpoint) ?? 0,
    setContentVerdict: (verdict) => setContentVerdict(state, verdict),
    setPushUrl: (url) => {
      state.pushUrl = url
    },
    pushes: () => [...state.pushes],
    reset: () => {
      reset(state)
      peaks.clear()
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
