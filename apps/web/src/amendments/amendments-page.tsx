import { Page } from '../ui/page';

/** Placeholder while the page is being built (issue 9). */
export function AmendmentsPage(_props: { query: URLSearchParams }) {
  return <Page title="AmendmentsPage">{null}</Page>;
}
