/**
 * WeChat reviews every mini-program version against its 用户隐私保护指引: each privacy API the code calls
 * must be declared there with its purpose. The README keeps that list (section 小程序用户隐私保护指引); this
 * test scans src/ for every privacy API WeChat names (tests/unit/support/privacy-apis.ts) and fails when the
 * code uses one the README does not list.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { PRIVACY_APIS, findPrivacyUses, readmePrivacyList, undeclared, type PrivacyUse } from './support/privacy-apis'

const root = path.resolve(__dirname, '..', '..')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(full)
    return /\.(ts|tsx|js|jsx)$/.test(entry.name) ? [full] : []
  })
}

function usesInSrc(): PrivacyUse[] {
  return sourceFiles(path.join(root, 'src')).flatMap((file) => findPrivacyUses(path.relative(root, file), readFileSync(file, 'utf8')))
}

const readmeList = readmePrivacyList(readFileSync(path.join(root, 'README.md'), 'utf8'))

describe('the privacy-API scanner', () => {
  it('finds calls, references, open-types, components and scopes, and ignores comments and look-alikes', () => {
    const source = `
      import Taro from '@tarojs/taro'
      import { Button, Camera, Input } from '@tarojs/components'
      // Taro.chooseMedia in a comment, and open-type="chooseAvatar" too, do not count.
      /* wx.getLocation() */
      const label = 'chooseImage'
      export async function pick() {
        await Taro.chooseMedia({ count: 1 })
        const save = Taro['saveImageToPhotosAlbum']
        wx.getRecorderManager().start({})
        await Taro.authorize({ scope: 'scope.record' })
        return [save, label, Taro.chooseMediaLater, Taro.getSystemInfoSync()]
      }
      export const Page = ({ weapp }: { weapp: boolean }) => (
        <>
          <Button openType='getPhoneNumber' />
          <Button openType={weapp ? 'chooseAvatar' : undefined} />
          <Button openType='share' />
          <Input type='nickname' />
          <Input type='text' />
          <Camera />
        </>
      )
    `
    expect(findPrivacyUses('fixture.tsx', source).map((use) => `${use.api}@${use.line}`)).toEqual([
      'wx.chooseMedia@8',
      'wx.saveImageToPhotosAlbum@9',
      'wx.getRecorderManager@10',
      'scope.record@11',
      'open-type="getPhoneNumber"@16',
      'open-type="chooseAvatar"@17',
      '<input type="nickname">@19',
      '<camera>@21',
    ])
  })

  it('reports a use that the declared list does not name', () => {
    const uses = findPrivacyUses('fixture.ts', `Taro.chooseMessageFile({ count: 1 }); Taro.getClipboardData()`)
    expect(undeclared(uses, ['wx.getClipboardData']).map((use) => use.api)).toEqual(['wx.chooseMessageFile'])
  })
})

describe('the README declares every privacy API the app calls (小程序用户隐私保护指引)', () => {
  it('lists each API with a purpose, naming only APIs WeChat counts as privacy APIs', () => {
    expect(readmeList.length).toBeGreaterThan(0)
    for (const row of readmeList) {
      expect(Object.keys(PRIVACY_APIS), `${row.api} is not one of WeChat's privacy APIs`).toContain(row.api)
      expect(row.purpose, `${row.api} needs its purpose`).toMatch(/[\u4e00-\u9fff]{4}/)
    }
  })

  it('names every privacy API that src/ uses', () => {
    const uses = usesInSrc()
    // The app binds a phone number through WeChat's button, so the scan has something to find.
    expect(uses.map((use) => use.api)).toContain('open-type="getPhoneNumber"')
    const missing = undeclared(
      uses,
      readmeList.map((row) => row.api),
    ).map((use) => `${use.api} (${use.file}:${use.line})`)
    expect(missing, `add these to the README's 小程序用户隐私保护指引 table, with their purpose:\n  ${missing.join('\n  ')}`).toEqual([])
  })
})
