import { useState, type FunctionComponent } from 'react'
import { Text, View } from '@tarojs/components'
import { Cell } from '../../../components/nutui'
import { DatePicker, Input } from '../../../components/nutui-form'
import { creditCodeWarning, FIELD_LABELS, type ApplicationForm, type FieldKey, type FormErrors } from '../../../services/applications/form'
import { formatDate, toDateValue } from '../../../utils/date'
import './application-fields.scss'

const classPrefix = 'application-fields'

const PLACEHOLDERS: Record<FieldKey, string> = {
  real_name: '与身份证一致',
  resident_id: '18位，最后一位可以是X',
  phone: '11位手机号',
  bank_name: '如：中国农业银行青岛四方支行',
  bank_account: '补贴发放到这个账户',
  business_name: '与营业执照一致',
  credit_code: '营业执照上的18位代码',
  registered_on: '请选择日期',
  employees: '含您本人',
  requested_amount: '元',
}

const INPUT_TYPES: Partial<Record<FieldKey, 'idcard' | 'number' | 'digit' | 'tel'>> = {
  resident_id: 'idcard',
  phone: 'tel',
  bank_account: 'number',
  employees: 'number',
  requested_amount: 'digit',
}

export interface ApplicationFieldsProps {
  form: ApplicationForm
  fields: readonly FieldKey[]
  errors: FormErrors
  onChange: (field: FieldKey, value: string) => void
  /** A field left: checked at once, so a wrong ID check digit is said before 下一步. */
  onBlur: (field: FieldKey) => void
  /** Per field, the butler's note when it is to be redone (补正). */
  notes?: Partial<Record<FieldKey, string>>
}

/**
 * The application's fields as labelled inputs, each with its error in Chinese under it; the credit code
 * shows a gentle warning (not an error) when its check character fails. The registration date is picked,
 * never typed, and cannot be later than today.
 */
export const ApplicationFields: FunctionComponent<ApplicationFieldsProps> = ({ form, fields, errors, onChange, onBlur, notes }) => {
  const [picking, setPicking] = useState(false)
  const today = new Date()
  return (
    <View className={classPrefix}>
      {fields.map((field) => {
        const warning = field === 'credit_code' && !errors.credit_code ? creditCodeWarning(form.credit_code) : undefined
        return (
          <View key={field} className={`application-field-${field} ${classPrefix}__field`}>
            <Text className={`${classPrefix}__label`}>{FIELD_LABELS[field]}</Text>
            {notes?.[field] !== undefined && <Text className={`${classPrefix}__note`}>需补正：{notes[field] || '请重新填写'}</Text>}
            {field === 'registered_on' ? (
              <>
                <Cell
                  className={`${classPrefix}__date`}
                  clickable
                  title={form.registered_on ? formatDate(form.registered_on) : <Text className={`${classPrefix}__placeholder`}>{PLACEHOLDERS.registered_on}</Text>}
                  extra='›'
                  onClick={() => setPicking(true)}
                />
                <DatePicker
                  title='选择营业执照登记日期'
                  type='date'
                  visible={picking}
                  showChinese
                  startDate={new Date(1990, 0, 1)}
                  endDate={today}
                  defaultValue={form.registered_on ? new Date(`${form.registered_on}T00:00:00`) : today}
                  onClose={() => setPicking(false)}
                  onConfirm={(_, values) => {
                    const [year, month, day] = values.map((value) => Number(value))
                    onChange('registered_on', toDateValue(new Date(year, month - 1, day)))
                  }}
                />
              </>
            ) : (
              <Input
                className={`${classPrefix}__input`}
                value={form[field]}
                type={INPUT_TYPES[field] ?? 'text'}
                placeholder={PLACEHOLDERS[field]}
                onChange={(value) => onChange(field, value)}
                onBlur={() => onBlur(field)}
              />
            )}
            {errors[field] && (
              <View className={`field-error ${classPrefix}__error`} role='alert'>
                {errors[field]}
              </View>
            )}
            {warning && <Text className={`field-warning ${classPrefix}__warning`}>{warning}</Text>}
          </View>
        )
      })}
    </View>
  )
}

ApplicationFields.displayName = 'ApplicationFields'
