import { Page } from '../ui/page';

/** Placeholder while the page is being built (issue 9). */
export function AuditTrailPage(_props: { query: URLSearchParams }) {
  return <Page title="AuditTrailPage">{null}</Page>;
}
