import { useState, type FunctionComponent } from 'react'
import Taro from '@tarojs/taro'
import { Image, Text, View } from '@tarojs/components'
import type { UploadBucket } from '../../services/storage/upload-file'
import { useImageUploader } from '../../services/storage/use-image-uploader'
import './index.scss'

export interface ImageUploaderProps {
  /** The bucket: 'chat-images' or 'application-materials' (private), 'post-covers'. */
  bucket: UploadBucket
  /** The folder the bucket's policy gives the person, e.g. `<group id>/<own id>` or `<own id>/<application id>`. */
  folder: string
  /** Most images the list holds; default 9. */
  maxCount?: number
  /** Object names attached earlier (already verified), shown through signed URLs. */
  initial?: string[]
  /** Every verified object name, in order, whenever that list changes. Only files the server checked. */
  onChange?: (paths: string[]) => void
  className?: string
}

const defaultProps = { maxCount: 9 } satisfies Partial<ImageUploaderProps>
const classPrefix = 'image-uploader'

const STATUS_TEXT = { uploading: '上传中', verifying: '检查中…', done: '', failed: '' } as const

/**
 * Pick images, see them upload (thumbnail, progress, 取消), remove one (×), send a failed one again
 * (重试), tap one to see it large. Each image is compressed on the phone when longer than 1,600 px, then
 * uploaded and checked by the server (verify-upload); `onChange` hears only the verified ones. A file the
 * server refuses shows its reason, e.g. 文件不是有效的图片（仅支持 JPG、PNG、WebP），已删除。
 *
 *   <ImageUploader bucket='chat-images' folder={`${groupId}/${me}`} maxCount={3} onChange={setImages} />
 */
export const ImageUploader: FunctionComponent<ImageUploaderProps> = (props) => {
  const { bucket, folder, maxCount, initial, onChange, className } = { ...defaultProps, ...props }
  const uploader = useImageUploader({ bucket, folder, maxCount, initial, onChange })
  const shown = uploader.items.filter((i) => i.status === 'done' && i.thumb)

  const [large, setLarge] = useState<string | null>(null)
  // WeChat's viewer in the mini-program; on H5 a full-screen view (Taro's H5 previewImage ships a ~160 KB carousel).
  const preview = (current: string) => {
    if (process.env.TARO_ENV === 'weapp') void Taro.previewImage({ urls: shown.map((i) => i.thumb), current }).catch(() => {})
    else setLarge(current)
  }

  return (
    <View className={className ? `${classPrefix} ${className}` : classPrefix}>
      <View className={`${classPrefix}__grid`}>
        {uploader.items.map((item) => (
          <View key={item.key} className={`${classPrefix}__tile ${classPrefix}__tile--${item.status}`}>
            {item.thumb ? (
              <Image className={`${classPrefix}__thumb`} src={item.thumb} mode='aspectFill' onClick={() => item.status === 'done' && preview(item.thumb)} />
            ) : (
              <View className={`${classPrefix}__thumb`} />
            )}
            {(item.status === 'uploading' || item.status === 'verifying') && (
              <View className={`${classPrefix}__mask`}>
                <Text className={`${classPrefix}__status`}>
                  {item.status === 'uploading' ? `${STATUS_TEXT.uploading} ${Math.round(item.progress * 100)}%` : STATUS_TEXT.verifying}
                </Text>
                <View className={`${classPrefix}__bar`}>
                  <View className={`${classPrefix}__bar-fill`} style={{ width: `${Math.round(item.progress * 100)}%` }} />
                </View>
                {item.status === 'uploading' && (
                  <Text className={`${classPrefix}__action`} onClick={() => uploader.cancel(item.key)}>
                    取消
                  </Text>
                )}
              </View>
            )}
            {item.status === 'failed' && (
              <View className={`${classPrefix}__mask ${classPrefix}__mask--failed`}>
                <Text className={`${classPrefix}__error`}>{item.error}</Text>
                {item.retryable && item.file && (
                  <Text className={`${classPrefix}__action`} onClick={() => uploader.retry(item.key)}>
                    重试
                  </Text>
                )}
              </View>
            )}
            <View className={`${classPrefix}__remove`} onClick={() => uploader.remove(item.key)} aria-label='删除'>
              <Text>×</Text>
            </View>
          </View>
        ))}
        {uploader.canAdd && (
          <View className={`${classPrefix}__tile ${classPrefix}__add`} onClick={() => void uploader.add()}>
            <Text className={`${classPrefix}__plus`}>+</Text>
            <Text className={`${classPrefix}__add-text`}>添加图片</Text>
          </View>
        )}
      </View>
      {large && (
        <View className={`${classPrefix}__large`} onClick={() => setLarge(null)} aria-label='关闭大图'>
          <Image className={`${classPrefix}__large-image`} src={large} mode='aspectFit' />
        </View>
      )}
    </View>
  )
}

ImageUploader.displayName = 'ImageUploader'
