import { useAppQuery } from '../query/use-app-query'
import { SIGNED_URL_SECONDS, signedUrls } from './file-urls'
import { storageKeys } from './keys'
import type { UploadBucket } from './upload-file'

/** Signed URLs for files of a private bucket, made in one call; renewed well before they expire. */
export function useSignedUrls(bucket: UploadBucket, paths: readonly string[]) {
  return useAppQuery({
    key: storageKeys.signed(bucket, paths),
    fetcher: () => signedUrls(bucket, [...paths]),
    enabled: paths.length > 0,
    staleTime: (SIGNED_URL_SECONDS / 2) * 1000,
  })
}
