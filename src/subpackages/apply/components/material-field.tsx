import { useRef, useState, type FunctionComponent } from 'react'
import { Text, View } from '@tarojs/components'
import { ImageUploader } from '../../../components/image-uploader'
import { ImageViewer } from '../../../components/image-viewer'
import { attachApplicationMaterial, removeApplicationMaterial } from '../../../services/applications/application-mutations'
import { applicationKeys } from '../../../services/applications/keys'
import { MATERIAL_KIND_LABELS, type ProgrammeMaterial } from '../../../services/applications/labels'
import { toAppError } from '../../../services/errors'
import { invalidate } from '../../../services/query/cache'
import { isPdfPath } from '../../../services/storage/use-image-uploader'
import './material-field.scss'

export interface AttachedMaterial {
  id: string
  material_key: string
  object_path: string
}

export interface MaterialFieldProps {
  applicationId: string
  /** The applicant (the signed-in person): the bucket's folder is `<applicant>/<application>`. */
  applicantId: string
  material: ProgrammeMaterial
  /** The files attached to this material now (from the server). */
  attached: readonly AttachedMaterial[]
  /** False: shown, not changed (a submitted application, or a material not in the 补正 list). */
  editable: boolean
  /** The butler's note when this material is to be redone (补正). */
  supplementNote?: string
}

const classPrefix = 'material-field'

/**
 * One required material (身份证正反面, 营业执照 …): its name, what to photograph, and the uploader. Each
 * photo goes into the private application-materials bucket under `<me>/<application>/`, is checked by the
 * server, and only then attached to the application (attach_application_material); removing a photo
 * detaches it (remove_application_material). The server refuses what the state does not allow.
 */
export const MaterialField: FunctionComponent<MaterialFieldProps> = ({ applicationId, applicantId, material, attached, editable, supplementNote }) => {
  const [error, setError] = useState<string | null>(null)
  // Object path → material id, as attached on the server (updated as this field attaches and removes).
  const known = useRef(new Map(attached.map((m) => [m.object_path, m.id])))
  const queue = useRef(Promise.resolve())

  const sync = (paths: string[]) => {
    // One change at a time, in order: a quick second photo waits for the first one's attach.
    queue.current = queue.current.then(async () => {
      setError(null)
      try {
        for (const path of paths) {
          if (known.current.has(path)) continue
          const row = await attachApplicationMaterial(applicationId, material.key, path)
          known.current.set(path, (row as { id: string } | null)?.id ?? '')
        }
        for (const [path, id] of [...known.current]) {
          if (paths.includes(path)) continue
          if (id) await removeApplicationMaterial(id)
          known.current.delete(path)
        }
      } catch (caught) {
        setError(toAppError(caught).message)
      }
      await invalidate(applicationKeys.detail(applicationId))
    })
  }

  return (
    <View className={`material-field-${material.key} ${classPrefix} ${supplementNote ? `${classPrefix}--supplement` : ''}`}>
      <View className={`${classPrefix}__head`}>
        <Text className={`${classPrefix}__name`}>{material.name}</Text>
        <Text className={`${classPrefix}__badge ${material.required ? `${classPrefix}__badge--required` : ''}`}>{material.required ? '必传' : '选传'}</Text>
      </View>
      <Text className={`${classPrefix}__hint`}>
        {MATERIAL_KIND_LABELS[material.kind]}，最多{material.max_files}张{material.hint ? `。${material.hint}` : ''}
      </Text>
      {supplementNote !== undefined && <Text className={`${classPrefix}__note`}>需补正：{supplementNote || '请重新上传'}</Text>}
      {editable ? (
        <ImageUploader
          bucket='application-materials'
          folder={`${applicantId}/${applicationId}`}
          maxCount={material.max_files}
          initial={attached.map((m) => m.object_path)}
          onChange={sync}
          allowPdf={material.kind !== 'photo'}
        />
      ) : attached.length > 0 ? (
        <>
          <ImageViewer bucket='application-materials' paths={attached.filter((m) => !isPdfPath(m.object_path)).map((m) => m.object_path)} />
          {attached.some((m) => isPdfPath(m.object_path)) && (
            <Text className={`${classPrefix}__hint`}>{`PDF文件${attached.filter((m) => isPdfPath(m.object_path)).length}个`}</Text>
          )}
        </>
      ) : (
        <Text className={`${classPrefix}__hint`}>未上传</Text>
      )}
      {error && (
        <View className={`${classPrefix}__error`} role='alert'>
          {error}
        </View>
      )}
    </View>
  )
}

MaterialField.displayName = 'MaterialField'
