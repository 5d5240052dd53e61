/**
 * Sends one picked file to Storage's upload endpoint with Taro.uploadFile: wx.uploadFile on the
 * mini-program, an XMLHttpRequest with FormData on H5 (Taro's own implementation). Neither supabase-js
 * path reports upload progress (fetch has none, and wx.request none either) or takes a file path, so the
 * bytes go to the same endpoint supabase-js's `upload()` uses, as Storage's multipart form: the file, its
 * `contentType` and `cacheControl`, with `x-upsert: true` so a retry replaces the same object.
 */
import Taro from '@tarojs/taro'
import { AppError, ERROR_MESSAGES } from '../errors'
import type { CancelHandle } from './cancel'

export interface SendFileRequest {
  url: string
  filePath: string
  headers: Record<string, string>
  formData: Record<string, string>
  /** 0…1 as the bytes go out. */
  onProgress?: (fraction: number) => void
  cancel?: CancelHandle
}

export interface SendFileResponse {
  status: number
  /** The answer's JSON body, or its text when it is not JSON. */
  body: unknown
}

export type SendFile = (request: SendFileRequest) => Promise<SendFileResponse>

function parse(data: unknown): unknown {
  if (typeof data !== 'string') return data
  try {
    return JSON.parse(data) as unknown
  } catch {
    return data
  }
}

export const CANCELLED_MESSAGE = '已取消上传'

export const taroSendFile: SendFile = (request) => {
  if (request.cancel?.cancelled) {
    return Promise.reject(new AppError({ code: 'cancelled', message: CANCELLED_MESSAGE, detail: 'cancelled before sending' }))
  }
  const task = Taro.uploadFile({
    url: request.url,
    filePath: request.filePath,
    name: 'file',
    header: request.headers,
    formData: request.formData,
    // H5: Storage answers with `Access-Control-Allow-Origin: *`, which a credentialed request may not use.
    withCredentials: false,
  })
  let aborted = false
  const stopListening = request.cancel?.onCancel(() => {
    aborted = true
    task.abort?.()
  })
  task.onProgressUpdate?.((p) => request.onProgress?.(Math.max(0, Math.min(1, p.progress / 100))))
  return task.then(
    (res) => {
      stopListening?.()
      if (aborted) throw new AppError({ code: 'cancelled', message: CANCELLED_MESSAGE, detail: 'cancelled after the answer arrived' })
      return { status: res.statusCode, body: parse(res.data) }
    },
    (err: { errMsg?: string }) => {
      stopListening?.()
      const detail = `uploadFile: ${err?.errMsg ?? String(err)}`
      if (aborted || /abort/i.test(err?.errMsg ?? '')) throw new AppError({ code: 'cancelled', message: CANCELLED_MESSAGE, detail, cause: err })
      if (/timeout/i.test(err?.errMsg ?? '')) throw new AppError({ code: 'timeout', message: ERROR_MESSAGES.timeout, detail, cause: err })
      throw new AppError({ code: 'network', message: '网络连接失败，文件没有上传成功，请检查网络后重试', detail, cause: err })
    },
  )
}
