import { useState, type ReactNode } from 'react'
import Taro from '@tarojs/taro'
import { Image, View } from '@tarojs/components'
import './index.scss'

/**
 * Seeing a picture large. In the mini-program: WeChat's own viewer (wx.previewImage, swiping through
 * `urls`). On H5: a full-screen view of the tapped picture, tap to close — Taro's H5 previewImage ships a
 * carousel library (about 160 KB of Swiper) for this, which the uploader and viewer must not pull in
 * (the chat's images do the same, see subpackages/groups/components/message-bubble.tsx).
 *
 * previewImage is read from Taro's object (not as `Taro.previewImage`), so the H5 build does not import
 * its browser implementation for a branch it never runs (see services/storage/pick-images.ts).
 */
const mini: Pick<typeof Taro, 'previewImage'> = Taro

const classPrefix = 'image-preview'

export function useImagePreview(): { open: (urls: string[], current: string) => void; overlay: ReactNode } {
  const [shown, setShown] = useState<string | null>(null)
  const open = (urls: string[], current: string) => {
    if (process.env.TARO_ENV === 'weapp') void mini.previewImage({ urls, current }).catch(() => {})
    else setShown(current)
  }
  const overlay = shown ? (
    <View className={classPrefix} onClick={() => setShown(null)} role='button' aria-label='关闭大图'>
      <Image className={`${classPrefix}__image`} src={shown} mode='aspectFit' />
    </View>
  ) : null
  return { open, overlay }
}
