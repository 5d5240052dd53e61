/**
 * Pictures of posts: covers and pictures in the body live in the public post-covers bucket. Staff pick a
 * picture, it is uploaded and checked by the server (services/storage/upload-file.ts) and then named by
 * its object path (cover_path) or its storage path in the body (`/storage/v1/object/public/post-covers/…`,
 * the only image address the database keeps). Readers get full addresses on the build's Supabase URL.
 */
import { getSupabaseTarget } from '../supabase/platform-fetch'
import { uploadFile, type UploadedFile } from '../storage/upload-file'
import { pickImages, prepareImage } from '../storage/pick-images'
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

/**
 * Lets the person pick one picture (album or camera; a file chooser on H5), scales it down past 1,600 px
 * and uploads it to post-covers under their own folder, where the server checks it. null when they
 * closed the picker. Failures are AppErrors in Chinese (too large, wrong type, refused by the server's
 * check, network).
 */
export async function pickAndUploadPostImage(userId: string): Promise<UploadedFile | null> {
  const [picked] = await pickImages(1)
  if (!picked) return null
  const prepared = await prepareImage(picked)
  return uploadFile({ bucket: 'post-covers', folder: userId, filePath: prepared.path, contentType: prepared.type, size: prepared.size })
}
