import type { ReactElement } from 'react';
import { AmendmentPage } from './amendments/amendment-page';
import { AmendmentsPage } from './amendments/amendments-page';
import { SignAmendmentPage } from './amendments/sign-amendment-page';
import { AuditTrailPage } from './audit/audit-trail-page';
import { CheckpointPage } from './audit/checkpoint-page';
import { ReceiptPage } from './audit/receipt-page';
import { CommitmentPage } from './commitments/commitment-page';
import { CommitmentsPage } from './commitments/commitments-page';
import { ReportProgressPage } from './commitments/report-progress-page';
import { BodiesPage } from './governance/bodies-page';
import { BodyPage } from './governance/body-page';
import { MeetingPage } from './governance/meeting-page';
import { RecordMeetingPage } from './governance/record-meeting-page';
import { LoginPage } from './login/login-page';
import { NotFoundPage } from './login/not-found-page';
import { OpenDataPage } from './open-data/open-data-page';
import { OverviewPage } from './overview/overview-page';
import { TerritoriesPage } from './territories/territories-page';
import type { Route } from './shell/router';
import { isMember, type Session } from './shell/session';

/**
 * Every page of the front, by its hash address (ADR 14). `section` is the menu entry it belongs to.
 * Pages for members (every role but public) send a visitor without such a session to the login page;
 * the API would refuse their reads anyway — this only avoids showing a page of 401s.
 */
export function routeFor(route: Route, session: Session | undefined): { section: string; element: ReactElement } {
  const [first, second, third, fourth] = route.segments;
  const q = route.query;
  const members = (section: string, element: ReactElement) => (isMember(session) ? { section, element } : { section: 'login', element: <LoginPage reason={session ? 'members-only' : 'sign-in'} /> });
  switch (first) {
    case undefined:
      return isMember(session) ? { section: 'overview', element: <OverviewPage query={q} /> } : { section: 'open-data', element: <OpenDataPage /> };
    case 'login':
      return { section: 'login', element: <LoginPage /> };
    case 'open-data':
      return { section: 'open-data', element: <OpenDataPage /> };
    case 'territories':
      return members('territories', <TerritoriesPage query={q} />);
    case 'commitments':
      if (second === undefined) return members('commitments', <CommitmentsPage query={q} />);
      if (third === 'report') return members('commitments', <ReportProgressPage commitmentId={second} />);
      if (third === undefined) return members('commitments', <CommitmentPage commitmentId={second} query={q} />);
      break;
    case 'governance':
      if (second === undefined) return members('governance', <BodiesPage query={q} />);
      if (second === 'bodies' && third !== undefined) return members('governance', <BodyPage bodyId={third} query={q} />);
      if (second === 'meetings' && third !== undefined && fourth === 'record') return members('governance', <RecordMeetingPage meetingId={third} />);
      if (second === 'meetings' && third !== undefined) return members('governance', <MeetingPage meetingId={third} query={q} />);
      break;
    case 'amendments':
      if (second === undefined) return members('amendments', <AmendmentsPage query={q} />);
      if (third === 'sign') return members('amendments', <SignAmendmentPage amendmentId={second} />);
      if (third === undefined) return members('amendments', <AmendmentPage amendmentId={second} query={q} />);
      break;
    case 'audit':
      if (second === 'checkpoint') return { section: isMember(session) ? 'audit' : 'verify', element: <CheckpointPage /> };
      if (second === undefined) return members('audit', <AuditTrailPage query={q} />);
      if (second === 'receipts' && third !== undefined) return members('audit', <ReceiptPage seq={third} />);
      break;
  }
  return { section: '', element: <NotFoundPage /> };
}
