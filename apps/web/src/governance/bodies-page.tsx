import { Page } from '../ui/page';

/** Placeholder while the page is being built (issue 9). */
export function BodiesPage(_props: { query: URLSearchParams }) {
  return <Page title="BodiesPage">{null}</Page>;
}
