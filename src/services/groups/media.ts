/**
 * Images and voice of a group's chat live in private buckets: members read them through short-lived
 * signed URLs (fetched once, cached for most of their life), and upload them under
 * `<group id>/<own id>/` through the files layer, which has the server check the bytes first.
 */
import { handleError } from '../errors'
import { uploadFile, type UploadBucket } from '../storage/upload-file'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'

/** How long a signed URL works; it is fetched again well before that. */
const SIGNED_URL_SECONDS = 3600
export const SIGNED_URL_FRESH_MS = 45 * 60_000

export async function signedMediaUrl(bucket: string, path: string, client: AppSupabaseClient = getSupabase()): Promise<string> {
  const { data, error } = await client.storage.from(bucket).createSignedUrl(path, SIGNED_URL_SECONDS)
  if (error) handleError({ message: error.message, code: '' }, Number((error as { status?: number }).status ?? 400))
  return data!.signedUrl
}

/** Uploads a picked image or a recording to the group's folder of `bucket`; the same file always lands on the same object. */
export function uploadChatFile(bucket: UploadBucket, groupId: string, userId: string, filePath: string, contentType: string) {
  return uploadFile({ bucket, folder: `${groupId}/${userId}`, filePath, contentType })
}
