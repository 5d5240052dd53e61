/** A chat image's or voice's signed URL as a query, fetched once and reused for most of its life. */
import { useAppQuery } from '../query/use-app-query'
import { groupKeys } from './keys'
import { SIGNED_URL_FRESH_MS, signedMediaUrl } from './media'

export function useMediaUrl(media: { bucket: string; path: string } | null) {
  return useAppQuery({
    key: groupKeys.mediaUrl(media?.bucket ?? '', media?.path ?? ''),
    fetcher: () => signedMediaUrl(media!.bucket, media!.path),
    enabled: media !== null,
    staleTime: SIGNED_URL_FRESH_MS,
  })
}
