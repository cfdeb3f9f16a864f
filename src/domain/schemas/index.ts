// One schema per concept; the site's content collections, the API and the
// islands all import them from here.

export * from './api';
export * from './appraisal';
export * from './audit';
export * from './client-config';
export * from './common';
export * from './credential';
export * from './feed';
export * from './forum';
export * from './holidays';
export * from './indicators';
export * from './instrument';
export * from './message';
export * from './objection';
export * from './observer';
export * from './observer-account';
export * from './official';
export * from './participation';
export * from './question';
export * from './rater-category';
export * from './rectification';
export * from './result';
export * from './runtime-catalog';
export * from './snapshot';
export * from './summary';
export * from './team';
export * from './token';
export * from './unit';
export * from './webhook';
