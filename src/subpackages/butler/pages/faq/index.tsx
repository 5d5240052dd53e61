import { useState } from 'react'
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Button } from '../../../../components/nutui'
import { PageState } from '../../../../components/page-state'
import { PAGES } from '../../../../constants/routes'
import { useSessionUser } from '../../../../services/auth/use-session'
import { useGroup, useGroupMembers } from '../../../../services/groups/group-queries'
import {
  faqsToRecheck,
  useDeleteFaqMutation,
  useGroupFaqs,
  useMarkRecheckedMutation,
  type GroupFaq,
} from '../../../../services/questions/faq'
import { formatPostDate } from '../../../../utils/date'
import { navigateTo } from '../../../../utils/navigation'
import './index.scss'

const classPrefix = 'faq-manage'

type FaqTab = 'all' | 'recheck'

/** One entry: question, answer, the policy it relies on (with 更新于), and what a butler can do with it. */
function FaqCard({ faq, tab, groupId, canManage }: { faq: GroupFaq; tab: FaqTab; groupId: string; canManage: boolean }) {
  const rechecked = useMarkRecheckedMutation(groupId)
  const remove = useDeleteFaqMutation(groupId)

  const confirmRemove = async () => {
    const { confirm } = await Taro.showModal({
      title: '删除常见问题',
      content: '删除后，群成员提问时不会再看到这条解答。',
      confirmText: '删除',
    })
    if (confirm) await remove.run(faq.id)
  }

  return (
    <View className={`faq-item ${classPrefix}__item${faq.needs_recheck ? ' needs-recheck' : ''}`}>
      <View className={`${classPrefix}__head`}>
        <Text className={`faq-question ${classPrefix}__question`}>{faq.question}</Text>
        {faq.needs_recheck && <Text className={`faq-recheck-tag ${classPrefix}__tag`}>需复核</Text>}
      </View>
      <Text className={`faq-answer ${classPrefix}__answer`}>{faq.answer}</Text>
      {faq.policy ? (
        <View className={`${classPrefix}__policy`} onClick={() => void navigateTo(PAGES.postDetail, { id: faq.policy!.id })}>
          <Text className={`faq-policy ${classPrefix}__policy-title`}>依据：{faq.policy.title}</Text>
          {faq.policy.revised_at && (
            <Text className={`faq-policy-revised ${classPrefix}__meta ${faq.needs_recheck ? `${classPrefix}__meta--alert` : ''}`}>
              政策更新于 {formatPostDate(faq.policy.revised_at)}
            </Text>
          )}
        </View>
      ) : (
        <Text className={`${classPrefix}__meta`}>未关联政策</Text>
      )}
      {canManage && (
        <View className={`${classPrefix}__actions`}>
          {tab === 'recheck' && (
            <Button className='faq-rechecked' size='normal' type='primary' loading={rechecked.pending} disabled={rechecked.pending} onClick={() => void rechecked.run(faq.id)}>
              已复核
            </Button>
          )}
          <Button className='faq-edit' size='normal' type='primary' fill='outline' onClick={() => void navigateTo(PAGES.faqEdit, { id: faq.id, group: groupId })}>
            编辑
          </Button>
          {tab === 'all' && (
            <Button className='faq-delete' size='normal' type='default' loading={remove.pending} disabled={remove.pending} onClick={() => void confirmRemove()}>
              删除
            </Button>
          )}
        </View>
      )}
    </View>
  )
}

/**
 * 常见问题 of one group for its butlers (and admins): every entry (全部) with 编辑 and 删除, and 需复核: the
 * entries whose linked policy was revised after they were written, with the policy's 更新于 and 已复核 once
 * the answer has been checked (or 编辑 to correct it, which also clears the flag). `?group=<group id>`,
 * `&tab=recheck` to open on 需复核.
 */
export default function FaqManagePage() {
  const router = useRouter()
  const groupId = router.params.group ?? null
  const group = useGroup(groupId)
  const faqs = useGroupFaqs(groupId)
  const user = useSessionUser()
  const members = useGroupMembers(groupId)
  // The buttons show what the database allows: the group's butlers and admins manage its FAQ.
  const canManage = user?.role === 'admin' || (members.data ?? []).some((m) => m.user_id === user?.id && m.role === 'butler')
  const [tab, setTab] = useState<FaqTab>(router.params.tab === 'recheck' ? 'recheck' : 'all')

  usePullDownRefresh(() => {
    void faqs.refetch().finally(() => Taro.stopPullDownRefresh())
  })

  const all = faqs.data ?? []
  const toRecheck = faqsToRecheck(all)
  const shown = tab === 'all' ? all : toRecheck
  const tabs: { name: FaqTab; label: string }[] = [
    { name: 'all', label: `全部（${all.length}）` },
    { name: 'recheck', label: `需复核（${toRecheck.length}）` },
  ]
  return (
    <AppPage className={classPrefix}>
      <Text className={`${classPrefix}__group`}>{group.data?.name ?? ''}</Text>
      <View className={`${classPrefix}__tabs`}>
        {tabs.map(({ name, label }) => (
          <View
            key={name}
            className={`faq-tab faq-tab-${name} ${classPrefix}__tab${tab === name ? ` ${classPrefix}__tab--active is-active` : ''}`}
            onClick={() => setTab(name)}
          >
            <Text>{label}</Text>
          </View>
        ))}
      </View>
      {tab === 'recheck' && toRecheck.length > 0 && (
        <Text className={`${classPrefix}__hint`}>这些问题关联的政策有更新，请核对解答；无需修改的点“已复核”。</Text>
      )}
      <PageState
        query={faqs}
        skeletonCards={2}
        empty={shown.length === 0}
        emptyTitle={tab === 'all' ? '还没有常见问题' : '没有需要复核的问题'}
        emptyDescription={tab === 'all' ? '在已解答的问题页点“加入常见问题”' : '关联的政策更新后，相关问题会显示在这里'}
      >
        {shown.map((faq) => (
          <FaqCard key={faq.id} faq={faq} tab={tab} groupId={groupId ?? ''} canManage={canManage} />
        ))}
      </PageState>
    </AppPage>
  )
}
