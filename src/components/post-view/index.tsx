import type { FunctionComponent, ReactNode } from 'react'
import Taro from '@tarojs/taro'
import { Image, RichText, Text, View } from '@tarojs/components'
import { POST_KIND_LABELS, type PostKind } from '../../constants/post-kinds'
import { formatEffective, formatInvestment, formatRegion } from '../../services/posts/format'
import { collectLinks, nodesForDisplay, type RichTextNode } from '../../services/posts/rich-text'
import { formatPostDate } from '../../utils/date'
import { Tag } from '../nutui'
import './index.scss'

/** Everything a reader sees of a post (a stored post, or the editor's unsaved form for 预览). */
export interface PostViewData {
  kind: PostKind
  title: string
  summary: string
  body: readonly RichTextNode[]
  tags: readonly string[]
  region: string
  coverUrl: string | null
  issuer: string | null
  doc_number: string | null
  effective_from: string | null
  effective_to: string | null
  investment_min: number | null
  investment_max: number | null
  skills: string | null
  contact: string | null
  pinned: boolean
  published_at: string | null
  revised_at: string | null
  read_count: number | null
  authorName: string | null
}

export interface PostViewProps {
  post: PostViewData
  /** The build's Supabase URL, for pictures in the body stored as our storage paths. */
  storageOrigin: string
  /** Replaces the plain tag list (the reader's page puts 关注 beside each tag). */
  tags?: ReactNode
  /** Under 更新于 (the revision list, for those who may read it). */
  revisions?: ReactNode
  className?: string
}

const classPrefix = 'post-view'
/** The mini-program's rich-text shows links but cannot open them: they are listed under the body to copy. */
const LIST_LINKS = process.env.TARO_ENV === 'weapp'

function copyLink(href: string): void {
  void Taro.setClipboardData({ data: href }).then(() => Taro.showToast({ title: '链接已复制，可在浏览器中打开', icon: 'none', duration: 2500 }))
}

function Fact({ label, value, className }: { label: string; value: string | null; className?: string }) {
  if (!value) return null
  return (
    <View className={`${classPrefix}__fact ${className ?? ''}`}>
      <Text className={`${classPrefix}__fact-label`}>{label}</Text>
      <Text className={`${classPrefix}__fact-value`}>{value}</Text>
    </View>
  )
}

/**
 * A post as a worker reads it: kind, title, dates (发布于, 更新于), issuer, cover, the facts of a policy
 * or project, the summary, the body (Taro RichText from the stored nodes) and the tags. Shared by the
 * reader's page and the editor's 预览, so the preview is what readers get.
 */
export const PostView: FunctionComponent<PostViewProps> = ({ post, storageOrigin, tags, revisions, className }) => {
  const investment = formatInvestment(post.investment_min, post.investment_max)
  const effective = formatEffective(post.effective_from, post.effective_to)
  const nodes = nodesForDisplay(post.body, { origin: storageOrigin })
  const links = LIST_LINKS ? collectLinks(post.body) : []
  return (
    <View className={[classPrefix, className ?? ''].filter(Boolean).join(' ')}>
      <View className={`${classPrefix}__badges`}>
        {post.pinned && (
          <Tag type='danger' className={`${classPrefix}__pinned`}>
            置顶
          </Tag>
        )}
        <Tag type='default' plain>
          {POST_KIND_LABELS[post.kind]}
        </Tag>
        <Text className={`${classPrefix}__region`}>{formatRegion(post.region)}</Text>
      </View>
      <Text className={`${classPrefix}__title post-detail-title`}>{post.title || '（未填写标题）'}</Text>
      <View className={`${classPrefix}__meta`}>
        {post.published_at && <Text className={`${classPrefix}__date`}>{formatPostDate(post.published_at)}</Text>}
        {post.authorName && <Text className={`${classPrefix}__author`}>{post.authorName}</Text>}
        {post.read_count !== null && <Text className={`${classPrefix}__reads`}>阅读 {post.read_count}</Text>}
      </View>
      {post.revised_at && <Text className={`${classPrefix}__revised post-revised`}>更新于 {formatPostDate(post.revised_at)}</Text>}
      {revisions}

      {post.coverUrl && <Image className={`${classPrefix}__cover`} src={post.coverUrl} mode='widthFix' lazyLoad />}

      {(post.kind === 'policy' || post.kind === 'project') && (
        <View className={`${classPrefix}__facts`}>
          <Fact label='发文机关' value={post.issuer} className='post-issuer' />
          <Fact label='文号' value={post.doc_number} />
          <Fact label='有效期' value={effective} />
          <Fact label='投资金额' value={investment} />
          <Fact label='所需技能' value={post.skills} />
          <Fact label='联系方式' value={post.contact} />
        </View>
      )}

      {post.summary !== '' && <Text className={`${classPrefix}__summary`}>{post.summary}</Text>}
      <View className={`${classPrefix}__body post-body`}>
        {nodes.length > 0 ? <RichText nodes={nodes as never} userSelect /> : <Text className={`${classPrefix}__empty`}>（正文为空）</Text>}
      </View>
      {links.length > 0 && (
        <View className={`${classPrefix}__links`}>
          <Text className={`${classPrefix}__links-title`}>文中链接（点按复制）</Text>
          {links.map((link) => (
            <Text key={link.href} className={`${classPrefix}__link`} onClick={() => copyLink(link.href)}>
              {link.text === link.href ? link.href : `${link.text}：${link.href}`}
            </Text>
          ))}
        </View>
      )}

      {tags ??
        (post.tags.length > 0 && (
          <View className={`${classPrefix}__tags`}>
            {post.tags.map((tag) => (
              <Tag key={tag} type='primary' plain className={`${classPrefix}__tag`}>
                #{tag}
              </Tag>
            ))}
          </View>
        ))}
    </View>
  )
}

PostView.displayName = 'PostView'
