/**
 * Pictures, voice and 撤回 in a group's chat, end to end: the H5 build in real Chromium against the local
 * backend with its scheduler on (the content check runs as pg_cron runs it in production, and the fake
 * WeChat passes everything, so messages are published a few seconds after they are sent).
 *
 *   陈秀英 (worker2) opens 兴隆路街道创业群 → sends a photo (picked in the browser's file chooser, checked
 *   by verify-upload) → holds 按住 说话 and sends a voice message → sends a text by mistake and, once it is
 *   published, long-presses it and 撤回 → 李管家 (butler1) opens the group: the photo and the voice message
 *   are there (the voice plays inline), and in place of the text: 陈秀英撤回了一条消息.
 *
 * Voice on H5: Taro has no recorder there, so the app records with the browser's getUserMedia and
 * MediaRecorder (services/platform/h5-recorder.ts), in MP3, M4A or AAC only (what the chat-voice bucket
 * accepts). Chromium records none of those, so this test fakes exactly that platform boundary before the
 * app loads: navigator.mediaDevices.getUserMedia answers a stream with one track, and MediaRecorder says it
 * records audio/mpeg and hands over a real MP3 (tests/support/sample-files.ts) when stopped. Everything
 * after it (reading the blob, upload, the server's byte check, send, playback) is the app's own code.
 */
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { LocalBackend } from '../../supabase/local/server'
import { journeySteps, startE2E, screenshotFailure, type E2E } from '../support/e2e'
import { jpegFile, mp3File } from '../support/sample-files'

const WORKER2 = '00000000-0000-4000-8000-000000000012'
const XINGLONG = '20000000-0000-4000-8000-000000000001'
const MISTAKE = '这条发错群了，马上撤回'

let e2e: E2E
let backend: LocalBackend
let page: Page
let steps: ReturnType<typeof journeySteps>

/** The page Taro shows now (others stay mounted, hidden). */
function shown(selector: string) {
  return page.locator(selector).filter({ visible: true })
}

/** A finger held on `selector` for `ms` and lifted (Taro's long press fires after 350 ms). */
async function hold(selector: string, ms: number): Promise<void> {
  const target = shown(selector).first()
  await target.dispatchEvent('touchstart')
  await page.waitForTimeout(ms)
  await target.dispatchEvent('touchend')
}

async function messages(kind: string) {
  const { rows } = await backend.db.query(
    `select id, status, media_path, duration_seconds, withdrawn_at is not null as withdrawn from public.group_messages
      where group_id = $1 and sender_id = $2 and kind = $3 order by seq`,
    [XINGLONG, WORKER2, kind],
  )
  return rows as { id: string; status: string; media_path: string | null; duration_seconds: number | null; withdrawn: boolean }[]
}

/** The browser's recorder, faked (see the header): only what h5-recorder.ts touches. */
function fakeBrowserRecorder(mp3Base64: string) {
  const bytes = Uint8Array.from(atob(mp3Base64), (c) => c.charCodeAt(0))
  const track = { stop() {}, kind: 'audio' }
  Object.defineProperty(navigator, 'mediaDevices', {
    configurable: true,
    value: { getUserMedia: async () => ({ getTracks: () => [track], getAudioTracks: () => [track] }) },
  })
  class FakeMediaRecorder {
    static isTypeSupported(type: string) {
      return type === 'audio/mpeg'
    }
    state = 'inactive'
    mimeType: string
    ondataavailable: ((event: { data: Blob }) => void) | null = null
    onstop: (() => void) | null = null
    constructor(_stream: unknown, options: { mimeType: string }) {
      this.mimeType = options.mimeType
    }
    start() {
      this.state = 'recording'
    }
    stop() {
      if (this.state === 'inactive') return
      this.state = 'inactive'
      setTimeout(() => {
        this.ondataavailable?.({ data: new Blob([bytes], { type: this.mimeType }) })
        this.onstop?.()
      }, 10)
    }
  }
  Object.defineProperty(window, 'MediaRecorder', { configurable: true, value: FakeMediaRecorder })
}

beforeAll(async () => {
  e2e = await startE2E({ scheduler: { intervalMs: 1000 } })
  ;({ backend, page } = e2e)
  steps = journeySteps(page)
  await page.addInitScript(fakeBrowserRecorder, mp3File().toString('base64'))
  await page.goto(e2e.site.url, { waitUntil: 'domcontentloaded' })
  await page.locator('.post-item').first().waitFor({ timeout: 60_000 })
})

afterEach(async (context) => {
  if (context.task.result?.state !== 'fail' || !page) return
  await screenshotFailure(page, context.task.name)
})

afterAll(async () => {
  await e2e?.close()
})

