import { useState } from 'react'
import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Button } from '../../../../components/nutui'
import { Checkbox, Input, Radio } from '../../../../components/nutui-form'
import { PAGES } from '../../../../constants/routes'
import { useEligibilityCheck, type EligibilityAnswers, type EligibilityResult } from '../../../../services/applications/eligibility'
import { MATERIAL_KIND_LABELS, programmeMaterials } from '../../../../services/applications/labels'
import { useProgrammes } from '../../../../services/applications/programmes-query'
import { navigateTo } from '../../../../utils/navigation'
import './index.scss'

const classPrefix = 'selfcheck'

type YesNo = 'yes' | 'no' | ''

interface Answers {
  displaced: YesNo
  business: YesNo
  registeredMonths: string
  insuranceMonths: string
  employees: string
  incubation: YesNo
  lease: YesNo
  granted: string[]
}

const EMPTY: Answers = { displaced: '', business: '', registeredMonths: '', insuranceMonths: '', employees: '', incubation: '', lease: '', granted: [] }

function Question({ title, hint, children }: { title: string; hint?: string; children: React.ReactNode }) {
  return (
    <View className={`${classPrefix}__question`}>
      <Text className={`${classPrefix}__q-title`}>{title}</Text>
      {hint && <Text className={`${classPrefix}__q-hint`}>{hint}</Text>}
      {children}
    </View>
  )
}

function YesNoChoice({ name, value, onChange }: { name: string; value: YesNo; onChange: (value: YesNo) => void }) {
  return (
    <Radio.Group className={`selfcheck-${name} ${classPrefix}__choice`} value={value} direction='horizontal' shape='button' onChange={(v) => onChange(v as YesNo)}>
      <Radio value='yes' shape='button'>
        是
      </Radio>
      <Radio value='no' shape='button'>
        否
      </Radio>
    </Radio.Group>
  )
}

function months(text: string): number {
  const n = Number(text.trim())
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : 0
}

/** One programme's answer: fits (with the materials to prepare and 去申请) or why not. */
function ResultCard({ result }: { result: EligibilityResult }) {
  const materials = programmeMaterials(result.materials)
  return (
    <View className={`selfcheck-result ${result.fits ? 'selfcheck-result--fits' : 'selfcheck-result--no'} ${classPrefix}__result`}>
      <View className={`${classPrefix}__result-head`}>
        <Text className={`${classPrefix}__result-name`}>{result.name}</Text>
        <Text className={`${classPrefix}__verdict ${result.fits ? `${classPrefix}__verdict--fits` : ''}`}>{result.fits ? '符合条件' : '暂不符合'}</Text>
      </View>
      {result.amount_rule && <Text className={`${classPrefix}__text`}>补贴标准：{result.amount_rule}</Text>}
      {!result.fits &&
        (result.reasons ?? []).map((reason) => (
          <Text key={reason} className={`${classPrefix}__reason`}>
            · {reason}
          </Text>
        ))}
      {result.fits && materials.length > 0 && (
        <>
          <Text className={`${classPrefix}__sub`}>需要准备：</Text>
          {materials.map((m) => (
            <Text key={m.key} className={`${classPrefix}__text`}>
              · {m.name}（{MATERIAL_KIND_LABELS[m.kind]}
              {m.required ? '' : '，选传'}）{m.hint ? `：${m.hint}` : ''}
            </Text>
          ))}
        </>
      )}
      {result.fits && (
        <Button className='selfcheck-apply' type='primary' size='large' block onClick={() => void navigateTo(PAGES.applyProgramme, { id: result.programme_id })}>
          查看并申请
        </Button>
      )}
    </View>
  )
}

/**
 * 政策自测: a few questions, answered on this page only; eligibility_check says for each programme
 * whether it fits, why not, and what to prepare. Nothing is saved, on the phone or the server.
 */
