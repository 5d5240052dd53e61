/**
 * Addresses to show stored files: short-lived signed URLs for the private buckets (many in one call),
 * plain public URLs for the public ones (avatars, post covers), and removing one's own object.
 */
import { AppError, ERROR_MESSAGES, toAppError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { getSupabaseTarget } from '../supabase/platform-fetch'
import type { UploadBucket } from './upload-file'

/** How long a signed URL lives: long enough to look at a photo, short enough not to be passed around. */
export const SIGNED_URL_SECONDS = 10 * 60

/** Signed URLs for `paths`, in order, made in one request; a path the person may not read is an error. */
export async function signedUrls(bucket: UploadBucket, paths: string[], client: AppSupabaseClient = getSupabase()): Promise<string[]> {
  if (paths.length === 0) return []
  const { data, error } = await client.storage.from(bucket).createSignedUrls(paths, SIGNED_URL_SECONDS)
  if (error) throw toAppError(error)
  const byPath = new Map((data ?? []).map((d) => [d.path, d]))
  return paths.map((path) => {
    const signed = byPath.get(path)
    if (!signed?.signedUrl) {
      throw new AppError({ code: 'not_found', message: '图片不存在或无权查看', detail: `no signed URL for ${bucket}/${path}: ${signed?.error ?? 'missing'}` })
    }
    return signed.signedUrl
  })
}

/**
 * The address of an object in a public bucket (avatars, post-covers). Built from the configured URL,
 * without creating the client: a list of names with avatars should not wait for anything.
 */
export function publicFileUrl(bucket: 'avatars' | 'post-covers', path: string): string {
  const target = getSupabaseTarget()
  if (!target) throw new AppError({ code: 'config', message: ERROR_MESSAGES.config, detail: 'no Supabase target for public URLs' })
  const encoded = [bucket, ...path.split('/')].map(encodeURIComponent).join('/')
  return `${target.url.replace(/\/+$/, '')}/storage/v1/object/public/${encoded}`
}

/** Removes one of the person's own objects; true when Storage removed it. */
export async function removeOwnFile(bucket: UploadBucket, path: string, client: AppSupabaseClient = getSupabase()): Promise<boolean> {
  const { data, error } = await client.storage.from(bucket).remove([path])
  if (error) throw toAppError(error)
  return (data ?? []).length > 0
}
