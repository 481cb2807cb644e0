import { Page } from '../ui/page';

/** Placeholder while the page is being built (issue 9). */
export function SignAmendmentPage(_props: { amendmentId: string }) {
  return <Page title="SignAmendmentPage">{null}</Page>;
}
