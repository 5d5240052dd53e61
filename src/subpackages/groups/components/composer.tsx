import { useRef, useState, type FunctionComponent } from 'react'
import Taro from '@tarojs/taro'
import { Input, Text, View } from '@tarojs/components'
import { Button } from '../../../components/nutui'
import { toAppError } from '../../../services/errors'
import type { OutgoingDraft } from '../../../services/groups/outbox'
import { canRecord, H5_RECORD_HINT, startRecording } from '../../../services/groups/voice'
import './composer.scss'

const classPrefix = 'chat-composer'

/** The longest text message (the server says the same). */
export const MAX_TEXT_LENGTH = 2000

export interface Mentionable {
  user_id: string
  display_name: string
}

export interface ComposerProps {
  groupId: string
  /** The group's butlers, for @. */
  butlers: readonly Mentionable[]
  onSend: (draft: OutgoingDraft) => void
  onAsk: () => void
  disabled?: boolean
}

/** What a picked file is, from chooseMedia's path (WeChat gives no MIME type). */
function imageType(path: string): string | null {
  const ext = /\.([a-z0-9]+)(?:\?|$)/i.exec(path)?.[1]?.toLowerCase()
  if (ext === 'jpg' || ext === 'jpeg') return 'image/jpeg'
  if (ext === 'png') return 'image/png'
  if (ext === 'webp') return 'image/webp'
  return null
}

/**
 * The bottom bar: text with 发送, @管家, 图片, 提问, and 按住 说话 (WeChat, or a browser that records MP3/M4A/AAC). Sending hands a draft to the
 * page's outbox and clears the box at once; the outbox shows it as sending and marks it 重发 if it fails.
 */
export const Composer: FunctionComponent<ComposerProps> = ({ groupId, butlers, onSend, onAsk, disabled = false }) => {
  const [text, setText] = useState('')
  const [mentions, setMentions] = useState<string[]>([])
  const [voiceMode, setVoiceMode] = useState(false)
  const [recording, setRecording] = useState(false)
  const recorder = useRef<ReturnType<typeof startRecording> | null>(null)

  const sendText = () => {
    const body = text.trim()
    if (!body || disabled) return
    if (body.length > MAX_TEXT_LENGTH) {
      void Taro.showToast({ title: `消息不能超过${MAX_TEXT_LENGTH}个字`, icon: 'none' })
      return
    }
    const named = mentions.filter((id) => butlers.some((b) => b.user_id === id && body.includes(`@${b.display_name}`)))
    onSend({ groupId, kind: 'text', body, mentions: named })
    setText('')
    setMentions([])
  }

  const mention = async () => {
    if (butlers.length === 0) {
      void Taro.showToast({ title: '这个群还没有创业管家', icon: 'none' })
      return
    }
    try {
      const { tapIndex } = await Taro.showActionSheet({ itemList: butlers.slice(0, 6).map((b) => `@${b.display_name}`) })
      const butler = butlers[tapIndex]
      setText((current) => `${current}@${butler.display_name} `)
      setMentions((current) => (current.includes(butler.user_id) ? current : [...current, butler.user_id]))
    } catch {
      // Cancelled.
    }
  }

  const pickImage = async () => {
    try {
      const picked = await Taro.chooseMedia({ count: 1, mediaType: ['image'], sizeType: ['compressed'], sourceType: ['album', 'camera'] })
      const file = picked.tempFiles[0]
      if (!file) return
      const contentType = imageType(file.tempFilePath) ?? 'image/jpeg'
      onSend({ groupId, kind: 'image', filePath: file.tempFilePath, contentType, size: file.size })
    } catch (error) {
      const message = (error as { errMsg?: string }).errMsg ?? ''
      if (!/cancel/i.test(message)) void Taro.showToast({ title: '无法选择图片，请稍后重试', icon: 'none' })
    }
  }

  const toggleVoice = () => {
    if (!canRecord()) {
      void Taro.showToast({ title: H5_RECORD_HINT, icon: 'none' })
      return
    }
    setVoiceMode((on) => !on)
  }

  const holdStart = () => {
    if (recording) return
    try {
      recorder.current = startRecording()
      setRecording(true)
    } catch (error) {
      void Taro.showToast({ title: toAppError(error).message, icon: 'none' })
    }
  }

  const holdEnd = async () => {
    const current = recorder.current
    recorder.current = null
    setRecording(false)
    if (!current) return
    try {
      const voice = await current.stop()
      onSend({ groupId, kind: 'voice', filePath: voice.filePath, contentType: voice.contentType, durationMs: voice.durationMs, size: voice.size })
    } catch (error) {
      void Taro.showToast({ title: toAppError(error).message, icon: 'none' })
    }
  }

  return (
    <View className={classPrefix}>
      <View className={`${classPrefix}__tools`}>
        <Text className={`chat-tool-voice ${classPrefix}__tool`} onClick={toggleVoice}>
          {voiceMode ? '键盘' : '语音'}
        </Text>
        <Text className={`chat-tool-image ${classPrefix}__tool`} onClick={() => void pickImage()}>
          图片
        </Text>
        <Text className={`chat-tool-mention ${classPrefix}__tool`} onClick={() => void mention()}>
          @管家
        </Text>
        <Text className={`chat-tool-ask ${classPrefix}__tool ${classPrefix}__tool--ask`} onClick={onAsk}>
          提问
        </Text>
      </View>
      {voiceMode ? (
        <View
          className={`chat-hold-to-talk ${classPrefix}__hold${recording ? ' is-recording' : ''}`}
          onTouchStart={holdStart}
          onTouchEnd={() => void holdEnd()}
          onTouchCancel={() => {
            recorder.current?.cancel()
            recorder.current = null
            setRecording(false)
          }}
        >
          <Text>{recording ? '松开 发送（最长60秒）' : '按住 说话'}</Text>
        </View>
      ) : (
        <View className={`${classPrefix}__row`}>
          <Input
            className={`chat-input ${classPrefix}__input`}
            value={text}
            onInput={(event) => setText(event.detail.value)}
            onConfirm={sendText}
            confirmType='send'
            placeholder='说点什么…'
            maxlength={MAX_TEXT_LENGTH}
            adjustPosition
          />
          <Button className='chat-send' type='primary' size='small' disabled={disabled || !text.trim()} onClick={sendText}>
            发送
          </Button>
        </View>
      )}
    </View>
  )
}

Composer.displayName = 'Composer'
