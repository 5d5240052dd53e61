/**
 * The NutUI React Taro components the app uses, each imported from its own module with its own styles,
 * so only these reach the bundle (the package's index pulls in every component). Add a component here
 * before using it. Components only subpackage pages use belong in ./nutui-form.ts, so they stay out of
 * the main package.
 */
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/cell/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/empty/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/skeleton/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/switch/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/tag/style/css'

export { Button } from '@nutui/nutui-react-taro/dist/es/packages/button/button'
export { Cell } from '@nutui/nutui-react-taro/dist/es/packages/cell/cell'
export { Empty } from '@nutui/nutui-react-taro/dist/es/packages/empty/empty'
export { Skeleton } from '@nutui/nutui-react-taro/dist/es/packages/skeleton/skeleton'
export { Switch } from '@nutui/nutui-react-taro/dist/es/packages/switch/switch'
export { Tag } from '@nutui/nutui-react-taro/dist/es/packages/tag/tag'
