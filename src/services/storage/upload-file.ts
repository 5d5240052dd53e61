/**
 * Uploads a picked file to a bucket and has the server check it (the verify-upload edge function): a
 * file counts only once that check has passed. Works in the mini-program, which lacks Blob and
 * FormData: the temp file is read into an ArrayBuffer, which supabase-js sends as a raw body through the
 * app's fetch adapter (Taro.request on weapp).
 *
 * Retries never make a second object: the name is fixed by the caller's folder and the temp file's path,
 * and the upload is an upsert, so sending the same file again replaces the same object (and a response
 * lost on the way cannot leave an orphan behind a "duplicate" error).
 *
 * Failures are AppErrors with a Chinese message: too large and wrong type before anything is sent (the
 * server says the same if the client is wrong), the server's own reason when the check refuses the file,
 * and the usual network message when no answer came.
 */
import { AppError, ERROR_MESSAGES, toAppError } from '../errors'
import { invokeFunction } from '../functions/invoke'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { readTempFile } from './read-temp-file'

export type UploadBucket = 'chat-images' | 'application-materials' | 'post-covers' | 'avatars'

const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const
const MB = 1024 * 1024

/** What each bucket takes (the buckets' allowed_mime_types and the server's check agree). */
const ACCEPTED: Record<UploadBucket, readonly string[]> = {
  'chat-images': IMAGE_TYPES,
  'post-covers': IMAGE_TYPES,
  avatars: IMAGE_TYPES,
  'application-materials': [...IMAGE_TYPES, 'application/pdf'],
}

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'application/pdf': 'pdf' }

export const UPLOAD_MESSAGES = {
  imageTooLarge: '图片不能超过 10 MB，请压缩后重试',
  pdfTooLarge: 'PDF 文件不能超过 20 MB',
  imagesOnly: '仅支持 JPG、PNG、WebP 图片',
  imagesOrPdf: '仅支持 JPG、PNG、WebP 图片和 PDF 文件',
  network: '网络连接失败，文件没有上传成功，请检查网络后重试',
} as const

export interface UploadInput {
  bucket: UploadBucket
  /** The folder the bucket's policy gives the person, e.g. `<own id>` for avatars, `<own id>/<application id>`. */
  folder: string
  /** The temp file path the picker gave. */
  filePath: string
  /** What the file is, e.g. from chooseMedia's fileType and the extension: 'image/jpeg'. */
  contentType: string
}

export interface UploadedFile {
  bucket: UploadBucket
  /** The object's name inside the bucket. */
  path: string
}

export interface UploadDeps {
  client?: AppSupabaseClient
  readFile?: (filePath: string) => Promise<ArrayBuffer>
}

/** FNV-1a over the temp path, in base 36: the same picked file always gets the same object name. */
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

/** Where a picked file goes: `<folder>/<key of the temp path>.<ext>`. */
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

/** Storage's refusal (storage-js StorageApiError: status, statusCode, message) as the person should read it. */
function storageError(bucket: UploadBucket, error: unknown): AppError {
  const e = error as { name?: string; status?: number; statusCode?: string; message?: string; originalError?: unknown }
  const status = Number(e.statusCode ?? e.status ?? 0)
  if (e.name === 'StorageUnknownError' || !status) {
    return new AppError({ code: 'network', message: UPLOAD_MESSAGES.network, detail: String(e.message ?? error), cause: error })
  }
  if (status === 413) return invalid(bucket === 'application-materials' ? UPLOAD_MESSAGES.pdfTooLarge : UPLOAD_MESSAGES.imageTooLarge, `413 ${e.message}`)
  if (status === 415) return invalid(bucket === 'application-materials' ? UPLOAD_MESSAGES.imagesOrPdf : UPLOAD_MESSAGES.imagesOnly, `415 ${e.message}`)
  if (status === 401) return new AppError({ code: 'unauthorized', status, message: ERROR_MESSAGES.unauthorized, detail: String(e.message) })
  if (status === 403) return new AppError({ code: 'forbidden', status, message: '没有权限上传到这里', detail: String(e.message) })
  return toAppError(new Error(String(e.message)), status)
}

export async function uploadFile(input: UploadInput, deps: UploadDeps = {}): Promise<UploadedFile> {
  const client = deps.client ?? getSupabase()
  const bytes = await (deps.readFile ?? readTempFile)(input.filePath)
  checkBeforeUpload(input.bucket, input.contentType, bytes.byteLength)
  const path = objectPath(input.folder, input.filePath, input.contentType)
  const { error } = await client.storage.from(input.bucket).upload(path, bytes, { contentType: input.contentType, upsert: true })
  if (error) throw storageError(input.bucket, error)
  // A refusal here (422) carries the server's reason; the file is already removed.
  await invokeFunction<{ verified: true }>('verify-upload', { bucket: input.bucket, name: path }, client)
  return { bucket: input.bucket, path }
}
