import { AppPage } from '../../components/app-page'
import { ComingSoon } from '../../components/coming-soon'
import './index.scss'

/** The apply tab. Not built yet: it says so instead of showing made-up content. */
export default function ApplyPage() {
  return (
    <AppPage className='apply-page'>
      <ComingSoon feature='创业补贴申报' description='以后可以在这里填写申报表、上传材料，并随时查看审核进度。' />
    </AppPage>
  )
}