describe('a member sends a photo and a voice message, and withdraws a text', () => {
  it('陈秀英 opens 兴隆路街道创业群', async () => {
    await steps.signInAs('陈秀英')
    await steps.openTab('创业群')
    const group = shown('.group-row').filter({ hasText: '兴隆路街道创业群' })
    await group.waitFor()
    await group.click()
    await shown('.group-chat .chat-message').first().waitFor()
    await steps.settled()
  })

  it('图片: the photo picked in the browser is uploaded, checked by the server and shown in her bubble', async () => {
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), shown('.chat-tool-image').click()])
    await chooser.setFiles({ name: 'shop.jpg', mimeType: 'image/jpeg', buffer: jpegFile() })
    const image = shown('.chat-message.is-mine:not(.chat-outgoing) .chat-image')
    await image.waitFor({ timeout: 30_000 })
    await expect.poll(() => image.evaluate((img) => (img.querySelector('img') ?? (img as HTMLImageElement)).complete), { timeout: 10_000 }).toBe(true)

    const [sent] = await messages('image')
    expect(sent.media_path).toMatch(new RegExp(`^${XINGLONG}/${WORKER2}/[a-z0-9]+\\.jpg$`))
    const verified = await backend.db.query(`select private.is_verified_object('chat-images', $1) as ok`, [sent.media_path])
    expect(verified.rows).toEqual([{ ok: true }])
  })

  it('按住 说话: held for about two seconds, the recording is sent as a voice message with its length', async () => {
    await shown('.chat-tool-voice').click()
    await shown('.chat-hold-to-talk').waitFor()
    await shown('.chat-hold-to-talk').dispatchEvent('touchstart')
    await expect(shown('.chat-hold-to-talk').innerText()).resolves.toContain('松开 发送')
    await page.waitForTimeout(2100)
    await shown('.chat-hold-to-talk').dispatchEvent('touchend')

    const voice = shown('.chat-message.is-mine:not(.chat-outgoing) .chat-voice')
    await voice.waitFor({ timeout: 30_000 })
    await expect(voice.innerText()).resolves.toMatch(/2″/)
    const [sent] = await messages('voice')
    expect(sent.media_path).toMatch(new RegExp(`^${XINGLONG}/${WORKER2}/[a-z0-9]+\\.mp3$`))
    expect(sent.duration_seconds).toBe(2)
    const verified = await backend.db.query(`select private.is_verified_object('chat-voice', $1) as ok`, [sent.media_path])
    expect(verified.rows).toEqual([{ ok: true }])
    await shown('.chat-tool-voice').click() // back to the keyboard
  })

  it('a text sent by mistake is withdrawn with a long press → 撤回 within 2 minutes', async () => {
    await shown('.chat-input input').fill(MISTAKE)
    await shown('.chat-send').click()
    const mine = shown('.chat-message.is-mine:not(.chat-outgoing)').filter({ hasText: MISTAKE })
    await mine.waitFor()
    // Published by the content check first, so the others have seen it.
    await expect
      .poll(async () => (await backend.db.query(`select status from public.group_messages where body = $1`, [MISTAKE])).rows, { timeout: 30_000 })
      .toEqual([{ status: 'published' }])

    await hold(`.chat-message.is-mine:has-text("${MISTAKE}") .chat-body`, 700)
    const withdraw = page.locator('.taro-actionsheet__cell', { hasText: '撤回' }).filter({ visible: true })
    await withdraw.waitFor()
    await withdraw.click()
    await shown('.chat-withdrawn').filter({ hasText: '你撤回了一条消息' }).waitFor({ timeout: 15_000 })
    await expect(shown('.group-chat').innerText()).resolves.not.toContain(MISTAKE)
    const texts = await backend.db.query(
      `select body, withdrawn_at is not null as withdrawn from public.group_messages where group_id = $1 and sender_id = $2 and kind = 'text' and withdrawn_at is not null`,
      [XINGLONG, WORKER2],
    )
    expect(texts.rows).toEqual([{ body: '', withdrawn: true }])
  })
})

describe('another member sees them', () => {
  it('李管家 sees her photo and voice message once checked, and 陈秀英撤回了一条消息 in place of the text', async () => {
    await expect
      .poll(async () => [...(await messages('image')), ...(await messages('voice'))].map((m) => m.status), { timeout: 60_000 })
      .toEqual(['published', 'published'])
    await steps.signOut()
    await steps.signInAs('李管家')
    await steps.openTab('创业群')
    const group = shown('.group-row').filter({ hasText: '兴隆路街道创业群' })
    await group.waitFor()
    await group.click()
    await shown('.group-chat .chat-message').first().waitFor()
    await steps.settled()

    const hers = shown('.chat-message:not(.is-mine)')
    await hers.locator('.chat-image').first().waitFor({ timeout: 15_000 })
    await expect(hers.locator('.chat-voice').first().innerText()).resolves.toMatch(/2″/)
    await expect(shown('.chat-withdrawn').filter({ hasText: '陈秀英撤回了一条消息' }).count()).resolves.toBe(1)
    await expect(shown('.group-chat').innerText()).resolves.not.toContain(MISTAKE)
  })

  it('his tap plays her voice message inline: the player loads it from the private bucket by a signed URL', async () => {
    const voice = shown('.chat-message:not(.is-mine) .chat-voice').first()
    const [audio] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'GET' && /\/storage\/v1\/object\/sign\/chat-voice\/.+\.mp3\?token=/.test(r.url()), { timeout: 15_000 }),
      voice.click(),
    ])
    expect(audio.url()).toContain(`${XINGLONG}/${WORKER2}/`)
  })

  it('his own old message offers no 撤回 (only within 2 minutes), but he can still copy it', async () => {
    // 李管家's seeded welcome is days old.
    await hold('.chat-message.is-mine .chat-body', 700)
    const sheet = page.locator('.taro-actionsheet__cell').filter({ visible: true })
    await sheet.first().waitFor()
    const labels = await sheet.allInnerTexts()
    expect(labels).toContain('复制')
    expect(labels).not.toContain('撤回')
    // Taro's sheet gives its 取消 no class of its own.
    await page.locator('div', { hasText: /^取消$/ }).filter({ visible: true }).last().click()
    await expect.poll(() => sheet.count()).toBe(0)
  })
})
