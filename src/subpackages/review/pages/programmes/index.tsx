import { useState } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Button, Switch } from '../../../../components/nutui'
import { Checkbox, DatePicker, Input, Radio, TextArea } from '../../../../components/nutui-form'
import { PageState } from '../../../../components/page-state'
import { useSessionUser } from '../../../../services/auth/use-session'
import { TOAST_MS } from '../../../../services/query/use-app-mutation'
import { formatYuan } from '../../../../services/review/labels'
import { checkProgrammeForm, emptyProgrammeForm, formFromProgramme, MATERIAL_KINDS, RULE_KINDS, type ProgrammeForm, type RuleKind } from '../../../../services/review/forms'
import { useProgrammes, useSaveProgrammeMutation } from '../../../../services/review/programmes'
import { formatDate, toDateValue } from '../../../../utils/date'
import '../../components/review.scss'

type Material = ProgrammeForm['materials'][number]

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <View className='review-subcard-field'>
      <Text className='review-label'>{label}</Text>
      {children}
    </View>
  )
}

/** The editor of one programme: what workers read, the amounts, the period, the rules and the materials. */
function ProgrammeEditor({ initial, onDone }: { initial: ProgrammeForm; onDone: () => void }) {
  const [form, setForm] = useState<ProgrammeForm>(initial)
  const [picking, setPicking] = useState<null | 'opens_on' | 'closes_on'>(null)
  const save = useSaveProgrammeMutation()
  const set = <K extends keyof ProgrammeForm>(field: K, value: ProgrammeForm[K]) => setForm((previous) => ({ ...previous, [field]: value }))
  const setMaterial = (n: number, patch: Partial<Material>) => set('materials', form.materials.map((m, i) => (i === n ? { ...m, ...patch } : m)))
  const hasRule = (rule: RuleKind) => form.eligibility.some((r) => r.rule === rule)
  const toggleRule = (rule: RuleKind, on: boolean) =>
    set('eligibility', on ? [...form.eligibility.filter((r) => r.rule !== rule), { rule, value: '' }] : form.eligibility.filter((r) => r.rule !== rule))
  const setRuleValue = (rule: RuleKind, value: string) => set('eligibility', form.eligibility.map((r) => (r.rule === rule ? { ...r, value } : r)))

  const submit = async () => {
    if (save.pending) return
    const problem = checkProgrammeForm(form)
    if (problem) {
      void Taro.showToast({ title: problem, icon: 'none', duration: TOAST_MS })
      return
    }
    const outcome = await save.run(form)
    if (outcome.ok) onDone()
  }

  return (
    <View className='review-card programme-editor'>
      <Field label='项目名称'>
        <Input className='review-input programme-name' value={form.name} onChange={(v) => set('name', v)} placeholder='如：一次性创业补贴' maxLength={40} />
      </Field>
      <Field label='项目代码（英文，创建后不要随意更改）'>
        <Input className='review-input programme-code' value={form.code} onChange={(v) => set('code', v)} placeholder='如：startup_once' maxLength={40} />
      </Field>
      <Field label='简介'>
        <Input className='review-input programme-summary' value={form.summary} onChange={(v) => set('summary', v)} placeholder='一句话说明' maxLength={200} />
      </Field>
      <Field label='详细说明'>
        <TextArea className='review-input' value={form.description} onChange={(v) => set('description', v)} maxLength={4000} />
      </Field>
      <Field label='金额规则'>
        <Input className='review-input programme-rule' value={form.amount_rule} onChange={(v) => set('amount_rule', v)} placeholder='如：每带动1人就业补贴2000元' maxLength={500} />
      </Field>
      <Field label='标准金额（元，选填）'>
        <Input className='review-input programme-default' type='digit' value={form.default_amount} onChange={(v) => set('default_amount', v)} />
      </Field>
      <Field label='最高金额（元）'>
        <Input className='review-input programme-max' type='digit' value={form.max_amount} onChange={(v) => set('max_amount', v)} />
      </Field>
      <Field label='受理期间'>
        <View className='review-actions'>
          <Button fill='outline' type='default' onClick={() => setPicking('opens_on')}>
            {form.opens_on ? formatDate(form.opens_on) : '开始日期'}
          </Button>
          <Button fill='outline' type='default' onClick={() => setPicking('closes_on')}>
            {form.closes_on ? formatDate(form.closes_on) : '长期受理'}
          </Button>
          {form.closes_on && (
            <Button fill='outline' type='default' onClick={() => set('closes_on', '')}>
              改为长期
            </Button>
          )}
        </View>
      </Field>
      <Field label='排序（小的在前）'>
        <Input className='review-input' type='number' value={form.sort_order} onChange={(v) => set('sort_order', v)} />
      </Field>
      <View className='review-head'>
        <Text className='review-label'>对职工开放</Text>
        <Switch checked={form.active} onChange={(value) => set('active', value)} aria-label='对职工开放' />
      </View>

      <Text className='review-section'>申请条件</Text>
      {RULE_KINDS.map((kind) => (
        <View key={kind.rule} className='review-subcard programme-rule-row'>
          <Checkbox checked={hasRule(kind.rule)} onChange={(on: boolean) => toggleRule(kind.rule, on)} label={kind.label} />
          {kind.needsValue && hasRule(kind.rule) && (
            <Input
              className='review-input'
              type='number'
              value={form.eligibility.find((r) => r.rule === kind.rule)?.value ?? ''}
              onChange={(v) => setRuleValue(kind.rule, v)}
              placeholder={kind.rule === 'employees_at_least' ? '人数' : '月数'}
            />
          )}
        </View>
      ))}

      <Text className='review-section'>所需材料</Text>
      {form.materials.map((material, n) => (
        <View key={n} className='review-subcard programme-material'>
          <Input className='review-input' value={material.name} onChange={(v) => setMaterial(n, { name: v })} placeholder='材料名称，如：营业执照' maxLength={40} />
          <Input className='review-input' value={material.key} onChange={(v) => setMaterial(n, { key: v })} placeholder='材料代码，如：business_licence' maxLength={40} />
          <Radio.Group value={material.kind} direction='horizontal' onChange={(value) => setMaterial(n, { kind: value as Material['kind'] })}>
            {MATERIAL_KINDS.map((kind) => (
              <Radio key={kind.kind} value={kind.kind}>
                {kind.label}
              </Radio>
            ))}
          </Radio.Group>
          <Checkbox checked={material.required} onChange={(on: boolean) => setMaterial(n, { required: on })} label='必须提交' />
          <Input className='review-input' type='number' value={material.max_files} onChange={(v) => setMaterial(n, { max_files: v })} placeholder='最多文件数' />
          <Input className='review-input' value={material.hint} onChange={(v) => setMaterial(n, { hint: v })} placeholder='提示，如：正反面各一张，四角完整' maxLength={200} />
          <Button size='small' fill='outline' type='danger' onClick={() => set('materials', form.materials.filter((_, i) => i !== n))}>
            删除这项材料
          </Button>
        </View>
      ))}
      <Button
        fill='outline'
        type='primary'
        onClick={() => set('materials', [...form.materials, { key: '', name: '', kind: 'photo', required: true, max_files: '2', example: '', hint: '' }])}
      >
        添加材料
      </Button>

      <View className='review-actions'>
        <Button className='save-programme' type='primary' size='large' block loading={save.pending} disabled={save.pending} onClick={() => void submit()}>
          保存
        </Button>
        <Button size='large' block fill='outline' type='default' onClick={onDone}>
          取消
        </Button>
      </View>

      {picking && (
        <DatePicker
          title={picking === 'opens_on' ? '开始受理日期' : '截止日期'}
          type='date'
          visible
          showChinese
          startDate={new Date(2015, 0, 1)}
          endDate={new Date(new Date().getFullYear() + 10, 11, 31)}
          defaultValue={form[picking] ? new Date(`${form[picking]}T00:00:00`) : new Date()}
          onClose={() => setPicking(null)}
          onConfirm={(_, values) => {
            const [year, month, day] = values.map((value) => Number(value))
            set(picking, toDateValue(new Date(year, month - 1, day)))
          }}
        />
      )}
    </View>
  )
}

