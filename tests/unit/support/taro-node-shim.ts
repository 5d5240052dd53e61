/**
 * Stands in for `@tarojs/taro` when the mini-program client is bundled for tests/unit/weapp-runtime.test.ts.
 * `request` behaves like wx.request, implemented with Node's http module: it resolves with
 * { statusCode, header, data } for every HTTP status, parses the body only when dataType is "json" (the
 * default), and rejects with { errMsg: "request:fail ..." } when no response arrives. Every option it was
 * called with is recorded so the test can check what the adapter sent. `login` and the storage functions
 * stand in for wx.login and wx's storage, for the session; getAppBaseInfo and onAppShow for WeChat's
 * font setting, onNeedPrivacyAuthorization for WeChat's privacy authorization.
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

/** Pixel sizes of temp images, for getImageInfo (a temp file without one is not an image WeChat can read). */
const imageSizes = new Map<string, { width: number; height: number }>()
export function putTempImage(filePath: string, bytes: ArrayLike<number>, width: number, height: number): void {
  putTempFile(filePath, bytes)
  imageSizes.set(filePath, { width, height })
}

function getImageInfo(option: { src: string }): Promise<{ width: number; height: number; path: string }> {
  const size = imageSizes.get(option.src)
  return size ? Promise.resolve({ ...size, path: option.src }) : Promise.reject({ errMsg: 'getImageInfo:fail invalid image' })
}

/**
 * wx.compressImage: records its options and answers a new temp file holding what the test registered
 * with `setCompressedOutput` (standing in for WeChat's encoder), scaled as WeChat would.
 */
export const compressCalls: Array<{ src: string; quality?: number; compressedWidth?: number; compressedHeight?: number }> = []
let compressedOutput: number[] | null = null
export function setCompressedOutput(bytes: ArrayLike<number>): void {
  compressedOutput = Array.from(bytes)
}

function compressImage(option: { src: string; quality?: number; compressedWidth?: number; compressedHeight?: number }): Promise<{ tempFilePath: string; errMsg: string }> {
  compressCalls.push({ ...option })
  const size = imageSizes.get(option.src)
  if (!size || !compressedOutput) return Promise.reject({ errMsg: 'compressImage:fail' })
  const scale = option.compressedWidth ? option.compressedWidth / size.width : (option.compressedHeight ?? size.height) / size.height
  const out = `wxfile://tmp/compressed-${compressCalls.length}.jpg`
  putTempImage(out, compressedOutput, Math.round(size.width * scale), Math.round(size.height * scale))
  return Promise.resolve({ tempFilePath: out, errMsg: 'compressImage:ok' })
}

/** ASCII text as bytes (multipart headers; no TextEncoder in the vm context). */
function ascii(text: string): number[] {
  const out: number[] = []
  for (let i = 0; i < text.length; i++) out.push(text.charCodeAt(i) & 0xff)
  return out
}

/** While set, uploads wait before sending their body (so a test can cancel one in flight). */
let uploadGate: Promise<void> | null = null
export function holdUploads(): () => void {
  let release = () => {}
  uploadGate = new Promise<void>((resolve) => {
    release = () => {
      uploadGate = null
      resolve()
    }
  })
  return release
}

interface UploadOption {
  url: string
  filePath: string
  name: string
  header?: Record<string, string>
  formData?: Record<string, string>
}

/**
 * wx.uploadFile over Node's http: a multipart/form-data POST of the form fields and the temp file,
 * written in four pieces with onProgressUpdate after each (as WeChat reports progress while sending),
 * `abort()` ending it with "uploadFile:fail abort". Resolves { statusCode, data (text) } for every status.
 */
