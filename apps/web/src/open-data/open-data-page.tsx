import { Page } from '../ui/page';

/** Placeholder while the page is being built (issue 9). */
export function OpenDataPage(_props: Record<string, never>) {
  return <Page title="OpenDataPage">{null}</Page>;
}
