import { useState, type FunctionComponent } from 'react'
import Taro from '@tarojs/taro'
import { Image, Text, View } from '@tarojs/components'
import type { UploadBucket } from '../../services/storage/upload-file'
import { useSignedUrls } from '../../services/storage/use-signed-urls'
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
 * large: WeChat's viewer (Taro.previewImage, swiping through the rest) in the mini-program; on H5 a
 * full-screen view of the one tapped (a tap closes it), because Taro's H5 previewImage ships a carousel
 * library of about 160 KB.
 *
 *   <ImageViewer bucket='application-materials' paths={application.materials} />
 */
export const ImageViewer: FunctionComponent<ImageViewerProps> = ({ bucket, paths, className }) => {
  const urls = useSignedUrls(bucket, paths)
  const [large, setLarge] = useState<string | null>(null)
  const list = urls.data ?? []
  const open = (url: string) => {
    if (process.env.TARO_ENV === 'weapp') void Taro.previewImage({ urls: list, current: url }).catch(() => {})
    else setLarge(url)
  }
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
            onClick={() => open(list[n])}
          />
        ) : (
          <View key={path} className={`${classPrefix}__thumb ${classPrefix}__thumb--loading`} />
        ),
      )}
      {large && (
        <View className={`${classPrefix}__large`} onClick={() => setLarge(null)} aria-label='关闭大图'>
          <Image className={`${classPrefix}__large-image`} src={large} mode='aspectFit' />
        </View>
      )}
    </View>
  )
}

ImageViewer.displayName = 'ImageViewer'
