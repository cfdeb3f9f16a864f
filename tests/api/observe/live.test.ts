import { describe, expect, it } from 'vitest';
import { liveView } from '../../../src/domain/schemas/observer-account';
import { client, submit } from '../../support/api-client';
import { ballotAnswers, issue } from '../../support/api-fixtures';
import { api, catalog, count, makeObserver, signIn } from '../../support/observe-fixtures';

describe('roles and scopes', () => {
  it('only a lead pauses, closes or reopens an instrument (audited); an observer gets 403', async () => {
    const observer = await signIn(await makeObserver('observer', ['unit-a']));
    const lead = await signIn(await makeObserver('lead'));
    const r = await observer.post('/api/v1/observe/instruments/ballot-t/state', { state: 'closed' });
    expect(r.status).toBe(403);
    expect(await count('instrument_states')).toBe(0);

    expect((await lead.post('/api/v1/observe/instruments/ballot-t/state', { state: 'paused' })).status).toBe(200);
    expect((await api.request('/api/v1/instruments/ballot-t')).status).toBe(200);
    const paused = (await (await api.request('/api/v1/instruments/ballot-t')).json()) as { status: string };
    expect(paused.status).toBe('not_open');
    // A paused instrument refuses answers.
    const [c] = await issue('npc_deputy');
    expect((await submit(api, 'ballot-t', { code: c, answers: ballotAnswers() })).status).toBe(423);
    expect((await lead.post('/api/v1/observe/instruments/ballot-t/state', { state: 'paused' })).status).toBe(409);
    expect((await lead.post('/api/v1/observe/instruments/ballot-t/state', { state: 'open' })).status).toBe(200);
    expect((await submit(api, 'ballot-t', { code: c, answers: ballotAnswers() })).status).toBe(201);
    expect((await lead.post('/api/v1/observe/instruments/nope/state', { state: 'open' })).status).toBe(404);
    expect(await count('audit_log', "action = 'instrument.state'")).toBe(2);
    // An early close releases the tallies: it is final, or a second close would publish the ballots in between.
    expect((await lead.post('/api/v1/observe/instruments/rating-t/state', { state: 'closed' })).status).toBe(200);
    for (const state of ['open', 'paused'] as const) {
      const again = await lead.post('/api/v1/observe/instruments/rating-t/state', { state });
      expect(again.status).toBe(409);
      expect(JSON.stringify(await again.json())).toContain('不能重新开放');
    }
    expect(await count('audit_log', "action = 'instrument.state'")).toBe(3);
  });
});

describe('work queues', () => {
  it('the live view shows turnout only while open, and tallies not yet public once closed, to observers only', async () => {
    const who = await makeObserver('observer');
    const observer = await signIn(who);
    const [c] = await issue('party_deputy');
    expect((await submit(api, 'ballot-t', { code: c, answers: ballotAnswers('good') })).status).toBe(201);
    expect((await api.request('/api/v1/instruments/ballot-t/tally')).status).toBe(403);
    const live = liveView.parse(await (await observer.get('/api/v1/observe/live?appraisal=test-2026')).json());
    const ballot = live.instruments.find((i) => i.id === 'ballot-t');
    // Exact turnout for observers, but no counts or scores before the close: two reads would show one ballot.
    expect(ballot?.turnout.find((x) => x.raterCategory === 'party_deputy')?.responses).toBeGreaterThanOrEqual(1);
    expect(ballot?.talliesReleased).toBe(false);
    expect(ballot?.subjects).toEqual([]);
    expect(live.instruments.find((i) => i.id === 'q-public')?.questions).toEqual([]);
    const csv = await (await observer.get('/api/v1/observe/exports/tallies.csv?appraisal=test-2026')).text();
    expect(csv).not.toContain('ballot-t');

    // After the close (the ballot's tallyPolicy keeps it from the public until results are published).
    const closed = client({ catalog, now: () => new Date('2026-12-21T00:00:00Z') });
    const later = await signIn(who, closed);
    const after = liveView.parse(await (await later.get('/api/v1/observe/live?appraisal=test-2026')).json());
    const ballotAfter = after.instruments.find((i) => i.id === 'ballot-t');
    expect(ballotAfter?.talliesReleased).toBe(true);
    expect(ballotAfter?.subjects[0]?.score).not.toBeNull();
    expect(after.subjectNames.find((s) => s.subject.id === 'unit-a')?.name).toBe('甲局领导班子');
    expect(after.instruments.find((i) => i.id === 'q-public')?.questions.map((x) => x.id)).toEqual(['q1', 'q2']);
    const csvAfter = await (await later.get('/api/v1/observe/exports/tallies.csv?appraisal=test-2026')).text();
    expect(csvAfter).toContain('ballot-t');
    expect((await observer.get('/api/v1/observe/live?appraisal=nope')).status).toBe(404);
  });
});
