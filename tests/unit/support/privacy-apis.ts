/**
 * WeChat's privacy APIs (小程序用户隐私保护指引内容介绍: "隐私接口与对应的处理的信息关系"), and a scanner that
 * finds where the app's source uses them. Each use must be declared, with its purpose, in the mini-program's
 * 用户隐私保护指引 (mp admin → 设置 → 服务内容声明); the README keeps that list, and
 * tests/unit/privacy-apis.test.ts fails when the code uses one the README does not name.
 *
 * Names are written as the README writes them: `wx.chooseMedia` for a call (Taro.chooseMedia is the same
 * API), `open-type="getPhoneNumber"` for a button, `<camera>` for a component, `scope.record` for an
 * authorization scope.
 */
import ts from 'typescript'

/** The information WeChat's table says each API handles (处理的信息). */
export const PRIVACY_APIS: Readonly<Record<string, string>> = {
  'open-type="chooseAvatar"': '昵称、头像',
  '<input type="nickname">': '昵称、头像',
  'wx.getUserInfo': '昵称、头像',
  'wx.getUserProfile': '昵称、头像',
  'open-type="getUserInfo"': '昵称、头像',
  'wx.getLocation': '位置信息',
  'wx.startLocationUpdate': '位置信息',
  'wx.startLocationUpdateBackground': '位置信息',
  'wx.getFuzzyLocation': '位置信息',
  'scope.userLocation': '位置信息',
  'scope.userLocationBackground': '位置信息',
  'scope.userFuzzyLocation': '位置信息',
  'wx.choosePoi': '选择的位置信息',
  'wx.chooseLocation': '选择的位置信息',
  'wx.chooseAddress': '地址',
  'wx.chooseInvoiceTitle': '发票信息',
  'wx.chooseInvoice': '发票信息',
  'wx.getWeRunData': '微信运动步数',
  'scope.werun': '微信运动步数',
  'open-type="getPhoneNumber"': '手机号',
  'open-type="getRealtimePhoneNumber"': '手机号',
  'wx.chooseLicensePlate': '车牌号',
  'wx.chooseImage': '选中的照片或视频信息',
  'wx.chooseMedia': '选中的照片或视频信息',
  'wx.chooseVideo': '选中的照片或视频信息',
  'wx.chooseMessageFile': '选中的文件',
  'wx.startRecord': '麦克风',
  'wx.getRecorderManager': '麦克风',
  'wx.joinVoIPChat': '麦克风',
  'scope.record': '麦克风',
  '<live-pusher>': '麦克风、摄像头',
  'wx.createVKSession': '摄像头',
  'wx.createCameraContext': '摄像头',
  '<camera>': '摄像头',
  '<voip-room>': '摄像头',
  'scope.camera': '摄像头',
  'wx.openBluetoothAdapter': '蓝牙',
  'wx.createBLEPeripheralServer': '蓝牙',
  'scope.bluetooth': '蓝牙',
  'wx.saveImageToPhotosAlbum': '相册（仅写入）',
  'wx.saveVideoToPhotosAlbum': '相册（仅写入）',
  'scope.writePhotosAlbum': '相册（仅写入）',
  'wx.addPhoneContact': '通讯录（仅写入）',
  'scope.addPhoneContact': '通讯录（仅写入）',
  'wx.addPhoneCalendar': '日历（仅写入）',
  'wx.addPhoneRepeatCalendar': '日历（仅写入）',
  'scope.addPhoneCalendar': '日历（仅写入）',
  'wx.startAccelerometer': '加速传感器',
  'wx.startCompass': '磁场传感器',
  'wx.startDeviceMotionListening': '方向传感器',
  'wx.startGyroscope': '陀螺仪传感器',
  'wx.setClipboardData': '剪切板',
  'wx.getClipboardData': '剪切板',
}

const CALLS = new Set(Object.keys(PRIVACY_APIS).filter((k) => k.startsWith('wx.')).map((k) => k.slice(3)))
const OPEN_TYPES = new Set(Object.keys(PRIVACY_APIS).flatMap((k) => k.match(/^open-type="(\w+)"$/)?.slice(1) ?? []))
const SCOPES = new Set(Object.keys(PRIVACY_APIS).filter((k) => k.startsWith('scope.')))
/** Taro's component names for the privacy components. */
const COMPONENTS: Readonly<Record<string, string>> = { Camera: '<camera>', LivePusher: '<live-pusher>', VoipRoom: '<voip-room>' }

export interface PrivacyUse {
  api: string
  file: string
  line: number
}

/** Every string literal inside a node (an attribute's value may be a conditional). */
function stringsIn(node: ts.Node): string[] {
  const found: string[] = []
  const visit = (n: ts.Node) => {
    if (ts.isStringLiteralLike(n)) found.push(n.text)
    n.forEachChild(visit)
  }
  visit(node)
  return found
}

/** The privacy APIs one source file uses: calls and references, open-types, components, scopes (comments never count). */
export function findPrivacyUses(file: string, text: string): PrivacyUse[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS)
  const uses: PrivacyUse[] = []
  const add = (api: string, node: ts.Node) => uses.push({ api, file, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 })

  const visit = (node: ts.Node) => {
    if (ts.isPropertyAccessExpression(node) && CALLS.has(node.name.text)) add(`wx.${node.name.text}`, node)
    if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression) && CALLS.has(node.argumentExpression.text)) {
      add(`wx.${node.argumentExpression.text}`, node)
    }
    if (ts.isJsxAttribute(node) && node.initializer) {
      const name = node.name.getText(source)
      if (name === 'openType' || name === 'open-type') {
        for (const value of stringsIn(node.initializer)) if (OPEN_TYPES.has(value)) add(`open-type="${value}"`, node)
      }
    }
    if (ts.isJsxOpeningElement(node) || ts.isJsxSelfClosingElement(node)) {
      const tag = node.tagName.getText(source)
      if (COMPONENTS[tag]) add(COMPONENTS[tag], node)
      if (tag === 'Input' || tag === 'input') {
        for (const attribute of node.attributes.properties) {
          if (ts.isJsxAttribute(attribute) && attribute.name.getText(source) === 'type' && attribute.initializer && stringsIn(attribute.initializer).includes('nickname')) {
            add('<input type="nickname">', attribute)
          }
        }
      }
    }
    if (ts.isStringLiteralLike(node) && SCOPES.has(node.text)) add(node.text, node)
    node.forEachChild(visit)
  }
  visit(source)
  return uses
}

/**
 * The privacy APIs the README declares: the first cell, in backticks, of each row of the table under the
 * heading that names 用户隐私保护指引, with the purpose (用途) column beside it.
 */
export function readmePrivacyList(readme: string): Array<{ api: string; purpose: string }> {
  const lines = readme.split('\n')
  const start = lines.findIndex((line) => /^#{2,3} .*用户隐私保护指引/.test(line))
  if (start < 0) return []
  const rows: Array<{ api: string; purpose: string }> = []
  for (const line of lines.slice(start + 1)) {
    if (/^#{1,3} /.test(line)) break
    if (!line.startsWith('|') || /^\|\s*-/.test(line)) continue
    const cells = line.split('|').slice(1, -1).map((cell) => cell.trim())
    const api = cells[0]?.match(/^`([^`]+)`$/)?.[1]
    if (api) rows.push({ api, purpose: cells[2] ?? '' })
  }
  return rows
}

/** Uses whose API the list does not name. */
export function undeclared(uses: readonly PrivacyUse[], declared: readonly string[]): PrivacyUse[] {
  const names = new Set(declared)
  return uses.filter((use) => !names.has(use.api))
}
