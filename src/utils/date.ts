import dayjs from 'dayjs'
import 'dayjs/locale/zh-cn'

dayjs.locale('zh-cn')

/** A post's date as people write it: 2025年11月20日 周四. */
export function formatPostDate(iso: string): string {
  return dayjs(iso).format('YYYY年M月D日 ddd')
}