/** 补贴项目管理 (admins): the catalogue with each programme's amounts and period; 编辑 and 新增项目. */
export default function ProgrammesPage() {
  const user = useSessionUser()
  const admin = user?.role === 'admin'
  const programmes = useProgrammes(admin)
  const [editing, setEditing] = useState<ProgrammeForm | null>(null)

  usePullDownRefresh(() => {
    void programmes.refetch().finally(() => Taro.stopPullDownRefresh())
  })

  if (!admin) {
    return (
      <AppPage className='review-page review-programmes'>
        <PageState empty emptyTitle='补贴项目仅由管理员维护' emptyDescription='如需调整项目，请联系管理员' />
      </AppPage>
    )
  }

  if (editing) {
    return (
      <AppPage className='review-page review-programmes'>
        <ProgrammeEditor initial={editing} onDone={() => setEditing(null)} />
      </AppPage>
    )
  }

  const list = programmes.data ?? []
  return (
    <AppPage className='review-page review-programmes'>
      <View className='review-toolbar'>
        <Button className='new-programme' type='primary' size='large' block onClick={() => setEditing(emptyProgrammeForm(toDateValue(new Date())))}>
          新增项目
        </Button>
      </View>
      <PageState query={programmes} skeletonCards={2} empty={list.length === 0} emptyTitle='还没有补贴项目'>
        {list.map((programme) => (
          <View key={programme.id} className='review-card programme-row'>
            <View className='review-head'>
              <Text className='review-title'>{programme.name}</Text>
              {!programme.active && <Text className='review-alert'>已停用</Text>}
            </View>
            <Text className='review-meta'>{programme.summary}</Text>
            <Text className='review-meta'>
              {programme.amount_rule || `标准 ${formatYuan(programme.default_amount)}`} · 上限 {formatYuan(programme.max_amount)}
            </Text>
            <Text className='review-meta'>
              {formatDate(programme.opens_on)}起{programme.closes_on ? `，${formatDate(programme.closes_on)}截止` : '，长期受理'}
            </Text>
            <Button className='edit-programme' size='small' fill='outline' type='primary' onClick={() => setEditing(formFromProgramme(programme))}>
              编辑
            </Button>
          </View>
        ))}
      </PageState>
    </AppPage>
  )
}
