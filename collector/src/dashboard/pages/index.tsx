/** The pages of one site (`/dashboard/s/:site/…`), each a function of its page context (../page.tsx). */
import { Hono } from 'hono';
import type { AppDeps } from '../../deps.ts';
import { reportPage } from '../page.tsx';
import type { DashEnv } from '../session.ts';
import { acquisitionPage } from './acquisition.tsx';
import { eventsPage } from './events.tsx';
import { faqPage } from './faq.tsx';
import { changeGoals, goalsPage } from './goals.tsx';
import { journeysPage } from './journeys.tsx';
import { npsPage } from './nps.tsx';
import { overviewPage } from './overview.tsx';
import { usabilityPage } from './usability.tsx';
import { visitorPage, visitorsPage } from './visitors.tsx';

export function pageRoutes(deps: AppDeps) {
  const app = new Hono<DashEnv>();
  app.get('/overview', reportPage(deps, 'overview', overviewPage));
  app.get('/acquisition', reportPage(deps, 'acquisition', acquisitionPage));
  app.get('/usability', reportPage(deps, 'usability', usabilityPage));
  app.get('/faq', reportPage(deps, 'faq', faqPage));
  app.get('/visitors', reportPage(deps, 'visitors', visitorsPage));
  app.get('/visitors/:id', reportPage(deps, 'visitors', visitorPage));
  app.get('/journeys', reportPage(deps, 'journeys', journeysPage));
  app.get('/events', reportPage(deps, 'events', eventsPage));
  app.get('/goals', reportPage(deps, 'goals', goalsPage));
  app.post('/goals', (c) => changeGoals(deps, c));
  app.get('/nps', reportPage(deps, 'nps', npsPage));
  return app;
}
