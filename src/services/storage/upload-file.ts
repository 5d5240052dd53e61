/**
 * Uploads a picked file to a bucket and has the server check it (the verify-upload edge function): a
 * file counts only once that check has passed. The same code on weapp and H5: the file is a path (a
 * WeChat temp file, or on H5 an object URL of the picked or compressed File) sent by Taro.uploadFile
 * (./transport.ts), which reports progress and can be cancelled.
 *
 * Retries never make a second object: the object's name is chosen by the client, once per picked file
 * (`<folder>/<key of the picked path>.<ext>`), every attempt uses it, and the upload is an upsert, so
 * sending the same file again replaces the same object (and a response lost on the way cannot leave an
 * orphan behind a "duplicate" error).
 *
 * Failures are AppErrors with a Chinese message: too large and wrong type before anything is sent (the
 * server says the same if the client is wrong), the server's own reason when the check refuses the file,
 * 已取消上传 when the person cancelled, and the network message when no answer came.
 */
import { getAccessToken, getSession } from '../auth/session'
import { AppError, ERROR_MESSAGES, toAppError } from '../errors'
import { invokeFunction } from '../functions/invoke'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { getSupabaseTarget } from '../supabase/platform-fetch'
import type { CancelHandle } from './cancel'
import { CANCELLED_MESSAGE, taroSendFile, type SendFile } from './transport'

export type UploadBucket = 'chat-images' | 'application-materials' | 'post-covers' | 'avatars' | 'visit-photos'

const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const
const MB = 1024 * 1024

/** What each bucket takes (the buckets' allowed_mime_types and the server's check agree). */
const ACCEPTED: Record<UploadBucket, readonly string[]> = {
  'chat-images': IMAGE_TYPES,
  'post-covers': IMAGE_TYPES,
  avatars: IMAGE_TYPES,
  'application-materials': [...IMAGE_TYPES, 'application/pdf'],
  'visit-photos': IMAGE_TYPES,
}

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'application/pdf': 'pdf' }

export const UPLOAD_MESSAGES = {
  imageTooLarge: '图片不能超过 10 MB，请压缩后重试',
  pdfTooLarge: 'PDF 文件不能超过 20 MB',
  imagesOnly: '仅支持 JPG、PNG、WebP 图片',
  imagesOrPdf: '仅支持 JPG、PNG、WebP 图片和 PDF 文件',
  network: '网络连接失败，文件没有上传成功，请检查网络后重试',
  cancelled: CANCELLED_MESSAGE,
} as const

export interface UploadInput {
  bucket: UploadBucket
  /** The folder the bucket's policy gives the person, e.g. `<own id>` for avatars, `<own id>/<application id>`. */
  folder: string
  /** The file to send: a temp path (weapp) or an object URL (H5), after any compression. */
  filePath: string
  /** What the file is: 'image/jpeg', 'image/png', 'image/webp' or 'application/pdf'. */
  contentType: string
  /** Its size in bytes, as the picker or the compression step reported it. */
  size: number
  /**
   * The object's name. Default: objectPath(folder, filePath, contentType). Pass the first attempt's
   * name when retrying a file whose path changed (e.g. compressed again), so it replaces that object.
   */
  path?: string
}

export interface UploadOptions {
  /** 0…1 as the bytes go out. */
  onProgress?: (fraction: number) => void
  /** Called once the bytes are stored and the server's check begins. */
  onVerifying?: () => void
  cancel?: CancelHandle
}

export interface UploadedFile {
  bucket: UploadBucket
  /** The object's name inside the bucket: what later RPCs take as a verified file. */
  path: string
}

export interface UploadDeps {
  client?: AppSupabaseClient
  sendFile?: SendFile
}

/** FNV-1a over the picked path, in base 36: the same picked file always gets the same object name. */
function stableKey(text: string): string {
  let h1 = 0x811c9dc5
  let h2 = 0x01000193
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0
    h2 = Math.imul(h2 ^ c, 0x811c9dc5) >>> 0
  }
  return `${h1.toString(36)}${h2.toString(36)}`
}

/** Where a picked file goes: `<folder>/<key of the picked path>.<ext>`. */
export function objectPath(folder: string, filePath: string, contentType: string): string {
  const ext = EXTENSIONS[contentType.split(';')[0].trim().toLowerCase()] ?? 'bin'
  return `${folder.replace(/\/+$/, '')}/${stableKey(filePath)}.${ext}`
}

function invalid(message: string, detail: string): AppError {
  return new AppError({ code: 'invalid', message, detail })
}