export default function SelfcheckPage() {
  const [answers, setAnswers] = useState<Answers>(EMPTY)
  const [missing, setMissing] = useState<string | null>(null)
  const programmes = useProgrammes()
  const check = useEligibilityCheck()
  const [results, setResults] = useState<EligibilityResult[] | null>(null)
  const set = <K extends keyof Answers>(key: K, value: Answers[K]) => setAnswers((previous) => ({ ...previous, [key]: value }))

  const run = async () => {
    if (!answers.displaced || !answers.business || !answers.incubation || !answers.lease) {
      setMissing('请回答每个“是/否”问题')
      return
    }
    setMissing(null)
    const input: EligibilityAnswers = {
      displaced_worker: answers.displaced === 'yes',
      has_business: answers.business === 'yes',
      registered_months: answers.business === 'yes' ? months(answers.registeredMonths) : null,
      social_insurance_months: months(answers.insuranceMonths),
      employees: months(answers.employees),
      in_incubation_base: answers.incubation === 'yes',
      has_lease: answers.lease === 'yes',
      granted_codes: answers.granted,
    }
    const result = await check.run(input)
    if (result.ok) {
      setResults(result.data)
      void Taro.pageScrollTo({ selector: '.selfcheck__results', duration: 200 }).catch(() => {})
    }
  }

  const fits = (results ?? []).filter((r) => r.fits)
  const others = (results ?? []).filter((r) => !r.fits)
  return (
    <AppPage className={classPrefix}>
      <View className={`${classPrefix}__card`}>
        <Text className={`${classPrefix}__lead`}>回答几个问题，看看您能申报哪些补贴。答案只用来判断，不会保存。</Text>
        <Question title='您是分流职工，或已办理失业登记吗？'>
          <YesNoChoice name='displaced' value={answers.displaced} onChange={(v) => set('displaced', v)} />
        </Question>
        <Question title='您已经办理营业执照了吗？' hint='个体工商户、公司、网店登记都算'>
          <YesNoChoice name='business' value={answers.business} onChange={(v) => set('business', v)} />
        </Question>
        {answers.business === 'yes' && (
          <Question title='营业执照登记了几个月？'>
            <Input className={`selfcheck-registered ${classPrefix}__input`} type='number' value={answers.registeredMonths} placeholder='如：3' onChange={(v) => set('registeredMonths', v)} />
          </Question>
        )}
        <Question title='为经营实体缴纳社会保险几个月了？' hint='没有缴纳填0'>
          <Input className={`selfcheck-insurance ${classPrefix}__input`} type='number' value={answers.insuranceMonths} placeholder='如：6' onChange={(v) => set('insuranceMonths', v)} />
        </Question>
        <Question title='雇用了几个人（不含您本人）？' hint='没有雇人填0'>
          <Input className={`selfcheck-employees ${classPrefix}__input`} type='number' value={answers.employees} placeholder='如：2' onChange={(v) => set('employees', v)} />
        </Question>
        <Question title='您入驻了创业孵化基地吗？'>
          <YesNoChoice name='incubation' value={answers.incubation} onChange={(v) => set('incubation', v)} />
        </Question>
        <Question title='您租用了经营场地、签了租赁合同吗？'>
          <YesNoChoice name='lease' value={answers.lease} onChange={(v) => set('lease', v)} />
        </Question>
        {(programmes.data ?? []).length > 0 && (
          <Question title='以前享受过下面哪些补贴？' hint='没有可以不选'>
            {(programmes.data ?? []).map((p) => (
              <View key={p.code} className={`${classPrefix}__granted`}>
                <Checkbox
                  checked={answers.granted.includes(p.code)}
                  label={p.name}
                  onChange={(on) => set('granted', on ? [...answers.granted, p.code] : answers.granted.filter((c) => c !== p.code))}
                />
              </View>
            ))}
          </Question>
        )}
        {(missing || check.error) && (
          <View className={`${classPrefix}__error`} role='alert'>
            {missing ?? check.error?.message}
          </View>
        )}
        <Button className='selfcheck-run' type='primary' size='large' block loading={check.pending} disabled={check.pending} onClick={() => void run()}>
          查看结果
        </Button>
      </View>

      {results && (
        <View className={`selfcheck__results ${classPrefix}__results`}>
          <Text className={`${classPrefix}__heading`}>{fits.length > 0 ? `您可以申报${fits.length}项补贴` : '暂时没有符合条件的补贴'}</Text>
          {fits.map((r) => (
            <ResultCard key={r.programme_id} result={r} />
          ))}
          {others.length > 0 && <Text className={`${classPrefix}__heading`}>暂不符合的项目</Text>}
          {others.map((r) => (
            <ResultCard key={r.programme_id} result={r} />
          ))}
          <Text className={`${classPrefix}__text`}>结果仅供参考，以创业管家审核为准。有疑问可以在创业群里向管家提问。</Text>
        </View>
      )}
    </AppPage>
  )
}
