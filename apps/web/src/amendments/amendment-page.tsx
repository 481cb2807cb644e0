import { Page } from '../ui/page';

/** Placeholder while the page is being built (issue 9). */
export function AmendmentPage(_props: { amendmentId: string; query: URLSearchParams }) {
  return <Page title="AmendmentPage">{null}</Page>;
}
