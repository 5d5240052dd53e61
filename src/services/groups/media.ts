/**
 * Images and voice of a group's chat live in private buckets: members read them through short-lived
 * signed URLs (fetched once, cached for most of their life), and upload them under
 * `<group id>/<own id>/` through the files layer, which has the server check the bytes first.
 */
import Taro from '@tarojs/taro'
import { AppError, handleError } from '../errors'
import { invokeFunction } from '../functions/invoke'
import { readObjectUrl } from '../platform/h5-recorder'
import { objectPath, uploadFile } from '../storage/upload-file'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'

/** How long a signed URL works; it is fetched again well before that. */
const SIGNED_URL_SECONDS = 3600
export const SIGNED_URL_FRESH_MS = 45 * 60_000

export async function signedMediaUrl(bucket: string, path: string, client: AppSupabaseClient = getSupabase()): Promise<string> {
  const { data, error } = await client.storage.from(bucket).createSignedUrl(path, SIGNED_URL_SECONDS)
  if (error) handleError({ message: error.message, code: '' }, Number((error as { status?: number }).status ?? 400))
  return data!.signedUrl
}

/** The bucket of each kind of chat file. */
export const CHAT_BUCKETS = { image: 'chat-images', voice: 'chat-voice' } as const

/** What a voice recording may be (the chat-voice bucket's allowed types). */
const VOICE_TYPES = ['audio/mpeg', 'audio/aac', 'audio/mp4', 'audio/x-m4a']
const VOICE_MAX_BYTES = 2 * 1024 * 1024
const VOICE_EXTENSIONS: Record<string, string> = { 'audio/mpeg': 'mp3', 'audio/aac': 'aac', 'audio/mp4': 'm4a', 'audio/x-m4a': 'm4a' }

/** A recording's bytes: from the mini-program's file system, or on H5 behind the recording's object URL. */
function readRecording(filePath: string): Promise<ArrayBuffer> {
  if (process.env.TARO_ENV === 'h5') return readObjectUrl(filePath)
  return new Promise((resolve, reject) => {
    Taro.getFileSystemManager().readFile({
      filePath,
      success: (res) => resolve(res.data as ArrayBuffer),
      fail: (err: { errMsg?: string }) => reject(new AppError({ code: 'invalid', message: '找不到这段录音，请重新录制', detail: err?.errMsg ?? filePath })),
    })
  })
}

export interface ChatFile {
  kind: 'image' | 'voice'
  groupId: string
  userId: string
  filePath: string
  contentType: string
  /** Bytes, as the picker or recorder reported them. */
  size?: number
}

/**
 * Uploads a picked image or a recording to `<group id>/<own id>/` of its bucket and has the server check
 * it; the same file always lands on the same object, so a retry replaces it instead of adding one.
 * Images go through the shared uploader (services/storage); voice, which that uploader does not take,
 * the same way here: bytes to Storage (upsert), then verify-upload.
 */
export async function uploadChatFile(file: ChatFile, client: AppSupabaseClient = getSupabase()): Promise<{ path: string }> {
  const folder = `${file.groupId}/${file.userId}`
  if (file.kind === 'image') {
    // A variable, not a literal: the uploader's input grows (size) without this call changing.
    const input = { bucket: CHAT_BUCKETS.image, folder, filePath: file.filePath, contentType: file.contentType, size: file.size ?? 0 }
    return uploadFile(input)
  }
  const type = file.contentType.toLowerCase()
  if (!VOICE_TYPES.includes(type)) throw new AppError({ code: 'invalid', message: '仅支持 MP3、AAC、M4A 语音', detail: type })
  const bytes = await readRecording(file.filePath)
  if (bytes.byteLength > VOICE_MAX_BYTES) throw new AppError({ code: 'invalid', message: '语音不能超过 2 MB', detail: `${bytes.byteLength} bytes` })
  const path = objectPath(folder, file.filePath, 'application/octet-stream').replace(/\.bin$/, `.${VOICE_EXTENSIONS[type]}`)
  const { error } = await client.storage.from(CHAT_BUCKETS.voice).upload(path, bytes, { contentType: type, upsert: true })
  if (error) {
    const status = Number((error as { statusCode?: string; status?: number }).statusCode ?? (error as { status?: number }).status ?? 0)
    if (!status) throw new AppError({ code: 'network', message: '网络连接失败，语音没有发出去，请点重发', detail: error.message, cause: error })
    handleError({ message: error.message, code: '' }, status)
  }
  await invokeFunction<{ verified: true }>('verify-upload', { bucket: CHAT_BUCKETS.voice, name: path }, client)
  return { path }
}
