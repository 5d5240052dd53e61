import { useState } from 'react'
import { useReachBottom, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Button, Tag } from '../../../../components/nutui'
import { SearchBar } from '../../../../components/nutui-form'
import { PageState } from '../../../../components/page-state'
import { PostItem } from '../../../../components/post-item'
import { normalizeQuery } from '../../../../services/posts/search-history'
import { SEARCH_MAX_LENGTH, useSearch } from '../../../../services/posts/search-query'
import { useSearchHistory } from '../../../../services/posts/use-search-history'
import './index.scss'

const classPrefix = 'search-page'

/**
 * 搜索: policies, projects, stories and notices whose title, summary, tags or body contain the words
 * (担保 finds 创业担保贷款贴息), newest first, the words marked in each result. The last searches are
 * kept on this phone only (never anything that looks like a phone or ID number) and can be cleared.
 */
export default function SearchPage() {
  const router = useRouter()
  const initial = normalizeQuery(decodeURIComponent(router.params.q ?? ''))
  const [input, setInput] = useState(initial)
  const [query, setQuery] = useState(initial)
  const history = useSearchHistory()
  const results = useSearch(query)

  useReachBottom(() => {
    void results.loadMore()
  })

  const search = (value: string) => {
    const q = normalizeQuery(value).slice(0, SEARCH_MAX_LENGTH)
    setInput(q)
    setQuery(q)
    if (q !== '') history.add(q)
  }

  const hits = results.data ?? []
  return (
    <AppPage className={classPrefix}>
      <SearchBar
        className={`${classPrefix}__bar post-search`}
        shape='round'
        value={input}
        placeholder='搜索政策、项目，如“担保贷款”'
        maxLength={SEARCH_MAX_LENGTH}
        autoFocus={initial === ''}
        onChange={(value) => {
          setInput(value)
          if (value === '') setQuery('')
        }}
        onSearch={search}
        onClear={() => {
          setInput('')
          setQuery('')
        }}
        right={
          <Button className='search-submit' size='small' type='primary' onClick={() => search(input)}>
            搜索
          </Button>
        }
      />

      {query === '' ? (
        <View className={`${classPrefix}__history search-history`}>
          <View className={`${classPrefix}__history-head`}>
            <Text className={`${classPrefix}__history-title`}>最近搜索</Text>
            {history.list.length > 0 && (
              <Button className='clear-history' size='small' fill='none' type='default' onClick={history.clear}>
                清空
              </Button>
            )}
          </View>
          {history.list.length === 0 ? (
            <Text className={`${classPrefix}__history-empty`}>还没有搜索记录（只保存在这部手机上）</Text>
          ) : (
            <View className={`${classPrefix}__history-items`}>
              {history.list.map((item) => (
                <Tag key={item} className={`${classPrefix}__history-item history-item`} type='default' plain onClick={() => search(item)}>
                  {item}
                </Tag>
              ))}
            </View>
          )}
        </View>
      ) : (
        <PageState
          query={results}
          empty={hits.length === 0}
          emptyTitle={`没有找到包含“${query}”的资讯`}
          emptyDescription='换个说法试试，比如“补贴”“贷款”“培训”'
        >
          <Text className={`${classPrefix}__count`}>{results.hasMore ? `找到 ${hits.length}+ 条` : `找到 ${hits.length} 条`}</Text>
          <View className='search-results'>
            {hits.map((hit) => (
              <PostItem
                key={hit.id}
                className='search-result'
                highlight={query}
                post={{
                  id: hit.id,
                  kind: hit.kind,
                  title: hit.title,
                  summary: hit.summary,
                  pinned: hit.pinned,
                  published_at: hit.published_at,
                  authorName: hit.author_name,
                  excerpt: hit.hit_field === 'body' ? hit.snippet : null,
                }}
              />
            ))}
          </View>
          {results.hasMore && (
            <Button className='load-more' size='large' fill='outline' type='default' block loading={results.loadingMore} onClick={() => void results.loadMore()}>
              加载更多
            </Button>
          )}
        </PageState>
      )}
    </AppPage>
  )
}
