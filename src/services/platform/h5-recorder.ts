/**
 * Recording a voice message in the browser (H5 only; the mini-program uses Taro.getRecorderManager, see
 * services/groups/voice.ts). Taro has no recorder on H5, so this is the browser's own: getUserMedia and
 * MediaRecorder, in a format the chat-voice bucket and its check accept (MP3, M4A or AAC). A browser that
 * records none of them (desktop Chromium writes WebM) gets no 按住说话 and the page says 请在微信中录制语音.
 */

/** The formats the server accepts, in the order we prefer them. */
const RECORDABLE_TYPES = ['audio/mpeg', 'audio/mp4', 'audio/aac'] as const

/** The type this browser would record in, or null when it cannot record a type the server accepts. */
export function browserRecordingType(): string | null {
  if (typeof MediaRecorder === 'undefined' || typeof navigator === 'undefined' || !navigator.mediaDevices?.getUserMedia) return null
  return RECORDABLE_TYPES.find((type) => MediaRecorder.isTypeSupported(type)) ?? null
}

export interface BrowserRecording {
  /** An object URL of the recording (blob:…). */
  path: string
  durationMs: number
  contentType: string
  size: number
}

export class BrowserRecordingError extends Error {
  constructor(
    message: string,
    readonly detail: string,
  ) {
    super(message)
  }
}

/**
 * Starts recording from the microphone (asking for it the first time); `stop()` resolves with the
 * recording; it stops by itself after `maxMs` and that recording is kept. `cancel()` drops it.
 */
export function recordInBrowser(maxMs: number): { stop: () => Promise<BrowserRecording>; cancel: () => void } {
  const type = browserRecordingType()
  const chunks: Blob[] = []
  let recorder: MediaRecorder | null = null
  let stream: MediaStream | null = null
  let startedAt = 0
  let stoppedAt = 0
  let cancelled = false
  let timer: ReturnType<typeof setTimeout> | null = null
  let finished: Promise<BrowserRecording> | null = null

  const release = () => {
    if (timer) clearTimeout(timer)
    stream?.getTracks().forEach((track) => track.stop())
  }

  let ended: Promise<void> = Promise.resolve()

  const started: Promise<MediaRecorder> = (async () => {
    if (!type) throw new BrowserRecordingError('请在微信中录制语音', 'no recordable type')
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true })
    } catch (error) {
      throw new BrowserRecordingError('无法录音，请允许浏览器使用麦克风', String(error))
    }
    const r = new MediaRecorder(stream, { mimeType: type })
    r.ondataavailable = (event: BlobEvent) => {
      if (event.data && event.data.size > 0) chunks.push(event.data)
    }
    // The last data arrives before the recorder says it stopped.
    ended = new Promise<void>((resolve) => {
      r.onstop = () => resolve()
    })
    if (cancelled) {
      release()
      return r
    }
    r.start()
    startedAt = Date.now()
    recorder = r
    timer = setTimeout(() => {
      if (r.state === 'recording') {
        stoppedAt = Date.now()
        r.stop()
      }
    }, maxMs)
    return r
  })()
  // A refusal is reported by stop(); nobody else waits for it.
  started.catch(() => undefined)

  const stop = (): Promise<BrowserRecording> => {
    finished ??= started.then(async (r) => {
      if (r.state === 'recording') {
        stoppedAt = Date.now()
        r.stop()
      }
      await ended
      release()
      const blob = new Blob(chunks, { type: type ?? 'audio/mpeg' })
      return { path: URL.createObjectURL(blob), durationMs: Math.min(stoppedAt - startedAt, maxMs), contentType: type ?? 'audio/mpeg', size: blob.size }
    })
    return finished
  }

  const cancel = () => {
    cancelled = true
    if (recorder && recorder.state === 'recording') recorder.stop()
    release()
  }

  return { stop, cancel }
}

/** The bytes behind an object URL (a recording or a picked file). */
export async function readObjectUrl(path: string): Promise<ArrayBuffer> {
  const response = await fetch(path)
  if (!response.ok) throw new BrowserRecordingError('找不到这段录音，请重新录制', `${response.status} ${path}`)
  return response.arrayBuffer()
}
