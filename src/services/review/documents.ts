/**
 * Opening a stored PDF (a material) through its short-lived signed URL: on the mini-program it is
 * downloaded and shown by Taro.openDocument; on H5 the browser opens it in a new tab.
 */
import Taro from '@tarojs/taro'
import { AppError, toAppError } from '../errors'
import { openInBrowserTab } from '../platform/h5-download'

export async function openPdf(url: string): Promise<void> {
  try {
    if (process.env.TARO_ENV === 'weapp') {
      const file = await Taro.downloadFile({ url })
      if (file.statusCode >= 400) throw new AppError({ code: 'not_found', status: file.statusCode, message: '文件打不开，可能已过期，请下拉刷新后再试', detail: `HTTP ${file.statusCode}` })
      await Taro.openDocument({ filePath: file.tempFilePath, fileType: 'pdf', showMenu: true })
      return
    }
    openInBrowserTab(url)
  } catch (caught) {
    throw toAppError(caught)
  }
}
