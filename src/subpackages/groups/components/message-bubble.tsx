import { useState, useSyncExternalStore, type FunctionComponent } from 'react'
import Taro from '@tarojs/taro'
import { Image, Text, View } from '@tarojs/components'
import type { ChatMessage } from '../../../services/groups/chat-types'
import { useMediaUrl } from '../../../services/groups/use-media-url'
import type { OutboxEntry } from '../../../services/groups/outbox'
import { voiceLabel, voicePlayer } from '../../../services/groups/voice'
import './message-bubble.scss'

const classPrefix = 'chat-bubble'

const subscribePlayer = (listener: () => void) => voicePlayer.subscribe(listener)
const playing = () => voicePlayer.playing()

/**
 * An image from the group's private bucket; tap to see it large: WeChat's viewer (Taro.previewImage with
 * the signed URL) in the mini-program; on H5 a full-screen view of the same URL, because Taro's H5
 * previewImage ships a carousel library (about 150 KB) for what is one picture here.
 */
function ChatImage({ media }: { media: NonNullable<ChatMessage['media']> }) {
  const url = useMediaUrl(media)
  const [large, setLarge] = useState(false)
  if (!url.data) return <View className={`${classPrefix}__image ${classPrefix}__image--loading`}>{url.error ? '图片加载失败' : '图片加载中…'}</View>
  const open = () => {
    if (process.env.TARO_ENV === 'weapp') void Taro.previewImage({ urls: [url.data!], current: url.data! })
    else setLarge(true)
  }
  return (
    <>
      <Image className={`chat-image ${classPrefix}__image`} src={url.data} mode='widthFix' lazyLoad onClick={open} />
      {large && (
        <View className={`chat-image-viewer ${classPrefix}__viewer`} onClick={() => setLarge(false)}>
          <Image className={`${classPrefix}__viewer-image`} src={url.data} mode='aspectFit' />
        </View>
      )}
    </>
  )
}

/** A voice message: tap to play inline, tap again to stop; one plays at a time. */
function ChatVoice({ id, media, durationMs }: { id: string; media: NonNullable<ChatMessage['media']> | null; durationMs: number | null }) {
  const url = useMediaUrl(media)
  const now = useSyncExternalStore(subscribePlayer, playing, playing)
  const isPlaying = now === id
  return (
    <View
      className={`chat-voice ${classPrefix}__voice${isPlaying ? ' is-playing' : ''}`}
      style={{ width: `${Math.min(100, 36 + Math.round((durationMs ?? 0) / 1000) * 2)}%` }}
      onClick={() => {
        if (url.data) voicePlayer.toggle(id, url.data)
      }}
    >
      <Text className={`${classPrefix}__voice-icon`}>{isPlaying ? '■' : '▶'}</Text>
      <Text className={`${classPrefix}__voice-length`}>{voiceLabel(durationMs)}</Text>
      {isPlaying && <Text className={`${classPrefix}__voice-state`}>播放中</Text>}
    </View>
  )
}

export interface MessageBubbleProps {
  message: ChatMessage
  mine: boolean
  showName: boolean
  /** The sender is a butler of the group (shown as 创业管家 by the name). */
  senderIsButler: boolean
  onLongPress?: (message: ChatMessage) => void
}

/** One message of the list: a sender's bubble, or a one-line notice when withdrawn. */
export const MessageBubble: FunctionComponent<MessageBubbleProps> = ({ message, mine, showName, senderIsButler, onLongPress }) => {
  if (message.withdrawn) {
    return (
      <View className={`chat-withdrawn ${classPrefix}__notice`} id={`m-${message.id}`}>
        <Text>{mine ? '你撤回了一条消息' : `${message.sender_name}撤回了一条消息`}</Text>
      </View>
    )
  }
  return (
    <View className={`chat-message ${classPrefix}${mine ? ` ${classPrefix}--mine is-mine` : ''}`} id={`m-${message.id}`} data-id={message.id}>
      {showName && (
        <View className={`${classPrefix}__sender`}>
          <Text className={`chat-sender ${classPrefix}__name`}>{mine ? '我' : message.sender_name}</Text>
          {senderIsButler && <Text className={`${classPrefix}__butler`}>创业管家</Text>}
        </View>
      )}
      <View className={`chat-body ${classPrefix}__body`} onLongPress={() => onLongPress?.(message)}>
        {message.kind === 'text' && <Text className={`chat-text ${classPrefix}__text`} userSelect>{message.body}</Text>}
        {message.kind === 'image' && message.media && <ChatImage media={message.media} />}
        {message.kind === 'voice' && <ChatVoice id={message.id} media={message.media} durationMs={message.duration_ms} />}
      </View>
      {mine && message.review === 'pending' && <Text className={`chat-pending ${classPrefix}__status`}>审核中，通过后其他人可见</Text>}
      {message.review === 'flagged' && (
        <Text className={`chat-flagged ${classPrefix}__status ${classPrefix}__status--flagged`}>
          {mine ? '这条消息未通过内容安全检查，其他人看不到' : '这条消息未通过内容安全检查，仅管家可见'}
        </Text>
      )}
    </View>
  )
}

MessageBubble.displayName = 'MessageBubble'

export interface OutgoingBubbleProps {
  entry: OutboxEntry
  onRetry: (entry: OutboxEntry) => void
  onDiscard: (entry: OutboxEntry) => void
}

/** A message of mine not yet on the server: 发送中…, or failed with 重发 (the same id is sent again). */
export const OutgoingBubble: FunctionComponent<OutgoingBubbleProps> = ({ entry, onRetry, onDiscard }) => {
  const failed = entry.state === 'failed'
  return (
    <View className={`chat-message chat-outgoing ${classPrefix} ${classPrefix}--mine is-mine${failed ? ' is-failed' : ''}`} id={`m-${entry.id}`}>
      <View className={`${classPrefix}__row`}>
        {failed && (
          <Text className={`chat-retry ${classPrefix}__retry`} onClick={() => onRetry(entry)} aria-label='重发'>
            重发
          </Text>
        )}
        <View className={`chat-body ${classPrefix}__body`} onLongPress={() => failed && onDiscard(entry)}>
          {entry.kind === 'text' && <Text className={`chat-text ${classPrefix}__text`}>{entry.body}</Text>}
          {entry.kind === 'image' && entry.filePath && <Image className={`${classPrefix}__image`} src={entry.filePath} mode='widthFix' />}
          {entry.kind === 'voice' && <Text className={`${classPrefix}__voice-length`}>语音 {voiceLabel(entry.durationMs ?? null)}</Text>}
        </View>
      </View>
      <Text className={`chat-send-state ${classPrefix}__status${failed ? ` ${classPrefix}__status--flagged` : ''}`}>
        {failed ? `${entry.error ?? '发送失败'}（长按可删除）` : '发送中…'}
      </Text>
    </View>
  )
}

OutgoingBubble.displayName = 'OutgoingBubble'
