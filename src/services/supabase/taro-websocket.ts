/**
 * A WebSocket class over `Taro.connectSocket`, given to supabase-js as `realtime.transport`. The
 * mini-program runtime has no WebSocket, and supabase-js refuses to create a client without one. It
 * implements what the Phoenix socket inside realtime-js uses: the constructor (url, protocols),
 * readyState, binaryType, bufferedAmount, onopen/onmessage/onerror/onclose, send and close, plus
 * addEventListener/removeEventListener.
 * Taro.connectSocket resolves its SocketTask asynchronously, so a close() before that is remembered.
 *
 * Not in use while the app's client has no Realtime (./client.ts: chat polls, and leaving Realtime out
 * keeps the H5 first screen small); kept, with its tests, for the screen that first subscribes: give it
 * to @supabase/realtime-js's RealtimeClient as `transport` on weapp.
 */

/** The subset of Taro's SocketTask used here. */
export interface TaroSocketTask {
  send(option: { data: string | ArrayBuffer; fail?: (result: { errMsg: string }) => void }): void
  close(option: { code?: number; reason?: string }): void
  onOpen(callback: (result: unknown) => void): void
  onMessage(callback: (result: { data: string | ArrayBuffer }) => void): void
  onError(callback: (result: { errMsg: string }) => void): void
  onClose(callback: (result: { code: number; reason: string }) => void): void
}

export type TaroConnectSocket = (option: { url: string; protocols?: string[] }) => PromiseLike<TaroSocketTask>

interface SocketEvent {
  type: string
  data?: string | ArrayBuffer
  code?: number
  reason?: string
  wasClean?: boolean
  message?: string
}

type Handler = ((event: SocketEvent) => void) | null

const CONNECTING = 0
const OPEN = 1
const CLOSING = 2
const CLOSED = 3

export function createTaroWebSocket(connectSocket: TaroConnectSocket) {
  return class TaroWebSocket {
    static readonly CONNECTING = CONNECTING
    static readonly OPEN = OPEN
    static readonly CLOSING = CLOSING
    static readonly CLOSED = CLOSED

    readonly CONNECTING = CONNECTING
    readonly OPEN = OPEN
    readonly CLOSING = CLOSING
    readonly CLOSED = CLOSED
    readonly url: string
    readonly protocol: string = ''
    readyState: number = CONNECTING
    binaryType: 'arraybuffer' | 'blob' = 'arraybuffer'
    bufferedAmount = 0
    onopen: Handler = null
    onmessage: Handler = null
    onerror: Handler = null
    onclose: Handler = null
    private listeners: Array<{ type: string; listener: (event: SocketEvent) => void }> = []
    private task: TaroSocketTask | null = null
    private pendingClose: { code?: number; reason?: string } | null = null

    constructor(url: string | { toString(): string }, protocols?: string | string[]) {
      this.url = String(url)
      const list = protocols === undefined ? undefined : Array.isArray(protocols) ? protocols : [protocols]
      connectSocket({ url: this.url, ...(list ? { protocols: list } : {}) }).then(
        (task) => this.attach(task),
        (failure: { errMsg?: string } | undefined) => this.fail(failure?.errMsg ?? 'connectSocket failed'),
      )
    }

    send(data: string | ArrayBuffer): void {
      if (this.readyState !== OPEN || !this.task) throw new Error('WebSocket is not open')
      this.task.send({ data, fail: (result) => this.emit({ type: 'error', message: result.errMsg }) })
    }

    close(code?: number, reason?: string): void {
      if (this.readyState === CLOSING || this.readyState === CLOSED) return
      this.readyState = CLOSING
      if (this.task) this.task.close({ code, reason })
      else this.pendingClose = { code, reason }
    }

    addEventListener(type: string, listener: (event: SocketEvent) => void): void {
      this.listeners.push({ type, listener })
    }

    removeEventListener(type: string, listener: (event: SocketEvent) => void): void {
      this.listeners = this.listeners.filter((entry) => entry.type !== type || entry.listener !== listener)
    }

    private emit(event: SocketEvent): void {
      const handler = { open: this.onopen, message: this.onmessage, error: this.onerror, close: this.onclose }[event.type]
      handler?.(event)
      for (const entry of this.listeners.slice()) if (entry.type === event.type) entry.listener(event)
    }

    private attach(task: TaroSocketTask): void {
      this.task = task
      task.onOpen(() => {
        if (this.readyState !== CONNECTING) return
        this.readyState = OPEN
        this.emit({ type: 'open' })
      })
      task.onMessage((result) => this.emit({ type: 'message', data: result.data }))
      task.onError((result) => this.emit({ type: 'error', message: result.errMsg }))
      task.onClose((result) => {
        this.readyState = CLOSED
        this.emit({ type: 'close', code: result.code, reason: result.reason, wasClean: result.code === 1000 })
      })
      if (this.pendingClose) task.close(this.pendingClose)
    }

    private fail(message: string): void {
      this.readyState = CLOSED
      this.emit({ type: 'error', message })
      this.emit({ type: 'close', code: 1006, reason: message, wasClean: false })
    }
  }
}