/** The checks the client can make before sending anything; the server repeats them on the bytes. */
export function checkBeforeUpload(bucket: UploadBucket, contentType: string, size: number): void {
  const type = contentType.split(';')[0].trim().toLowerCase()
  const accepted = ACCEPTED[bucket]
  if (!accepted.includes(type)) {
    throw invalid(accepted.includes('application/pdf') ? UPLOAD_MESSAGES.imagesOrPdf : UPLOAD_MESSAGES.imagesOnly, `${type} is not accepted in ${bucket}`)
  }
  if (type === 'application/pdf' ? size > 20 * MB : size > 10 * MB) {
    throw invalid(type === 'application/pdf' ? UPLOAD_MESSAGES.pdfTooLarge : UPLOAD_MESSAGES.imageTooLarge, `${size} bytes`)
  }
}

interface StorageErrorBody {
  statusCode?: string
  code?: string
  error?: string
  message?: string
}

/** Storage's refusal (`{ statusCode: "413", code, message }`, HTTP 400 for most) as the person should read it. */
function storageError(bucket: UploadBucket, status: number, body: unknown): AppError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as StorageErrorBody
  const code = Number(b.statusCode ?? status)
  const detail = `HTTP ${status} ${b.code ?? ''} ${b.message ?? (typeof body === 'string' ? body.slice(0, 200) : '')}`.trim()
  if (code === 413) return invalid(bucket === 'application-materials' ? UPLOAD_MESSAGES.pdfTooLarge : UPLOAD_MESSAGES.imageTooLarge, detail)
  if (code === 415) return invalid(bucket === 'application-materials' ? UPLOAD_MESSAGES.imagesOrPdf : UPLOAD_MESSAGES.imagesOnly, detail)
  if (code === 401) return new AppError({ code: 'unauthorized', status, message: ERROR_MESSAGES.unauthorized, detail })
  if (code === 403) return new AppError({ code: 'forbidden', status, message: '没有权限上传到这里', detail })
  if (code >= 500 || status >= 500) return new AppError({ code: 'unavailable', status, message: ERROR_MESSAGES.unavailable, detail })
  return new AppError({ code: 'unknown', status, message: '文件没有上传成功，请重试', detail })
}

/** A refused token (expired, or signed by a key no longer trusted), as opposed to a policy's refusal. */
function isTokenRefusal(body: unknown): boolean {
  const b = (typeof body === 'object' && body !== null ? body : {}) as StorageErrorBody
  const code = Number(b.statusCode ?? 0)
  return (code === 401 || code === 403 || b.code === 'InvalidJWT') && !/row-level security/i.test(b.message ?? '')
}

function uploadUrl(bucket: string, path: string): string {
  const target = getSupabaseTarget()
  if (!target) throw new AppError({ code: 'config', message: ERROR_MESSAGES.config, detail: 'no Supabase target for uploads' })
  const encoded = [bucket, ...path.split('/')].map(encodeURIComponent).join('/')
  return `${target.url.replace(/\/+$/, '')}/storage/v1/object/${encoded}`
}

export async function uploadFile(input: UploadInput, options: UploadOptions = {}, deps: UploadDeps = {}): Promise<UploadedFile> {
  checkBeforeUpload(input.bucket, input.contentType, input.size)
  const path = input.path ?? objectPath(input.folder, input.filePath, input.contentType)
  const target = getSupabaseTarget()
  const send = deps.sendFile ?? taroSendFile
  const attempt = async (token: string) =>
    send({
      url: uploadUrl(input.bucket, path),
      filePath: input.filePath,
      headers: { Authorization: `Bearer ${token}`, apikey: target?.anonKey ?? '', 'x-upsert': 'true' },
      formData: { cacheControl: '3600', contentType: input.contentType },
      onProgress: options.onProgress,
      cancel: options.cancel,
    })

  let token = await getAccessToken()
  if (!token) throw new AppError({ code: 'unauthorized', message: '请先登录', detail: 'no access token for the upload' })
  let res = await attempt(token)
  if (res.status >= 400 && isTokenRefusal(res.body)) {
    // Once, like the supabase-js fetch layer: a silent re-login, then the same object again.
    token = await getSession().renewAccessToken(token)
    res = await attempt(token)
  }
  if (res.status >= 400) throw storageError(input.bucket, res.status, res.body)
  if (options.cancel?.cancelled) throw new AppError({ code: 'cancelled', message: CANCELLED_MESSAGE, detail: 'cancelled before the check' })

  options.onProgress?.(1)
  options.onVerifying?.()
  try {
    // A refusal here (422) carries the server's reason; the file is already removed.
    await invokeFunction<{ verified: true }>('verify-upload', { bucket: input.bucket, name: path }, deps.client ?? getSupabase())
  } catch (e) {
    throw toAppError(e)
  }
  return { bucket: input.bucket, path }
}
