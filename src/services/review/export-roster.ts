/**
 * 导出名册: the batch's roster for the human-resources bureau as .xlsx, made by the edge function
 * application-export (GET ?batch=<id>) with the butler's own token, so the database decides who may
 * export and records each export.
 *
 * - Mini-program: Taro.downloadFile with the Authorization header (a GET; supabase-js cannot hand over a
 *   file), then Taro.openDocument, whose menu lets the butler forward or save it.
 * - H5: fetch as a blob and an <a download> with the file's name from Content-Disposition.
 *
 * A refusal carries the function's Chinese message (functionError). A token the server no longer takes
 * is renewed once, as the fetch layer does for every other request.
 */
import Taro from '@tarojs/taro'
import { getAccessToken, getSession } from '../auth/session'
import { AppError, ERROR_MESSAGES, functionError, toAppError } from '../errors'
import { saveBlobInBrowser } from '../platform/h5-download'
import { fileNameOf } from './content-disposition'
import { getPlatformFetch, getSupabaseTarget } from '../supabase/platform-fetch'

export const EXPORT_FUNCTION = 'application-export'

function exportUrl(batchId: string): string {
  const target = getSupabaseTarget()
  if (!target) throw new AppError({ code: 'config', message: ERROR_MESSAGES.config, detail: 'no Supabase target for the export' })
  return `${target.url}/functions/v1/${EXPORT_FUNCTION}?batch=${encodeURIComponent(batchId)}`
}

function headers(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}`, apikey: getSupabaseTarget()?.anonKey ?? '' }
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

async function withToken<T>(send: (token: string) => Promise<{ status: number; result: T }>): Promise<{ status: number; result: T }> {
  let token = await getAccessToken()
  if (!token) throw new AppError({ code: 'unauthorized', message: '请先登录', detail: 'no access token for the export' })
  let res = await send(token)
  if (res.status === 401) {
    token = await getSession().renewAccessToken(token)
    res = await send(token)
  }
  return res
}

async function exportInBrowser(batchId: string, fallbackName: string): Promise<string> {
  const url = exportUrl(batchId)
  const { status, result } = await withToken(async (token) => {
    const response = await getPlatformFetch()(url, { method: 'GET', headers: headers(token) })
    return { status: response.status, result: response }
  })
  if (status >= 400) throw functionError(status, parseBody(await result.text()))
  const blob = await result.blob()
  const name = fileNameOf(result.headers.get('Content-Disposition'), fallbackName)
  saveBlobInBrowser(blob, name)
  return name
}

async function exportInWeapp(batchId: string, fallbackName: string): Promise<string> {
  const url = exportUrl(batchId)
  const { status, result } = await withToken(async (token) => {
    const response = await Taro.downloadFile({ url, header: headers(token) })
    return { status: response.statusCode, result: response }
  })
  if (status >= 400) {
    // The error body was written to the temp file: read it for the function's message.
    let body: unknown = null
    try {
      body = parseBody(Taro.getFileSystemManager().readFileSync(result.tempFilePath, 'utf8') as string)
    } catch {
      // no readable body: the status alone decides
    }
    throw functionError(status, body)
  }
  await Taro.openDocument({ filePath: result.tempFilePath, fileType: 'xlsx', showMenu: true })
  return fallbackName
}

/** Downloads the roster and opens (weapp) or saves (H5) it; resolves with the file's name. */
export async function exportRoster(batchId: string, fallbackName: string): Promise<string> {
  try {
    return process.env.TARO_ENV === 'weapp' ? await exportInWeapp(batchId, fallbackName) : await exportInBrowser(batchId, fallbackName)
  } catch (caught) {
    throw toAppError(caught)
  }
}
