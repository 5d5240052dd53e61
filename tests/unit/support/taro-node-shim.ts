/**
 * Stands in for `@tarojs/taro` when the mini-program client is bundled for tests/unit/weapp-runtime.test.ts.
 * `request` behaves like wx.request, implemented with Node's http module: it resolves with
 * { statusCode, header, data } for every HTTP status, parses the body only when dataType is "json" (the
 * default), and rejects with { errMsg: "request:fail ..." } when no response arrives. Every option it was
 * called with is recorded so the test can check what the adapter sent.
 */
import http from 'node:http'

interface RequestOption {
  url: string
  method?: string
  header?: Record<string, string>
  data?: string
  dataType?: string
  responseType?: string
}

export const calls: RequestOption[] = []

function request(option: RequestOption): Promise<{ statusCode: number; header: Record<string, string>; data: unknown }> {
  calls.push(option)
  return new Promise((resolve, reject) => {
    const req = http.request(option.url, { method: option.method ?? 'GET', headers: option.header ?? {} }, (res) => {
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
    if (option.data !== undefined) req.write(option.data)
    req.end()
  })
}

function connectSocket(): Promise<never> {
  return Promise.reject({ errMsg: 'connectSocket:fail not available in this test' })
}

export default { request, connectSocket }
