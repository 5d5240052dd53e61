import type { FunctionComponent } from 'react'
import { Image, Text, View } from '@tarojs/components'
import type { UploadBucket } from '../../services/storage/upload-file'
import { useSignedUrls } from '../../services/storage/use-signed-urls'
import { useImagePreview } from '../image-preview'
import './index.scss'

export interface ImageViewerProps {
  /** The private bucket the files are in ('chat-images', 'application-materials'). */
  bucket: UploadBucket
  /** Object names (verified files, e.g. what ImageUploader reported). */
  paths: readonly string[]
  className?: string
}

const classPrefix = 'image-viewer'

/**
 * Thumbnails of stored images through short-lived signed URLs (one request for all); a tap opens them
 * large (WeChat's viewer, swiping through the rest; on H5 the tapped one full-screen, components/image-preview).
 *
 *   <ImageViewer bucket='application-materials' paths={application.materials} />
 */
export const ImageViewer: FunctionComponent<ImageViewerProps> = ({ bucket, paths, className }) => {
  const urls = useSignedUrls(bucket, paths)
  const large = useImagePreview()
  const list = urls.data ?? []
  const name = className ? `${classPrefix} ${className}` : classPrefix
  if (paths.length === 0) return null
  if (urls.error) {
    return (
      <View className={name}>
        <Text className={`${classPrefix}__error`}>{urls.error.message}</Text>
      </View>
    )
  }
  return (
    <View className={name}>
      {paths.map((path, n) =>
        list[n] ? (
          <Image
            key={path}
            className={`${classPrefix}__thumb`}
            src={list[n]}
            mode='aspectFill'
            onClick={() => large.open(list, list[n])}
          />
        ) : (
          <View key={path} className={`${classPrefix}__thumb ${classPrefix}__thumb--loading`} />
        ),
      )}
      {large.overlay}
    </View>
  )
}

ImageViewer.displayName = 'ImageViewer'
