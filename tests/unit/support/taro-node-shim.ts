/**
 * Stands in for `@tarojs/taro` when the mini-program client is bundled for tests/unit/weapp-runtime.test.ts.
 * `request` behaves like wx.request, implemented with Node's http module: it resolves with
 * { statusCode, header, data } for every HTTP status, parses the body only when dataType is "json" (the
 * default), and rejects with { errMsg: "request:fail ..." } when no response arrives. Every option it was
 * called with is recorded so the test can check what the adapter sent. `login` and the storage functions
 * stand in for wx.login and wx's storage, for the session.
 */
import http from 'node:http'

interface RequestOption {
  url: string
  method?: string
  header?: Record<string, string>
  data?: string | ArrayBuffer
  dataType?: string
  responseType?: string
}

export const calls: RequestOption[] = []

/** UTF-8 byte length of a string (no Buffer or TextEncoder inside the test's vm context). */
function utf8Length(text: string): number {
  let length = 0
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0
    length += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4
  }
  return length
}

/** While set, requests whose URL contains it fail as when the phone is offline (request:fail). */
let failing: string | null = null
export function failRequestsTo(urlPart: string | null): void {
  failing = urlPart
}

function request(option: RequestOption): Promise<{ statusCode: number; header: Record<string, string>; data: unknown }> {
  calls.push(option)
  if (failing !== null && option.url.includes(failing)) return Promise.reject({ errMsg: 'request:fail net::ERR_INTERNET_DISCONNECTED' })
  // Like wx.request, a body goes out with its Content-Length (Node would otherwise send it chunked).
  const length = option.data === undefined ? undefined : typeof option.data === 'string' ? utf8Length(option.data) : option.data.byteLength
  const headers = { ...(option.header ?? {}), ...(length !== undefined ? { 'content-length': String(length) } : {}) }
  return new Promise((resolve, reject) => {
    const req = http.request(option.url, { method: option.method ?? 'GET', headers }, (res) => {
      // Strings only: this code runs inside the test's vm context, which has no Buffer.
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        text += chunk
      })
      res.on('end', () => {
        const header: Record<string, string> = {}
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) header[name] = Array.isArray(value) ? value.join(', ') : value
        }
        let data: unknown = text
        if ((option.dataType ?? 'json') === 'json') {
          try {
            data = JSON.parse(text)
          } catch {
            data = text
          }
        }
        resolve({ statusCode: res.statusCode ?? 0, header, data })
      })
    })
    req.on('error', (error) => reject({ errMsg: `request:fail ${error.message}` }))
    if (typeof option.data === 'string') req.write(option.data)
    else if (option.data !== undefined) req.write(new Uint8Array(option.data))
    req.end()
  })
}

function connectSocket(): Promise<never> {
  return Promise.reject({ errMsg: 'connectSocket:fail not available in this test' })
}

/**
 * wx.login: fails (as when WeChat cannot be reached) until the test hands out codes with `allowLogin`;
 * then each call gives the next code. The local backend's fake WeChat turns any code into an openid.
 */
let loginPrefix: string | null = null
export const loginCalls: string[] = []

export function allowLogin(prefix: string | null): void {
  loginPrefix = prefix
}

function login(): Promise<{ code: string; errMsg: string }> {
  if (loginPrefix === null) return Promise.reject({ errMsg: 'login:fail not allowed yet in this test' })
  const code = `${loginPrefix}-${loginCalls.length + 1}`
  loginCalls.push(code)
  return Promise.resolve({ code, errMsg: 'login:ok' })
}

/** wx's synchronous storage: a Map; like WeChat it answers '' for a key it does not have. */
export const storage = new Map<string, unknown>()

function getStorageSync(key: string): unknown {
  return storage.has(key) ? storage.get(key) : ''
}

function setStorageSync(key: string, data: unknown): void {
  storage.set(key, data)
}

function removeStorageSync(key: string): void {
  storage.delete(key)
}

/**
 * wx's file system, for temp files only: the test puts a picked file's bytes under a temp path with
 * `putTempFile` (numbers, so the ArrayBuffer is made inside the vm context), and readFile without an
 * encoding hands them back as an ArrayBuffer, as WeChat does.
 */
const tempFiles = new Map<string, ArrayBuffer>()

export function putTempFile(filePath: string, bytes: ArrayLike<number>): void {
  tempFiles.set(filePath, new Uint8Array(Array.from(bytes)).buffer)
}

function getFileSystemManager() {
  return {
    readFile(option: { filePath: string; encoding?: string; success?: (res: { data: ArrayBuffer }) => void; fail?: (err: { errMsg: string }) => void }) {
      const data = tempFiles.get(option.filePath)
      setTimeout(() => {
        if (data && !option.encoding) option.success?.({ data: data.slice(0) })
        else option.fail?.({ errMsg: `readFile:fail no such file or directory ${option.filePath}` })
      }, 0)
    },
  }
}

export default { request, connectSocket, login, getStorageSync, setStorageSync, removeStorageSync, getFileSystemManager }
