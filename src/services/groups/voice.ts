/**
 * Voice messages: hold to talk on WeChat (the mini-program's recorder, at most 60 s, MP3, which the server's
 * check recognises by its frames), and one player for the whole page (playing one message stops the other), which
 * works on H5 too. Taro has no recorder on H5: there the browser's own records (services/platform/h5-recorder.ts)
 * when it can write a format the server accepts; where it cannot, the page says 请在微信中录制语音.
 */
import Taro from '@tarojs/taro'
import { AppError } from '../errors'
import { BrowserRecordingError, browserRecordingType, recordInBrowser } from '../platform/h5-recorder'

/** The longest voice message, as in WeChat. */
export const MAX_VOICE_MS = 60_000
/** Shorter than this is a slip of the finger, not a message. */
export const MIN_VOICE_MS = 1_000

const IS_WEAPP = process.env.TARO_ENV === 'weapp'
export const H5_RECORD_HINT = '请在微信中录制语音'

/** Whether this device can record a voice message: always in WeChat; on H5 when the browser records MP3, M4A or AAC. */
export function canRecord(): boolean {
  return IS_WEAPP || (process.env.TARO_ENV === 'h5' && browserRecordingType() !== null)
}

export interface RecordedVoice {
  filePath: string
  durationMs: number
  contentType: string
  size: number
}

/** A recording's type from its file name (the recorder writes .mp3 as asked; older clients may write .aac or .m4a). */
export function audioType(filePath: string): string {
  const ext = /\.([a-z0-9]+)(?:\?|$)/i.exec(filePath)?.[1]?.toLowerCase()
  if (ext === 'm4a' || ext === 'mp4') return 'audio/mp4'
  if (ext === 'aac') return 'audio/aac'
  return 'audio/mpeg'
}

/**
 * Starts recording; `stop()` resolves with the file (or rejects with a Chinese reason: too short,
 * microphone refused). Recording stops by itself at 60 s, and that recording is kept.
 */
export function startRecording(): { stop: () => Promise<RecordedVoice>; cancel: () => void } {
  if (!canRecord()) throw new AppError({ code: 'invalid', message: H5_RECORD_HINT, detail: 'no recorder on this device' })
  if (!IS_WEAPP) return startBrowserRecording()
  const recorder = Taro.getRecorderManager()
  let settle: ((result: RecordedVoice | AppError) => void) | null = null
  let early: RecordedVoice | AppError | null = null
  let cancelled = false
  const finish = (result: RecordedVoice | AppError) => {
    if (settle) settle(result)
    else early = result
  }
  recorder.onStop((res) => {
    if (cancelled) return
    if (res.duration < MIN_VOICE_MS) finish(new AppError({ code: 'invalid', message: '说话时间太短', detail: `${res.duration} ms` }))
    else finish({ filePath: res.tempFilePath, durationMs: Math.min(res.duration, MAX_VOICE_MS), contentType: audioType(res.tempFilePath), size: res.fileSize })
  })
  recorder.onError((res) => {
    finish(new AppError({ code: 'invalid', message: '无法录音，请在设置中允许使用麦克风', detail: res.errMsg }))
  })
  recorder.start({ duration: MAX_VOICE_MS, format: 'mp3', sampleRate: 16000, numberOfChannels: 1, encodeBitRate: 48000 })
  return {
    stop: () =>
      new Promise<RecordedVoice>((resolve, reject) => {
        const done = (result: RecordedVoice | AppError) => (result instanceof AppError ? reject(result) : resolve(result))
        if (early) return done(early)
        settle = done
        recorder.stop()
      }),
    cancel: () => {
      cancelled = true
      recorder.stop()
    },
  }
}

/** The same on H5, with the browser's recorder: too short is refused, a refused microphone said in Chinese. */
function startBrowserRecording(): { stop: () => Promise<RecordedVoice>; cancel: () => void } {
  const recording = recordInBrowser(MAX_VOICE_MS)
  return {
    stop: async () => {
      try {
        const voice = await recording.stop()
        if (voice.durationMs < MIN_VOICE_MS) throw new AppError({ code: 'invalid', message: '说话时间太短', detail: `${voice.durationMs} ms` })
        return { filePath: voice.path, durationMs: voice.durationMs, contentType: voice.contentType, size: voice.size }
      } catch (error) {
        if (error instanceof BrowserRecordingError) throw new AppError({ code: 'invalid', message: error.message, detail: error.detail })
        throw error
      }
    },
    cancel: recording.cancel,
  }
}

/** One audio player for the page: play(url) stops whatever played before; listeners hear which id plays. */
class VoicePlayer {
  private context: Taro.InnerAudioContext | null = null
  private playingId: string | null = null
  private readonly listeners = new Set<() => void>()

  playing(): string | null {
    return this.playingId
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  toggle(id: string, url: string): void {
    if (this.playingId === id) return this.stop()
    this.stop()
    const context = Taro.createInnerAudioContext()
    this.context = context
    context.src = url
    const ended = () => {
      if (this.context === context) this.stop()
    }
    context.onEnded(ended)
    context.onError(() => {
      ended()
      void Taro.showToast({ title: '语音播放失败，请稍后重试', icon: 'none' })
    })
    this.set(id)
    context.play()
  }

  stop(): void {
    const context = this.context
    this.context = null
    if (context) {
      context.stop()
      context.destroy()
    }
    this.set(null)
  }

  private set(id: string | null): void {
    this.playingId = id
    for (const listener of [...this.listeners]) listener()
  }
}

export const voicePlayer = new VoicePlayer()

/** A duration as a voice bubble shows it: 12″. */
export function voiceLabel(durationMs: number | null): string {
  return `${Math.max(1, Math.round((durationMs ?? 0) / 1000))}″`
}
