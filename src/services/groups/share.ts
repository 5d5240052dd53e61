/**
 * A group's share card: on WeChat the card (onShareAppMessage) opens 加入创业群 with the group's invite
 * code filled in; on H5, where there are no cards, the same page as a link the person copies and pastes.
 * Whoever has the card or link can join, so a butler who thinks it leaked rotates the code.
 */
import Taro from '@tarojs/taro'
import { PAGES, pageUrl } from '../../constants/routes'
import { h5PageLink } from '../platform/share-link'
import { getGroup } from './group-queries'

export interface ShareableGroup {
  readonly name: string
  readonly invite_code?: string | null
}

export interface ShareCard {
  title: string
  path: string
}

/** The card for a group (the app's own card when no group is known). */
export function groupShareCard(group: ShareableGroup | null): ShareCard {
  if (!group?.invite_code) return { title: '创业管家：政策资讯、创业补贴，有问题找管家', path: '/pages/home/index' }
  return {
    title: `邀请您加入「${group.name}」，邀请码 ${group.invite_code}`,
    path: `${pageUrl(PAGES.joinGroup)}?code=${encodeURIComponent(group.invite_code)}`,
  }
}

/** H5: shows the join link and invite code, and copies the link on 复制链接. */
export async function shareGroupOnH5(group: ShareableGroup): Promise<void> {
  if (!group.invite_code) return
  const link = h5PageLink(PAGES.joinGroup, { code: group.invite_code }) ?? ''
  const { confirm } = await Taro.showModal({
    title: '邀请入群',
    content: `把链接发给要入群的人，打开后点“加入”即可。邀请码：${group.invite_code}\n${link}`,
    confirmText: '复制链接',
    cancelText: '关闭',
  })
  if (confirm) await Taro.setClipboardData({ data: link })
}

/**
 * WeChat's share of a group whose code is not loaded yet (the 创业群 tab): the card resolves once the group
 * is fetched (WeChat waits up to 3 s, then shares the app's own card).
 */
export function groupShareCardById(groupId: string | null): ShareCard | Taro.WeappShareAppMessageReturnObject {
  const fallback = groupShareCard(null)
  if (!groupId) return fallback
  return { ...fallback, promise: getGroup(groupId).then((group) => groupShareCard(group), () => fallback) }
}

/** H5 share from a list that has only the group's id. */
export async function shareGroupOnH5ById(groupId: string): Promise<void> {
  try {
    await shareGroupOnH5(await getGroup(groupId))
  } catch {
    void Taro.showToast({ title: '暂时无法获取邀请码，请稍后重试', icon: 'none' })
  }
}
