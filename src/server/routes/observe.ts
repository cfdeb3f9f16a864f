// The observers' console API (/api/v1/observe/*): every route needs a live
// session (401) and, for state changes, our Origin and the session's CSRF
// token (403); logging in needs the Origin only.

import { csrfProtection } from '../middleware/csrf';
import { requireSession } from '../middleware/session';
import { auditRoutes } from './observe/audit';
import { authRoutes } from './observe/auth';
import { liveRoutes } from './observe/live';
import { observerMessageRoutes } from './observe/messages';
import { moderationRoutes } from './observe/moderation';
import { observerApp } from './observe/shared';

const isLogin = (path: string) => path.endsWith('/observe/login');

export const observeRoutes = observerApp();
observeRoutes.use('/observe/*', requireSession({ except: isLogin }));
observeRoutes.use('/observe/*', csrfProtection());
observeRoutes.route('/', authRoutes);
observeRoutes.route('/', moderationRoutes);
observeRoutes.route('/', observerMessageRoutes);
observeRoutes.route('/', liveRoutes);
observeRoutes.route('/', auditRoutes);