function uploadFile(option: UploadOption) {
  calls.push({ url: option.url, method: 'POST', header: option.header, data: undefined })
  const progressListeners: Array<(p: { progress: number; totalBytesSent: number; totalBytesExpectedToSend: number }) => void> = []
  let req: http.ClientRequest | null = null
  let aborted = false
  let rejectUpload: (err: { errMsg: string }) => void = () => {}
  const promise = new Promise<{ statusCode: number; data: string; errMsg: string }>((resolve, reject) => {
    rejectUpload = reject
    if (failing !== null && option.url.includes(failing)) return reject({ errMsg: 'uploadFile:fail net::ERR_INTERNET_DISCONNECTED' })
    const file = tempFiles.get(option.filePath)
    if (!file) return reject({ errMsg: `uploadFile:fail file not found ${option.filePath}` })
    const boundary = `----wxupload${Math.random().toString(16).slice(2)}`
    const body: number[] = []
    for (const [key, value] of Object.entries(option.formData ?? {})) {
      body.push(...ascii(`--${boundary}\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${value}\r\n`))
    }
    const fileName = option.filePath.split('/').pop() ?? 'file'
    body.push(...ascii(`--${boundary}\r\nContent-Disposition: form-data; name="${option.name}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`))
    body.push(...Array.from(new Uint8Array(file)))
    body.push(...ascii(`\r\n--${boundary}--\r\n`))
    const bytes = new Uint8Array(body)
    const headers = { ...(option.header ?? {}), 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(bytes.length) }
    const start = () => {
      if (aborted) return
      req = http.request(option.url, { method: 'POST', headers }, (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          text += chunk
        })
        res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, data: text, errMsg: 'uploadFile:ok' }))
      })
      req.on('error', (error) => reject({ errMsg: aborted ? 'uploadFile:fail abort' : `uploadFile:fail ${error.message}` }))
      const pieces = 4
      const step = Math.ceil(bytes.length / pieces)
      const writePiece = (n: number) => {
        if (aborted || !req) return
        if (n >= pieces) {
          req.end()
          return
        }
        const sent = Math.min(bytes.length, (n + 1) * step)
        req.write(bytes.subarray(n * step, sent), () => {
          for (const listener of progressListeners) listener({ progress: Math.round((sent / bytes.length) * 100), totalBytesSent: sent, totalBytesExpectedToSend: bytes.length })
          writePiece(n + 1)
        })
      }
      writePiece(0)
    }
    if (uploadGate) void uploadGate.then(start)
    else start()
  })
  return Object.assign(promise, {
    onProgressUpdate(listener: (p: { progress: number; totalBytesSent: number; totalBytesExpectedToSend: number }) => void) {
      progressListeners.push(listener)
    },
    abort() {
      aborted = true
      req?.destroy()
      rejectUpload({ errMsg: 'uploadFile:fail abort' })
    },
  })
}

function getFileSystemManager() {
  return {
    getFileInfo(option: { filePath: string; success?: (res: { size: number }) => void; fail?: (err: { errMsg: string }) => void }) {
      const data = tempFiles.get(option.filePath)
      setTimeout(() => {
        if (data) option.success?.({ size: data.byteLength })
        else option.fail?.({ errMsg: `getFileInfo:fail no such file or directory ${option.filePath}` })
      }, 0)
    },
    readFile(option: { filePath: string; encoding?: string; success?: (res: { data: ArrayBuffer }) => void; fail?: (err: { errMsg: string }) => void }) {
      const data = tempFiles.get(option.filePath)
      setTimeout(() => {
        if (data && !option.encoding) option.success?.({ data: data.slice(0) })
        else option.fail?.({ errMsg: `readFile:fail no such file or directory ${option.filePath}` })
      }, 0)
    },
  }
}

/**
 * wx.getAppBaseInfo's text size (我 → 设置 → 通用 → 字体大小), which the test turns up or down with
 * `setWeChatFont`, and wx.onAppShow / offAppShow, with `showApp` to bring the app back to the foreground.
 */
let fontInfo: { fontSizeScaleFactor?: number; fontSizeSetting?: number } = { fontSizeScaleFactor: 1, fontSizeSetting: 17 }
const appShowListeners = new Set<() => void>()

export function setWeChatFont(info: { fontSizeScaleFactor?: number; fontSizeSetting?: number }): void {
  fontInfo = info
}

export function showApp(): void {
  for (const listener of [...appShowListeners]) listener()
}

function getAppBaseInfo() {
  return { SDKVersion: '3.7.0', language: 'zh_CN', version: '8.0.50', ...fontInfo }
}

function onAppShow(listener: () => void): void {
  appShowListeners.add(listener)
}

function offAppShow(listener: () => void): void {
  appShowListeners.delete(listener)
}

/**
 * wx.onNeedPrivacyAuthorization: the app registers its listener; `needPrivacyAuthorization` plays WeChat
 * when a privacy API is reached without the person's agreement, and records every answer the app gives.
 */
type PrivacyResolve = (option: { event: string; buttonId?: string }) => void
let privacyListener: ((resolve: PrivacyResolve, eventInfo: { referrer: string }) => void) | null = null
export const privacyAnswers: Array<{ referrer: string; event: string; buttonId?: string }> = []

function onNeedPrivacyAuthorization(listener: (resolve: PrivacyResolve, eventInfo: { referrer: string }) => void): void {
  privacyListener = listener
}

export function needPrivacyAuthorization(referrer: string): boolean {
  if (!privacyListener) return false
  privacyListener((option) => privacyAnswers.push({ referrer, ...option }), { referrer })
  return true
}

export default {
  request,
  uploadFile,
  getImageInfo,
  compressImage,
  connectSocket,
  login,
  getStorageSync,
  setStorageSync,
  removeStorageSync,
  getFileSystemManager,
  getAppBaseInfo,
  onAppShow,
  offAppShow,
  onNeedPrivacyAuthorization,
}
