import { useEffect, useRef, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Image, Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Button, Cell, Tag } from '../../../../components/nutui'
import { DatePicker, Input, Radio, TextArea } from '../../../../components/nutui-form'
import { PageState } from '../../../../components/page-state'
import { PostView } from '../../../../components/post-view'
import { POST_KIND_LABELS, POST_KINDS, type PostKind } from '../../../../constants/post-kinds'
import { COMMON_TAGS } from '../../../../constants/post-tags'
import { useSessionUser } from '../../../../services/auth/use-session'
import { toAppError } from '../../../../services/errors'
import { usePostForEditing } from '../../../../services/posts/editing-query'
import {
  cleanTag,
  districtOf,
  draftFromForm,
  EDITOR_LIMITS,
  emptyEditorForm,
  formFromPost,
  nextWholeMinute,
  validateEditorForm,
  type EditorErrors,
  type EditorForm,
} from '../../../../services/posts/editor-form'
import { coverUrl, pickAndUploadPostImage, storageOrigin } from '../../../../services/posts/images'
import { POST_STAGE_LABELS, postStage } from '../../../../services/posts/post-status'
import { stateChangeToast, usePostStateMutation, type PostStateChange } from '../../../../services/posts/post-state'
import { changedFields, useRevisions } from '../../../../services/posts/revisions-query'
import { blocksToNodes } from '../../../../services/posts/rich-text'
import { useSavePostMutation } from '../../../../services/posts/save-post'
import { useOwnProfile } from '../../../../services/profile/use-own-profile'
import { showErrorToast, showSuccessToast } from '../../../../services/query/use-app-mutation'
import { formatDate, formatPostDate, toDateValue } from '../../../../utils/date'
import { BlockEditor } from '../../components/block-editor'
import './index.scss'

const classPrefix = 'post-editor'

function FieldError({ message }: { message?: string }) {
  return message ? <Text className={`${classPrefix}__field-error`}>{message}</Text> : null
}

function formatTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${formatPostDate(date.toISOString())} ${pad(date.getHours())}:${pad(date.getMinutes())}`
}

async function confirm(title: string, content: string, confirmText: string): Promise<boolean> {
  const result = await Taro.showModal({ title, content, confirmText, cancelText: '取消' })
  return result.confirm
}

/**
 * 写文章 / 编辑: kind, title, summary, the body as blocks, tags, region, cover, the facts of a policy
 * (发文机关, 文号, 有效期) or a project (投资金额, 所需技能, 联系方式); 预览 shows it as workers will read it.
 * Saving keeps a draft; 发布 publishes now, 定时发布 at a chosen time; a published post can be pinned,
 * withdrawn to a draft or archived. Staff only: the database refuses anyone else.
 */
export default function PostEditorPage() {
  const router = useRouter()
  const user = useSessionUser()
  const staff = user?.role === 'butler' || user?.role === 'admin'
  const [postId, setPostId] = useState<string | null>(router.params.id ? decodeURIComponent(router.params.id) : null)
  const editing = usePostForEditing(staff ? postId : null)
  const profile = useOwnProfile(staff && user ? user.id : null)
  const save = useSavePostMutation()
  const change = usePostStateMutation()
  const [form, setForm] = useState<EditorForm>(() => emptyEditorForm())
  const [errors, setErrors] = useState<EditorErrors>({})
  const [mode, setMode] = useState<'edit' | 'preview'>('edit')
  const [picking, setPicking] = useState<null | 'publishAt' | 'effectiveFrom' | 'effectiveTo'>(null)
  const [customTag, setCustomTag] = useState('')
  const [uploadingCover, setUploadingCover] = useState(false)
  const loadedFor = useRef<string | null>(null)

  const stored = editing.data ?? null
  useEffect(() => {
    if (stored && loadedFor.current !== stored.id) {
      loadedFor.current = stored.id
      setForm(formFromPost(stored))
      void Taro.setNavigationBarTitle({ title: '编辑文章' })
    }
  }, [stored])

  const stage = stored ? postStage(stored) : 'draft'
  const revisions = useRevisions(postId, stage !== 'draft')
  const busy = save.pending || change.pending

  if (!user || !staff) {
    return (
      <AppPage className={classPrefix}>
        <PageState empty emptyTitle='只有创业管家和管理员可以编写资讯' emptyDescription='如需发布资讯，请联系管理员开通权限' />
      </AppPage>
    )
  }
  if (postId && !stored) {
    return (
      <AppPage className={classPrefix}>
        <PageState query={editing} empty={editing.data === null} emptyTitle='没有找到这篇文章' emptyDescription='它可能已被删除，或不是您写的' />
      </AppPage>
    )
  }

  const set = <K extends keyof EditorForm>(field: K, value: EditorForm[K]) => {
    setForm((previous) => ({ ...previous, [field]: value }))
    setErrors((previous) => ({ ...previous, [field]: undefined }))
  }

  const toggleTag = (tag: string) => set('tags', form.tags.includes(tag) ? form.tags.filter((t) => t !== tag) : [...form.tags, tag])
  const addCustomTag = () => {
    const tag = cleanTag(customTag)
    if (!tag) {
      setErrors((previous) => ({ ...previous, tags: '每个标签为1到10个字，不含空格、逗号和#' }))
      return
    }
    if (!form.tags.includes(tag)) set('tags', [...form.tags, tag])
    setCustomTag('')
  }

  const uploadCover = async () => {
    if (uploadingCover) return
    setUploadingCover(true)
    try {
      const uploaded = await pickAndUploadPostImage(user.id)
      if (uploaded) set('coverPath', uploaded.path)
    } catch (caught) {
      showErrorToast(toAppError(caught))
    } finally {
      setUploadingCover(false)
    }
  }

  /** Saves the form; the post's id, or null when something was wrong (shown by the field or as a toast). */
  const persist = async (forPublishing: boolean): Promise<string | null> => {
    const found = validateEditorForm(form, forPublishing)
    setErrors(found)
    const first = Object.values(found).find(Boolean)
    if (first) {
      void Taro.showToast({ title: first, icon: 'none', duration: 2500 })
      return null
    }
    const outcome = await save.run(draftFromForm(form, postId))
    if (!outcome.ok) return null
    loadedFor.current = outcome.data.id
    setPostId(outcome.data.id)
    return outcome.data.id
  }

  const saveDraft = async () => {
    if (busy) return
    if (await persist(false)) showSuccessToast(stage === 'draft' ? '草稿已保存' : '修改已保存')
  }

  const runChange = async (make: (id: string) => PostStateChange, needsSave: boolean) => {
    if (busy) return
    const id = needsSave ? await persist(true) : postId
    if (!id) return
    const next = make(id)
    const outcome = await change.run(next)
    if (outcome.ok) showSuccessToast(stateChangeToast(next))
  }

  const publishNow = async () => {
    if (!(await confirm('立即发布', '发布后，所在地区的职工都能看到，关注了这些标签的人会收到提醒。确定发布吗？', '发布'))) return
    await runChange((id) => ({ action: 'publish', postId: id, at: null }), true)
  }

  const schedule = async (at: Date) => {
    if (!(await confirm('定时发布', `将于 ${formatTime(at)} 自动发布，到时关注了这些标签的人会收到提醒。`, '确定'))) return
    await runChange((id) => ({ action: 'publish', postId: id, at: at.toISOString() }), true)
  }

  const withdraw = async () => {
    if (!(await confirm('撤回为草稿', '撤回后，职工将看不到这篇文章，置顶也会取消。确定撤回吗？', '撤回'))) return
    await runChange((id) => ({ action: 'unpublish', postId: id }), false)
  }

  const archive = async () => {
    if (!(await confirm('归档', '归档后，文章不再出现在首页和搜索中，已收藏的人仍可查看。确定归档吗？', '归档'))) return
    await runChange((id) => ({ action: 'archive', postId: id }), false)
  }

  const togglePin = async () => {
    const pinned = !(stored?.pinned ?? false)
    await runChange((id) => ({ action: 'pin', postId: id, pinned }), false)
  }

  const district = profile.data?.district ?? null
  const regionChoices = ['全市', districtOf(district), district].filter((value, i, all): value is string => !!value && all.indexOf(value) === i)
  const scheduledAt = stored && stage === 'scheduled' && stored.published_at ? new Date(stored.published_at) : null
  const today = new Date()

  const preview = (
    <PostView
      className='post-preview'
      storageOrigin={storageOrigin()}
      post={{
        ...draftFromForm(form),
        body: blocksToNodes(form.blocks.map((item) => item.block)),
        coverUrl: coverUrl(form.coverPath),
        pinned: stored?.pinned ?? false,
        published_at: stored?.published_at ?? today.toISOString(),
        revised_at: stored?.revised_at ?? null,
        read_count: null,
        authorName: user.display_name,
      }}
    />
  )

  return (
    <AppPage className={classPrefix}>
      <View className={`${classPrefix}__status`}>
        <Tag type={stage === 'published' ? 'success' : stage === 'scheduled' ? 'warning' : 'default'} className='post-stage'>
          {POST_STAGE_LABELS[stage]}
        </Tag>
        {scheduledAt && <Text className={`${classPrefix}__when scheduled-at`}>将于 {formatTime(scheduledAt)} 发布</Text>}
        {stored?.pinned && <Tag type='danger'>置顶</Tag>}
        <View className={`${classPrefix}__modes`}>
          <Button className='mode-edit' size='small' type={mode === 'edit' ? 'primary' : 'default'} fill={mode === 'edit' ? 'solid' : 'outline'} onClick={() => setMode('edit')}>
            编辑
          </Button>
          <Button className='mode-preview' size='small' type={mode === 'preview' ? 'primary' : 'default'} fill={mode === 'preview' ? 'solid' : 'outline'} onClick={() => setMode('preview')}>
            预览
          </Button>
        </View>
      </View>

      {mode === 'preview' ? (
        <View>
          <Text className={`${classPrefix}__preview-note`}>这是职工看到的样子（尚未保存的修改也已显示）</Text>
          {preview}
        </View>
      ) : (
        <View className={`${classPrefix}__form`}>
          <View className={`${classPrefix}__field`}>
            <Text className={`${classPrefix}__label`}>类型</Text>
            <Radio.Group className='post-kind' value={form.kind} direction='horizontal' shape='button' onChange={(value) => set('kind', value as PostKind)}>
              {POST_KINDS.map((kind) => (
                <Radio key={kind} value={kind} shape='button' className={`${classPrefix}__kind`}>
                  {POST_KIND_LABELS[kind]}
                </Radio>
              ))}
            </Radio.Group>
          </View>

          <View className={`${classPrefix}__field`}>
            <Text className={`${classPrefix}__label`}>标题</Text>
            <Input className={`${classPrefix}__input post-title-input`} value={form.title} placeholder='如：一次性创业补贴申领指南' maxLength={EDITOR_LIMITS.titleMax} onChange={(v) => set('title', v)} />
            <FieldError message={errors.title} />
          </View>

          <View className={`${classPrefix}__field`}>
            <Text className={`${classPrefix}__label`}>摘要</Text>
            <TextArea className={`${classPrefix}__input post-summary-input`} value={form.summary} placeholder='一两句话说清楚：谁可以申请、能得到什么' maxLength={EDITOR_LIMITS.summaryMax} showCount onChange={(v) => set('summary', v)} />
            <FieldError message={errors.summary} />
          </View>

          <View className={`${classPrefix}__field`}>
            <Text className={`${classPrefix}__label`}>正文</Text>
            <BlockEditor blocks={form.blocks} onChange={(blocks) => set('blocks', blocks)} userId={user.id} error={errors.blocks} />
          </View>

          {form.kind === 'policy' && (
            <View className={`${classPrefix}__group`}>
              <Text className={`${classPrefix}__group-title`}>政策信息</Text>
              <Input className={`${classPrefix}__input post-issuer-input`} value={form.issuer} placeholder='发文机关，如：青岛市人力资源和社会保障局' maxLength={EDITOR_LIMITS.issuerMax} onChange={(v) => set('issuer', v)} />
              <FieldError message={errors.issuer} />
              <Input className={`${classPrefix}__input post-doc-number-input`} value={form.docNumber} placeholder='文号，如：青人社规〔2026〕3号' maxLength={EDITOR_LIMITS.docNumberMax} onChange={(v) => set('docNumber', v)} />
              <FieldError message={errors.docNumber} />
              <Cell
                className={`${classPrefix}__date effective-from`}
                title='生效日期'
                extra={form.effectiveFrom ? formatDate(form.effectiveFrom) : '未设置 ›'}
                clickable
                onClick={() => setPicking('effectiveFrom')}
              />
              <Cell
                className={`${classPrefix}__date effective-to`}
                title='失效日期'
                extra={form.effectiveTo ? formatDate(form.effectiveTo) : '长期有效 ›'}
                clickable
                onClick={() => setPicking('effectiveTo')}
              />
              {(form.effectiveFrom || form.effectiveTo) && (
                <Button size='small' fill='none' onClick={() => setForm((f) => ({ ...f, effectiveFrom: '', effectiveTo: '' }))}>
                  清除日期
                </Button>
              )}
              <FieldError message={errors.effectiveTo} />
            </View>
          )}

          {form.kind === 'project' && (
            <View className={`${classPrefix}__group`}>
              <Text className={`${classPrefix}__group-title`}>项目信息</Text>
              <View className={`${classPrefix}__row`}>
                <Input className={`${classPrefix}__input investment-min`} type='digit' value={form.investmentMin} placeholder='投资下限（元）' maxLength={9} onChange={(v) => set('investmentMin', v)} />
                <Text className={`${classPrefix}__dash`}>至</Text>
                <Input className={`${classPrefix}__input investment-max`} type='digit' value={form.investmentMax} placeholder='投资上限（元）' maxLength={9} onChange={(v) => set('investmentMax', v)} />
              </View>
              <FieldError message={errors.investmentMin ?? errors.investmentMax} />
              <Input className={`${classPrefix}__input skills-input`} value={form.skills} placeholder='所需技能，如：厨艺、家政服务证书' maxLength={EDITOR_LIMITS.skillsMax} onChange={(v) => set('skills', v)} />
              <FieldError message={errors.skills} />
              <Input className={`${classPrefix}__input contact-input`} value={form.contact} placeholder='联系方式，如：街道人社中心 李管家 0532-…' maxLength={EDITOR_LIMITS.contactMax} onChange={(v) => set('contact', v)} />
              <FieldError message={errors.contact} />
            </View>
          )}

          <View className={`${classPrefix}__field`}>
            <Text className={`${classPrefix}__label`}>标签（最多{EDITOR_LIMITS.tagsMax}个，关注这些标签的人会收到提醒）</Text>
            <View className={`${classPrefix}__chips post-tags-input`}>
              {[...COMMON_TAGS, ...form.tags.filter((tag) => !(COMMON_TAGS as readonly string[]).includes(tag))].map((tag) => (
                <Tag
                  key={tag}
                  className={`${classPrefix}__chip tag-choice ${form.tags.includes(tag) ? 'is-chosen' : ''}`}
                  type={form.tags.includes(tag) ? 'primary' : 'default'}
                  plain={!form.tags.includes(tag)}
                  onClick={() => toggleTag(tag)}
                >
                  {form.tags.includes(tag) ? `✓ ${tag}` : tag}
                </Tag>
              ))}
            </View>
            <View className={`${classPrefix}__row`}>
              <Input className={`${classPrefix}__input custom-tag`} value={customTag} placeholder='其他标签' maxLength={EDITOR_LIMITS.tagMax + 1} onChange={setCustomTag} />
              <Button size='small' fill='outline' type='primary' onClick={addCustomTag}>
                添加
              </Button>
            </View>
            <FieldError message={errors.tags} />
          </View>

          <View className={`${classPrefix}__field`}>
            <Text className={`${classPrefix}__label`}>发布范围</Text>
            <View className={`${classPrefix}__chips`}>
              {regionChoices.map((region) => (
                <Tag key={region} className={`${classPrefix}__chip region-choice`} type={form.region === region ? 'primary' : 'default'} plain={form.region !== region} onClick={() => set('region', region)}>
                  {region}
                </Tag>
              ))}
            </View>
            <Input className={`${classPrefix}__input region-input`} value={form.region} placeholder='全市、一个区（如四方区）或一个街道（如四方区兴隆路街道）' maxLength={40} onChange={(v) => set('region', v)} />
            <FieldError message={errors.region} />
          </View>

          <View className={`${classPrefix}__field`}>
            <Text className={`${classPrefix}__label`}>封面图片（选填）</Text>
            {form.coverPath && <Image className={`${classPrefix}__cover`} src={coverUrl(form.coverPath) ?? ''} mode='widthFix' />}
            <View className={`${classPrefix}__row`}>
              <Button className='cover-upload' size='small' fill='outline' type='primary' loading={uploadingCover} disabled={uploadingCover} onClick={() => void uploadCover()}>
                {form.coverPath ? '更换封面' : '上传封面'}
              </Button>
              {form.coverPath && (
                <Button size='small' fill='none' type='danger' onClick={() => set('coverPath', null)}>
                  移除封面
                </Button>
              )}
            </View>
          </View>
        </View>
      )}

      {(revisions.data ?? []).length > 0 && (
        <View className={`${classPrefix}__revisions`}>
          <Text className={`${classPrefix}__group-title`}>修改记录</Text>
          {(revisions.data ?? []).map((revision) => (
            <Text key={revision.id} className={`${classPrefix}__revision`}>
              {formatPostDate(revision.created_at)} {revision.editor?.display_name ?? '系统'} 修改了{changedFields(revision.changes) || '内容'}
            </Text>
          ))}
        </View>
      )}

      <View className={`${classPrefix}__actions`}>
        <Button className='save-post' size='large' type='default' fill='outline' block loading={save.pending} disabled={busy} onClick={() => void saveDraft()}>
          {stage === 'draft' ? '保存草稿' : '保存修改'}
        </Button>
        {(stage === 'draft' || stage === 'scheduled') && (
          <>
            <Button className='publish-post' size='large' type='primary' block disabled={busy} onClick={() => void publishNow()}>
              立即发布
            </Button>
            <Button className='schedule-post' size='large' type='primary' fill='outline' block disabled={busy} onClick={() => setPicking('publishAt')}>
              {stage === 'scheduled' ? '修改发布时间' : '定时发布'}
            </Button>
          </>
        )}
        {(stage === 'published' || stage === 'scheduled') && (
          <Button className='pin-post' size='large' type='default' fill='outline' block disabled={busy} onClick={() => void togglePin()}>
            {stored?.pinned ? '取消置顶' : '置顶'}
          </Button>
        )}
        {stage !== 'draft' && (
          <Button className='unpublish-post' size='large' type='default' fill='outline' block disabled={busy} onClick={() => void withdraw()}>
            撤回为草稿
          </Button>
        )}
        {stage === 'published' && (
          <Button className='archive-post' size='large' type='danger' fill='outline' block disabled={busy} onClick={() => void archive()}>
            归档
          </Button>
        )}
      </View>

      {picking === 'publishAt' && (
        <DatePicker
          title='选择发布时间'
          type='datetime'
          visible
          showChinese
          startDate={today}
          endDate={new Date(today.getTime() + 365 * 24 * 3600 * 1000)}
          defaultValue={nextWholeMinute(today)}
          onClose={() => setPicking(null)}
          onConfirm={(_, values) => {
            const [year, month, day, hour, minute] = values.map((value) => Number(value))
            void schedule(new Date(year, month - 1, day, hour, minute))
          }}
        />
      )}
      {(picking === 'effectiveFrom' || picking === 'effectiveTo') && (
        <DatePicker
          title={picking === 'effectiveFrom' ? '选择生效日期' : '选择失效日期'}
          type='date'
          visible
          showChinese
          startDate={new Date(2015, 0, 1)}
          endDate={new Date(today.getFullYear() + 10, 11, 31)}
          defaultValue={form[picking] ? new Date(`${form[picking]}T00:00:00`) : today}
          onClose={() => setPicking(null)}
          onConfirm={(_, values) => {
            const [year, month, day] = values.map((value) => Number(value))
            set(picking, toDateValue(new Date(year, month - 1, day)))
          }}
        />
      )}
    </AppPage>
  )
}
