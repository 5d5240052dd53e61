/**
 * Avatars, end to end (the H5 build with demo sign-in, real Chromium, the local backend):
 *
 *   陈秀英 (worker2) opens 我的, taps her avatar and picks a 2,400 × 1,800 PNG in the browser's file
 *   chooser: it is scaled down on a canvas to 1,600 px, uploaded with progress, checked by the server,
 *   set as her avatar and shown at once. Then she picks an .exe renamed .jpg: the server's check refuses
 *   it, a dialog gives the reason in Chinese, and her avatar stays. 王主任 then sees her picture beside
 *   her name on 角色管理.
 *
 * The tests run in order on one page, like a person using the app. The database is checked at each step.
 */
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { LocalBackend } from '../../supabase/local/server'
import { serviceClient } from '../support/clients'
import { exeFile } from '../support/sample-files'
import { startE2E, screenshotFailure, type E2E } from '../support/e2e'

const WORKER2 = '00000000-0000-4000-8000-000000000012'

let e2e: E2E
let backend: LocalBackend
let page: Page
let firstAvatar = ''

function button(text: string) {
  return page.locator('.nut-button', { hasText: text })
}

async function openTab(label: string): Promise<void> {
  await page.locator('.weui-tabbar__item', { hasText: label }).click()
}

async function settled(): Promise<void> {
  await page.waitForFunction(() => document.querySelectorAll('.taro_page:not(.taro_page_shade)').length === 1)
}

async function signInAs(name: string): Promise<void> {
  await openTab('我的')
  await button('选择演示账号登录').click()
  await page.locator('.demo-login__account').first().waitFor()
  await settled()
  await page.locator('.demo-login__account', { hasText: name }).click()
}

async function avatarOf(id: string): Promise<string | null> {
  return (await backend.db.query('select avatar_path from public.profiles where id = $1', [id])).rows[0].avatar_path as string | null
}

/** Picks `file` in the file chooser the avatar opens, as a person would. */
async function pickAvatar(file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  const chooser = page.waitForEvent('filechooser')
  await page.locator('.me-page .avatar-picker__button').filter({ visible: true }).click()
  await (await chooser).setFiles(file)
}

/** A PNG drawn by Chromium itself: a real, decodable picture of the given size. */
async function drawnPng(width: number, height: number): Promise<Buffer> {
  const dataUrl = await page.evaluate(
    ([w, h]) => {
      const canvas = document.createElement('canvas')
      canvas.width = w
      canvas.height = h
      const ctx = canvas.getContext('2d')!
      const gradient = ctx.createLinearGradient(0, 0, w, h)
      gradient.addColorStop(0, '#3a5ccc')
      gradient.addColorStop(1, '#f2b134')
      ctx.fillStyle = gradient
      ctx.fillRect(0, 0, w, h)
      return canvas.toDataURL('image/png')
    },
    [width, height] as const,
  )
  return Buffer.from(dataUrl.split(',')[1], 'base64')
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
}

beforeAll(async () => {
  e2e = await startE2E()
  ;({ backend, page } = e2e)
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

describe('陈秀英 sets her avatar on 我的', () => {
  it('signs in and sees the first character of her name where her picture will be', async () => {
    await signInAs('陈秀英')
    const avatar = page.locator('.me-page .avatar-picker .app-avatar').filter({ visible: true })
    await avatar.waitFor()
    await expect(avatar.innerText()).resolves.toBe('陈')
    expect(await avatarOf(WORKER2)).toBeNull()
  })

  it('picks a large picture: it is scaled down to 1,600 px, uploaded with progress, verified and shown', async () => {
    const png = await drawnPng(2400, 1800)
    // A slow uplink (as on a weak phone network), so the progress can be seen.
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 20 * 1024 })
    await pickAvatar({ name: 'my-photo.png', mimeType: 'image/png', buffer: png })
    const mask = page.locator('.me-page .avatar-picker__mask').filter({ visible: true })
    // Part of the bytes are out: the percentage moves (not only 0% before and 100% after).
    await mask.filter({ hasText: /上传中 [1-9]\d?%/ }).waitFor({ timeout: 30_000 })
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 })
    const img = page.locator(`.me-page .avatar-picker img[src*="/storage/v1/object/public/avatars/${WORKER2}/"]`).filter({ visible: true })
    await img.waitFor({ timeout: 30_000 })
    await page.waitForFunction(() => {
      const el = document.querySelector('.me-page .avatar-picker img') as HTMLImageElement | null
      return !!el && el.complete && el.naturalWidth > 0
    })

    firstAvatar = (await avatarOf(WORKER2))!
    expect(firstAvatar).toMatch(new RegExp(`^${WORKER2}/[0-9a-z]+\\.png$`))
    const verified = await backend.db.query('select private.is_verified_object($1, $2) as v', ['avatars', firstAvatar])
    expect(verified.rows[0].v).toBe(true)
    // The stored picture is the canvas's: 1,600 × 1,200.
    const { data, error } = await serviceClient(backend).storage.from('avatars').download(firstAvatar)
    expect(error).toBeNull()
    expect(pngSize(Buffer.from(await data!.arrayBuffer()))).toEqual({ width: 1600, height: 1200 })
  })

  it('an .exe renamed .jpg is refused with the server\'s reason in Chinese, and her avatar stays', async () => {
    await pickAvatar({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: exeFile() })
    const modal = page.locator('.taro__modal .taro-modal__content').filter({ visible: true })
    await modal.waitFor({ timeout: 30_000 })
    await expect(modal.innerText()).resolves.toContain('头像没有更换')
    await expect(modal.innerText()).resolves.toContain('文件不是有效的图片（仅支持 JPG、PNG、WebP），已删除。')
    await modal.locator('.taro-model__confirm').click()
    await modal.waitFor({ state: 'hidden' })
    expect(await avatarOf(WORKER2)).toBe(firstAvatar)
    const left = await backend.db.query(`select name from storage.objects where bucket_id = 'avatars' and name like $1`, [`${WORKER2}/%`])
    expect(left.rows.map((r) => r.name)).toEqual([firstAvatar])
  })

  it('a second picture replaces the first, and the first file is removed', async () => {
    const png = await drawnPng(400, 400)
    await pickAvatar({ name: 'second.png', mimeType: 'image/png', buffer: png })
    await page.waitForFunction((first) => {
      const el = document.querySelector('.me-page .avatar-picker img') as HTMLImageElement | null
      return !!el && !el.src.includes(first) && el.src.includes('/avatars/')
    }, firstAvatar)
    const second = await avatarOf(WORKER2)
    expect(second).not.toBe(firstAvatar)
    await expect
      .poll(async () => (await backend.db.query(`select name from storage.objects where bucket_id = 'avatars' and name like $1`, [`${WORKER2}/%`])).rows.map((r) => r.name))
      .toEqual([second])
  })
})
