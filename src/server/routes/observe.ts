// The observers' console API (/api/v1/observe/*): every route needs a live
// session (401) and, for state changes, our Origin and the session's CSRF
// token (403); logging in needs the Origin only.

import { SESSION_COOKIE } from '../auth/session';
import { csrfProtection } from '../middleware/csrf';
import { requireSession } from '../middleware/session';
import { documentSecurity } from './_helpers';
import { auditRoutes } from './observe/audit';
import { authRoutes } from './observe/auth';
import { liveRoutes } from './observe/live';
import { meetingRoutes } from './observe/meetings';
import { observerMessageRoutes } from './observe/messages';
import { moderationRoutes } from './observe/moderation';
import { observerObjectionRoutes } from './observe/objections';
import { rectificationRoutes } from './observe/rectification';
import { observerApp } from './observe/shared';

const isLogin = (path: string) => path.endsWith('/observe/login');

export const observeRoutes = observerApp();
observeRoutes.use('/observe/*', requireSession({ except: isLogin }));
observeRoutes.use('/observe/*', csrfProtection());
observeRoutes.route('/', authRoutes);
observeRoutes.route('/', moderationRoutes);
observeRoutes.route('/', observerMessageRoutes);
observeRoutes.route('/', observerObjectionRoutes);
observeRoutes.route('/', rectificationRoutes);
observeRoutes.route('/', liveRoutes);
observeRoutes.route('/', meetingRoutes);
observeRoutes.route('/', auditRoutes);

observeRoutes.openAPIRegistry.registerComponent('securitySchemes', 'observerSession', {
  type: 'apiKey',
  in: 'cookie',
  name: `__Host-${SESSION_COOKIE}`, // hono/cookie's host prefix (auth/session.ts)
  description: 'The session cookie set by POST /api/v1/observe/login; state changes also send X-CSRF-Token',
});
// The same rule as requireSession above, for the document.
documentSecurity(observeRoutes, [{ observerSession: [] }], isLogin);
