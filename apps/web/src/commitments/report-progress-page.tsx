import { Page } from '../ui/page';

/** Placeholder while the page is being built (issue 9). */
export function ReportProgressPage(_props: { commitmentId: string }) {
  return <Page title="ReportProgressPage">{null}</Page>;
}
