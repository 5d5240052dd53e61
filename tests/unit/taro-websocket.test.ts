import { describe, expect, it, vi } from 'vitest'
import { createTaroWebSocket, type TaroSocketTask } from '../../src/services/supabase/taro-websocket'

function fakeTask() {
  const handlers: Record<string, (result: never) => void> = {}
  const task = {
    send: vi.fn(),
    close: vi.fn(),
    onOpen: (cb: (r: never) => void) => void (handlers.open = cb),
    onMessage: (cb: (r: never) => void) => void (handlers.message = cb),
    onError: (cb: (r: never) => void) => void (handlers.error = cb),
    onClose: (cb: (r: never) => void) => void (handlers.close = cb),
  }
  const fire = (name: string, result: unknown) => handlers[name](result as never)
  return { task: task as unknown as TaroSocketTask & typeof task, fire }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('WebSocket over Taro.connectSocket', () => {
  it('opens, passes messages both ways and closes like a WebSocket', async () => {
    const { task, fire } = fakeTask()
    const connect = vi.fn(async () => task)
    const Socket = createTaroWebSocket(connect)
    const socket = new Socket('wss://example.cn/realtime/v1/websocket?vsn=2.0.0', ['phoenix'])
    const events: string[] = []
    socket.onopen = () => events.push('open')
    socket.onmessage = (event) => events.push(`message:${String(event.data)}`)
    socket.onclose = (event) => events.push(`close:${event.code}`)
    expect(socket.readyState).toBe(Socket.CONNECTING)
    await tick()
    expect(connect).toHaveBeenCalledWith({ url: 'wss://example.cn/realtime/v1/websocket?vsn=2.0.0', protocols: ['phoenix'] })
    fire('open', {})
    expect(socket.readyState).toBe(Socket.OPEN)
    socket.send('ping')
    expect(task.send).toHaveBeenCalledWith(expect.objectContaining({ data: 'ping' }))
    fire('message', { data: 'pong' })
    socket.close(1000, 'bye')
    expect(task.close).toHaveBeenCalledWith({ code: 1000, reason: 'bye' })
    fire('close', { code: 1000, reason: 'bye' })
    expect(socket.readyState).toBe(Socket.CLOSED)
    expect(events).toEqual(['open', 'message:pong', 'close:1000'])
  })

  it('closes a socket closed before Taro handed over its task', async () => {
    const { task } = fakeTask()
    const Socket = createTaroWebSocket(async () => task)
    const socket = new Socket('wss://example.cn/')
    socket.close()
    await tick()
    expect(task.close).toHaveBeenCalledOnce()
  })

  it('reports a failed connection as error then close', async () => {
    const Socket = createTaroWebSocket(() => Promise.reject({ errMsg: 'connectSocket:fail' }))
    const socket = new Socket('wss://example.cn/')
    const events: string[] = []
    socket.addEventListener('error', () => events.push('error'))
    socket.onclose = (event) => events.push(`close:${event.code}`)
    await tick()
    expect(events).toEqual(['error', 'close:1006'])
    expect(socket.readyState).toBe(Socket.CLOSED)
  })
})
