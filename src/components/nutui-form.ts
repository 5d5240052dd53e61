/**
 * NutUI form components, for the subpackage pages (onboarding, demo sign-in, role management, the
 * editor, search). Kept apart from ./nutui.ts, which main-package pages import: a module only
 * subpackages import is bundled into those subpackages, so these components and their styles stay out
 * of the main package.
 */
import '@nutui/nutui-react-taro/dist/es/packages/checkbox/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/datepicker/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/input/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/radio/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/searchbar/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/textarea/style/css'

export { Checkbox } from '@nutui/nutui-react-taro/dist/es/packages/checkbox/checkbox'
export { default as DatePicker } from '@nutui/nutui-react-taro/dist/es/packages/datepicker/datepicker'
export { Input } from '@nutui/nutui-react-taro/dist/es/packages/input/input'
export { default as Radio } from '@nutui/nutui-react-taro/dist/es/packages/radio/index'
export { SearchBar } from '@nutui/nutui-react-taro/dist/es/packages/searchbar/searchbar'
export { TextArea } from '@nutui/nutui-react-taro/dist/es/packages/textarea/textarea'
