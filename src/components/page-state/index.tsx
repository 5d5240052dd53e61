import type { FunctionComponent, ReactNode } from 'react'
import { Text, View } from '@tarojs/components'
import type { AppError } from '../../services/errors'
import { useOnline } from '../../services/query/use-online'
import { Button, Empty, Skeleton } from '../nutui'
import './index.scss'

/** What PageState needs of a query (useAppQuery's result fits). */
export interface PageStateQuery {
  data: unknown
  error: AppError | null
  status: 'loading' | 'success' | 'error'
  isFetching: boolean
  refetch: () => Promise<void>
}

export interface PageStateProps {
  /** The page's main query; without one, `loading`, `error` and `empty` decide. */
  query?: PageStateQuery
  loading: boolean
  error: AppError | null
  onRetry?: () => void
  retrying: boolean
  /** The data is there but there is nothing in it. */
  empty: boolean
  emptyTitle: string
  emptyDescription?: string
  /** What the person can do about the emptiness (a button). */
  emptyAction?: ReactNode
  /** Skeleton cards while loading, and rows in each. */
  skeletonCards: number
  skeletonRows: number
  className?: string
  children?: ReactNode
}

const defaultProps = {
  loading: false,
  error: null,
  retrying: false,
  empty: false,
  emptyTitle: '暂无内容',
  skeletonCards: 3,
  skeletonRows: 3,
} as const satisfies Partial<PageStateProps>

const classPrefix = 'page-state'

/**
 * One look for every page's states: a skeleton while loading, a drawn picture and an action when empty,
 * the error in Chinese with 重试, and 网络未连接 when offline. With data, the children show, under a
 * banner when the last refresh failed (the data may be old). NutUI's Empty always gets our picture, so
 * nothing is fetched from its CDN.
 */
export const PageState: FunctionComponent<Partial<PageStateProps>> = (props) => {
  const { query, onRetry, emptyTitle, emptyDescription, emptyAction, skeletonCards, skeletonRows, className, children, ...rest } = {
    ...defaultProps,
    ...props,
  }
  const online = useOnline()
  const loading = query ? query.status === 'loading' : rest.loading
  const error = query ? query.error : rest.error
  const hasData = query ? query.data !== undefined : !rest.loading && !rest.error
  const retrying = query ? query.isFetching : rest.retrying
  const retry = onRetry ?? (query ? () => void query.refetch() : undefined)
  const classes = [classPrefix, className ?? ''].filter(Boolean).join(' ')

  const retryButton = retry && (
    <View className={`${classPrefix}__actions`}>
      <Button className={`${classPrefix}__retry`} type='primary' size='large' loading={retrying} disabled={retrying} onClick={retry}>
        重试
      </Button>
    </View>
  )

  if (!hasData && !online) {
    return (
      <View className={`${classes} ${classPrefix}--offline`}>
        <Empty
          status='network'
          image={<View className={`${classPrefix}__image ${classPrefix}__image--offline`} />}
          title='网络未连接'
          description='请打开手机的移动数据或连接无线网络，连上后会自动刷新'
        >
          {retryButton}
        </Empty>
      </View>
    )
  }

  if (loading) {
    return (
      <View className={`${classes} ${classPrefix}--loading`} aria-busy='true'>
        {Array.from({ length: skeletonCards }, (_, i) => (
          <View key={i} className={`${classPrefix}__skeleton`}>
            <Skeleton rows={skeletonRows} animated />
          </View>
        ))}
      </View>
    )
  }

  if (!hasData && error) {
    return (
      <View className={`${classes} ${classPrefix}--error`} role='alert'>
        <Empty status='error' image={<View className={`${classPrefix}__image ${classPrefix}__image--error`} />} title={error.message}>
          {retryButton}
        </Empty>
      </View>
    )
  }

  const stale = error && (
    <View className={`${classPrefix}__stale`} role='alert'>
      <Text className={`${classPrefix}__stale-text`}>{online ? error.message : '网络未连接，显示的是上次加载的内容'}</Text>
      {retry && (
        <Button size='small' fill='outline' type='primary' loading={retrying} onClick={retry}>
          重试
        </Button>
      )}
    </View>
  )

  if (rest.empty) {
    return (
      <View className={`${classes} ${classPrefix}--empty`}>
        {stale}
        <Empty image={<View className={`${classPrefix}__image`} />} title={emptyTitle} description={emptyDescription}>
          {emptyAction && <View className={`${classPrefix}__actions`}>{emptyAction}</View>}
        </Empty>
      </View>
    )
  }

  return (
    <>
      {stale}
      {children}
    </>
  )
}

PageState.displayName = 'PageState'
