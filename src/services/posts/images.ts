/**
 * Pictures of posts: covers and pictures in the body live in the public post-covers bucket. Staff pick a
 * picture, it is uploaded and checked by the server (services/storage/upload-file.ts) and then named by
 * its object path (cover_path) or its storage path in the body (`/storage/v1/object/public/post-covers/…`,
 * the only image address the database keeps). Readers get full addresses on the build's Supabase URL.
 */
import Taro from '@tarojs/taro'
import { readPickedBlob } from '../platform/read-picked-blob'
import { getSupabaseTarget } from '../supabase/platform-fetch'
import { uploadFile, type UploadedFile } from '../storage/upload-file'
import { AppError } from '../errors'
import { STORAGE_PUBLIC_PATH } from './rich-text'

/** The build's Supabase URL, for our storage paths ('' when the build has none: nothing shows). */
export function storageOrigin(): string {
  return getSupabaseTarget()?.url ?? ''
}

/** A cover's address for an <Image>, or null without a cover. */
export function coverUrl(coverPath: string | null | undefined): string | null {
  if (!coverPath) return null
  return `${storageOrigin()}${STORAGE_PUBLIC_PATH}${coverPath.split('/').map(encodeURIComponent).join('/')}`
}

/** How a picture in the body is stored. */
export function bodyImagePath(objectPath: string): string {
  return `${STORAGE_PUBLIC_PATH}${objectPath}`
}

/** What a picked picture is: the browser's MIME type on H5, else the temp file's extension (the server checks the bytes). */
export function contentTypeOf(path: string, mimeType?: string): string {
  const mime = mimeType?.toLowerCase() ?? ''
  if (mime.includes('/')) return mime
  const lower = path.toLowerCase()
  if (lower.endsWith('.png')) return 'image/png'
  if (lower.endsWith('.webp')) return 'image/webp'
  return 'image/jpeg'
}

/**
 * Lets the person pick one picture (album or camera) and uploads it to post-covers under their own
 * folder. null when they cancelled. Failures are AppErrors in Chinese (too large, wrong type, refused
 * by the server's check, network).
 */
export async function pickAndUploadPostImage(userId: string): Promise<UploadedFile | null> {
  let picked: { path: string; type?: string } | null = null
  try {
    const result = await Taro.chooseImage({ count: 1, sizeType: ['compressed'], sourceType: ['album', 'camera'] })
    // H5 gives the browser's File (originalFileObj) with its MIME type; `type` there is only 'image'.
    const file = result.tempFiles?.[0] as { path: string; originalFileObj?: { type?: string } } | undefined
    picked = file ? { path: file.path, type: file.originalFileObj?.type } : result.tempFilePaths?.[0] ? { path: result.tempFilePaths[0] } : null
  } catch (error) {
    const message = (error as { errMsg?: string })?.errMsg ?? ''
    if (/cancel/i.test(message)) return null
    throw new AppError({ code: 'invalid', message: '无法打开相册，请稍后重试', detail: message, cause: error })
  }
  if (!picked) return null
  return uploadFile(
    { bucket: 'post-covers', folder: userId, filePath: picked.path, contentType: contentTypeOf(picked.path, picked.type) },
    // H5 has no file system: the picker gives a blob: URL, read through the browser.
    process.env.TARO_ENV === 'h5' ? { readFile: readPickedBlob } : {},
  )
}
