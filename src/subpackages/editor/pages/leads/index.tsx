import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Button, Tag } from '../../../../components/nutui'
import { PageState } from '../../../../components/page-state'
import { PAGES } from '../../../../constants/routes'
import { useSessionUser } from '../../../../services/auth/use-session'
import { LEAD_STATUS_LABELS, useLeadStatusMutation, useMyLeads, type LeadStatus, type ProjectLead } from '../../../../services/posts/leads'
import { formatPostDate } from '../../../../utils/date'
import { navigateTo } from '../../../../utils/navigation'
import './index.scss'

const classPrefix = 'leads-page'
const IS_WEAPP = process.env.TARO_ENV === 'weapp'

function statusOf(lead: ProjectLead): LeadStatus {
  return (['open', 'contacted', 'closed'] as const).find((status) => status === lead.status) ?? 'open'
}

/**
 * 我的线索: workers who tapped 我感兴趣 on a project and were assigned to this butler (admins see all),
 * open ones first, with the worker's phone when they bound one (tap to call in the mini-program), and
 * 已联系 / 结束 to move each on.
 */
export default function LeadsPage() {
  const user = useSessionUser()
  const staff = user?.role === 'butler' || user?.role === 'admin'
  const leads = useMyLeads(staff)
  const setStatus = useLeadStatusMutation()

  usePullDownRefresh(() => {
    void leads.refetch().finally(() => Taro.stopPullDownRefresh())
  })

  if (!user || !staff) {
    return (
      <AppPage className={classPrefix}>
        <PageState empty emptyTitle='只有创业管家和管理员可以查看线索' />
      </AppPage>
    )
  }

  // my_project_leads also lists a person's own leads as a worker; staff see those assigned to them (or all, admins).
  const list = (leads.data ?? []).filter((lead) => lead.worker_id !== user.id)
  const open = list.filter((lead) => statusOf(lead) === 'open').length

  const call = (phone: string) => {
    if (IS_WEAPP) void Taro.makePhoneCall({ phoneNumber: phone })
    else void Taro.setClipboardData({ data: phone })
  }

  return (
    <AppPage className={classPrefix}>
      <PageState query={leads} empty={list.length === 0} emptyTitle='还没有线索' emptyDescription='职工在创业项目页点“我感兴趣”后，会出现在这里'>
        <Text className={`${classPrefix}__summary`}>{open > 0 ? `${open} 条待联系` : '全部已联系'}</Text>
        {list.map((lead) => {
          const status = statusOf(lead)
          return (
            <View key={lead.id} className={`${classPrefix}__item lead-item ${status === 'open' ? 'is-open' : ''}`}>
              <View className={`${classPrefix}__head`}>
                <Text className={`${classPrefix}__worker lead-worker`}>{lead.worker_name}</Text>
                <Tag type={status === 'open' ? 'danger' : status === 'contacted' ? 'warning' : 'default'} className='lead-status'>
                  {LEAD_STATUS_LABELS[status]}
                </Tag>
              </View>
              <Text className={`${classPrefix}__post lead-post`} onClick={() => void navigateTo(PAGES.postDetail, { id: lead.post_id })}>
                对“{lead.post_title}”感兴趣
              </Text>
              {lead.note !== '' && <Text className={`${classPrefix}__note`}>留言：{lead.note}</Text>}
              <Text className={`${classPrefix}__time`}>登记于 {formatPostDate(lead.created_at)}</Text>
              <View className={`${classPrefix}__actions`}>
                {lead.worker_phone ? (
                  <Button size='small' type='primary' onClick={() => call(lead.worker_phone)}>
                    {IS_WEAPP ? `拨打 ${lead.worker_phone}` : `复制电话 ${lead.worker_phone}`}
                  </Button>
                ) : (
                  <Text className={`${classPrefix}__no-phone`}>未绑定手机号，请在创业群里联系</Text>
                )}
                {status === 'open' && (
                  <Button className='lead-contacted' size='small' fill='outline' type='primary' disabled={setStatus.pending} onClick={() => void setStatus.run({ leadId: lead.id, status: 'contacted' })}>
                    已联系
                  </Button>
                )}
                {status !== 'closed' && (
                  <Button className='lead-close' size='small' fill='outline' type='default' disabled={setStatus.pending} onClick={() => void setStatus.run({ leadId: lead.id, status: 'closed' })}>
                    结束
                  </Button>
                )}
              </View>
            </View>
          )
        })}
      </PageState>
    </AppPage>
  )
}
