import { useState, type FunctionComponent } from 'react'
import { Image, Text, View } from '@tarojs/components'
import { Button } from '../../../../components/nutui'
import { Input, TextArea } from '../../../../components/nutui-form'
import { toAppError } from '../../../../services/errors'
import { blockItem, moveBlock, type BlockItem } from '../../../../services/posts/editor-form'
import { bodyImagePath, pickAndUploadPostImage, storageOrigin } from '../../../../services/posts/images'
import { imageSource, type Block, type BlockKind } from '../../../../services/posts/rich-text'
import { showErrorToast } from '../../../../services/query/use-app-mutation'
import './index.scss'

const classPrefix = 'block-editor'

export interface BlockEditorProps {
  blocks: BlockItem[]
  onChange: (blocks: BlockItem[]) => void
  /** Pictures go to the person's folder of post-covers. */
  userId: string
  error?: string
}

const LABELS: Record<BlockKind, string> = {
  heading: '标题',
  paragraph: '段落',
  list: '列表',
  image: '图片',
  link: '链接',
}

function label(block: Block): string {
  if (block.kind === 'heading') return block.level === 2 ? '标题' : '小标题'
  if (block.kind === 'list') return block.ordered ? '编号列表' : '列表'
  return LABELS[block.kind]
}

const NEW_BLOCKS: { text: string; make: () => Block; className: string }[] = [
  { text: '+ 段落', make: () => ({ kind: 'paragraph', text: '' }), className: 'add-paragraph' },
  { text: '+ 标题', make: () => ({ kind: 'heading', level: 2, text: '' }), className: 'add-heading' },
  { text: '+ 小标题', make: () => ({ kind: 'heading', level: 3, text: '' }), className: 'add-subheading' },
  { text: '+ 列表', make: () => ({ kind: 'list', ordered: false, items: [''] }), className: 'add-list' },
  { text: '+ 编号列表', make: () => ({ kind: 'list', ordered: true, items: [''] }), className: 'add-ordered-list' },
  { text: '+ 链接', make: () => ({ kind: 'link', text: '', href: 'https://' }), className: 'add-link' },
]

/**
 * The body as a list of blocks (段落, 标题, 小标题, 列表, 编号列表, 链接, 图片), each typed in its own
 * box and moved with ↑ ↓; nobody types HTML. In text, **两个星号之间** is bold and a web address becomes
 * a link (services/posts/rich-text.ts builds the stored nodes).
 */
export const BlockEditor: FunctionComponent<BlockEditorProps> = ({ blocks, onChange, userId, error }) => {
  const [uploading, setUploading] = useState(false)

  const update = (key: string, block: Block) => onChange(blocks.map((item) => (item.key === key ? { key, block } : item)))
  const remove = (key: string) => onChange(blocks.filter((item) => item.key !== key))
  const add = (block: Block) => onChange([...blocks, blockItem(block)])

  const addImage = async (replaceKey?: string) => {
    if (uploading) return
    setUploading(true)
    try {
      const uploaded = await pickAndUploadPostImage(userId)
      if (!uploaded) return
      const block: Block = { kind: 'image', src: bodyImagePath(uploaded.path) }
      if (replaceKey) update(replaceKey, block)
      else add(block)
    } catch (caught) {
      showErrorToast(toAppError(caught))
    } finally {
      setUploading(false)
    }
  }

  const editor = (item: BlockItem) => {
    const { key, block } = item
    switch (block.kind) {
      case 'heading':
        return (
          <Input
            className={`${classPrefix}__input block-text`}
            value={block.text}
            placeholder={block.level === 2 ? '标题，如：申请条件' : '小标题'}
            maxLength={60}
            onChange={(text) => update(key, { ...block, text })}
          />
        )
      case 'paragraph':
        return (
          <TextArea
            className={`${classPrefix}__textarea block-text`}
            value={block.text}
            placeholder='正文段落。**两个星号之间**的文字会加粗，网址会变成链接'
            maxLength={5000}
            autoSize
            onChange={(text) => update(key, { ...block, text })}
          />
        )
      case 'list':
        return (
          <TextArea
            className={`${classPrefix}__textarea block-text`}
            value={block.items.join('\n')}
            placeholder='每行一项（回车换行），如身份证、营业执照各占一行'
            maxLength={5000}
            autoSize
            onChange={(text) => update(key, { ...block, items: text.split('\n') })}
          />
        )
      case 'link':
        return (
          <View>
            <Input className={`${classPrefix}__input block-link-text`} value={block.text} placeholder='链接文字，如：政策原文' maxLength={60} onChange={(text) => update(key, { ...block, text })} />
            <Input className={`${classPrefix}__input block-link-href`} value={block.href} placeholder='https://' maxLength={500} onChange={(href) => update(key, { ...block, href })} />
          </View>
        )
      case 'image': {
        const src = imageSource(block.src, storageOrigin())
        return (
          <View className={`${classPrefix}__image`}>
            {src && <Image className={`${classPrefix}__picture`} src={src} mode='widthFix' />}
            <Button size='small' fill='outline' type='primary' loading={uploading} onClick={() => void addImage(key)}>
              更换图片
            </Button>
          </View>
        )
      }
    }
  }

  return (
    <View className={classPrefix}>
      {blocks.map((item, index) => (
        <View key={item.key} className={`${classPrefix}__block block-item block-${item.block.kind}`}>
          <View className={`${classPrefix}__head`}>
            <Text className={`${classPrefix}__label`}>{label(item.block)}</Text>
            <View className={`${classPrefix}__tools`}>
              <Button size='small' fill='none' disabled={index === 0} onClick={() => onChange(moveBlock(blocks, index, -1))} aria-label='上移'>
                ↑
              </Button>
              <Button size='small' fill='none' disabled={index === blocks.length - 1} onClick={() => onChange(moveBlock(blocks, index, 1))} aria-label='下移'>
                ↓
              </Button>
              <Button className='block-remove' size='small' fill='none' type='danger' onClick={() => remove(item.key)} aria-label='删除'>
                删除
              </Button>
            </View>
          </View>
          {editor(item)}
        </View>
      ))}
      {blocks.length === 0 && <Text className={`${classPrefix}__empty`}>正文为空，点下面的按钮添加段落</Text>}
      {error && <Text className={`${classPrefix}__error`}>{error}</Text>}
      <View className={`${classPrefix}__add`}>
        {NEW_BLOCKS.map((entry) => (
          <Button key={entry.text} className={entry.className} size='small' fill='outline' type='default' onClick={() => add(entry.make())}>
            {entry.text}
          </Button>
        ))}
        <Button className='add-image' size='small' fill='outline' type='default' loading={uploading} disabled={uploading} onClick={() => void addImage()}>
          + 图片
        </Button>
      </View>
    </View>
  )
}

BlockEditor.displayName = 'BlockEditor'
